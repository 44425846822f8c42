"""`grappe demo`: migrate, load the demo cluster once, print the logins, serve.

Serving is Django's development server with the background task worker beside it (so mail
queued by the services while people click around is sent, to the console by default); the
worker is started with the server and stopped with it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from grappe.demo.load import ROLE_LABELS, DemoRefused, DemoSummary, load_demo
from grappe.demo.organisations import SIZES


def worker_command() -> list[str]:
    """The task worker, run by the same Python with the same settings, without autoreload
    (it is stopped and started with the server instead)."""
    return [sys.executable, "-m", "django", "db_worker", "--no-reload", "--verbosity", "1"]


def worker_environment(site_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "grappe.settings")
    env["GRAPPE_SITE_URL"] = site_url
    return env


def _die_with_parent() -> None:
    """Linux: the worker gets SIGTERM if this process dies without stopping it (runserver
    leaves with os._exit on some errors, skipping every `finally`)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class Command(BaseCommand):
    help = "Load the demo cluster (once) and serve it at http://127.0.0.1:8000 with a task worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="Port to serve on (8000).")
        parser.add_argument(
            "--no-serve", action="store_true", help="Load the demo and print the logins only."
        )
        parser.add_argument(
            "--size", choices=sorted(SIZES), default="full",
            help="full: 190 member organisations (default); small: 30, for a quick look.",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_serve"] and not port_is_free(options["port"]):
            raise CommandError(
                f"Port {options['port']} is already in use: choose another with --port."
            )
        self.stdout.write("Migrating the database…")
        call_command("migrate", interactive=False, verbosity=0)
        try:
            summary = load_demo(stdout=self.stdout, size=options["size"])
        except DemoRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.print_summary(summary, options["port"])
        if not options["no_serve"]:
            self.serve(options["port"])

    def print_summary(self, summary: DemoSummary, port: int) -> None:
        style = self.style
        if not summary.skipped:
            self.stdout.write(style.SUCCESS(f"Demo loaded in {summary.seconds:.1f} s."))
        self.stdout.write(
            f"{summary.organisations} organisations, {summary.members} members this year, "
            f"{summary.people} people, {summary.memberships} memberships, "
            f"{summary.invoices} invoices."
        )
        self.stdout.write("")
        self.stdout.write(style.MIGRATE_HEADING("Demo logins"))
        width = max(len(label) for label in ROLE_LABELS.values())
        for role, email in summary.logins:
            self.stdout.write(f"  {ROLE_LABELS.get(role, role):<{width}}  {email}")
        self.stdout.write(f"  {'Password (all of them)':<{width}}  {summary.password}")
        self.stdout.write("")
        self.stdout.write(f"Open http://127.0.0.1:{port}/ and log in with one of them.")

    def serve(self, port: int) -> None:
        """The development server in this process, the task worker in a child process."""
        if not settings.DEBUG:
            self.stdout.write(
                self.style.WARNING(
                    "DEBUG is off: static files may not be served. Use `grappe demo`."
                )
            )
        if not os.environ.get("GRAPPE_SITE_URL"):
            # Links in mails point at this server, whichever port it was given.
            settings.GRAPPE_SITE_URL = f"http://127.0.0.1:{port}"
        worker = subprocess.Popen(  # noqa: S603
            worker_command(),
            env=worker_environment(settings.GRAPPE_SITE_URL),
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
        self.stdout.write(f"Task worker started (process {worker.pid}); Ctrl-C stops both.")
        try:
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
        except KeyboardInterrupt:
            pass
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
            self.stdout.write("Task worker stopped.")
