"""Benchmark: many people racing for the last seats through the API (never part of the tests).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/grappe_bench_race \\
        python bench/registration_race.py [--clients 500] [--seats 100] [--workers 4] [--threads 8]

Drops and recreates the PostgreSQL database named by DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/grappe_bench_race), migrates it, creates a published
event with `--seats` seats and `--clients` people, each with an API token. It then starts
gunicorn (`gunicorn grappe.wsgi`, DEBUG off, several workers and threads, on a free local
port, the same DATABASE_URL), opens one connection per client, releases all the clients at
once (a barrier) to POST /api/v1/events/<slug>/register, times each answer, stops gunicorn
and counts in the database. The last line printed is one JSON object: clients, seats,
confirmed, waitlisted, duplicates (people with more than one active registration plus seats
sold beyond capacity), errors (non-2xx answers and exceptions), p50_ms, p95_ms, max_ms,
seconds. Expected: exactly `seats` confirmed, 0 duplicates, 0 errors.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/grappe_bench_race"


def server_environment(url: str) -> dict[str, str]:
    """What both this process and gunicorn run with: production-like, over plain HTTP."""
    return {
        "DJANGO_SETTINGS_MODULE": "grappe.settings",
        "DATABASE_URL": url,
        "DEBUG": "0",
        "GRAPPE_TESTING": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-" + os.urandom(24).hex(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        # Confirmation mails are queued as tasks in the database, as in production;
        # no worker runs during the bench, so nothing is sent.
        "GRAPPE_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    }


def recreate_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1].split("?")[0]
    server = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str) -> None:
    os.environ.update(server_environment(url))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def populate(clients: int, seats: int) -> tuple[str, list[str]]:
    """The event (slug) and one API key per person."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from grappe.accounts.models import User
    from grappe.accounts.tokens import api_token_create
    from grappe.events.models import Event, EventStatus, Price, PriceCategory, TicketCategory
    from grappe.members.models import Person

    starts = timezone.now() + dt.timedelta(days=30)
    event = Event.objects.create(
        slug="bench-race",
        kind="conference",
        status=EventStatus.PUBLISHED,
        title_fr="Course aux places",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=8),
        city="Marseille",
        capacity=seats,
        published_at=timezone.now(),
    )
    ticket = TicketCategory.objects.create(event=event, category=PriceCategory.NON_MEMBER)
    Price.objects.create(ticket=ticket, amount=Decimal("150.00"))
    users = User.objects.bulk_create(
        [
            User(email=f"racer{n}@bench.example", first_name="Racer", last_name=str(n))
            for n in range(clients)
        ]
    )
    Person.objects.bulk_create(
        [Person(user=u, first_name="Racer", last_name=u.last_name, email=u.email) for u in users]
    )
    users = list(User.objects.filter(email__endswith="@bench.example").order_by("pk"))
    keys = [api_token_create(actor=user, name="race")[1] for user in users]
    return event.slug, keys


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_gunicorn(url: str, port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, **server_environment(url)}
    command = [
        sys.executable, "-m", "gunicorn", "grappe.wsgi",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread",
        "--timeout", "120", "--graceful-timeout", "10", "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


def race(port: int, slug: str, keys: list[str]) -> tuple[list[float], list[str], float]:
    """All clients connect, wait at the barrier, then POST together."""
    barrier = threading.Barrier(len(keys) + 1)
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    body = json.dumps({"ticket": "non_member"})
    path = f"/api/v1/events/{slug}/register"

    def client(key: str) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        try:
            conn.connect()
            barrier.wait()
            start = time.perf_counter()
            conn.request(
                "POST",
                path,
                body=body,
                headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
            )
            response = conn.getresponse()
            payload = response.read()
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                latencies.append(elapsed)
                if not 200 <= response.status < 300:
                    errors.append(f"{response.status} {payload[:200]!r}")
        except Exception as error:  # noqa: BLE001 - every failure counts as an error
            with lock:
                errors.append(repr(error))
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    return latencies, errors, time.perf_counter() - start


def count(slug: str, seats: int) -> dict[str, int]:
    from django.db.models import Count

    from grappe.events.models import ACTIVE, SEAT_HOLDING, Registration, RegistrationStatus

    registrations = Registration.objects.filter(event__slug=slug)
    confirmed = registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    holding = registrations.filter(status__in=SEAT_HOLDING).count()
    twice = (
        registrations.filter(status__in=ACTIVE)
        .values("person")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    return {
        "confirmed": confirmed,
        "waitlisted": registrations.filter(status=RegistrationStatus.WAITLISTED).count(),
        "duplicates": twice + max(0, holding - seats),
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--seats", type=int, default=100)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith("postgres"):
        raise SystemExit("DATABASE_URL must name a PostgreSQL database")
    recreate_database(url)
    setup_django(url)
    slug, keys = populate(args.clients, args.seats)
    from django.db import connections

    connections.close_all()
    port = free_port()
    server = start_gunicorn(url, port, args.workers, args.threads)
    try:
        latencies, errors, seconds = race(port, slug, keys)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    for error in errors[:5]:
        print("error:", error, file=sys.stderr)
    result = {
        "clients": args.clients,
        "seats": args.seats,
        "workers": args.workers,
        "threads": args.threads,
        **count(slug, args.seats),
        "errors": len(errors),
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(percentile(latencies, 0.95), 1) if latencies else None,
        "max_ms": round(max(latencies), 1) if latencies else None,
        "seconds": round(seconds, 2),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
