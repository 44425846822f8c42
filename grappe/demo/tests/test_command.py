"""`grappe demo`: loads once, prints the logins, serves with a task worker beside the server."""

from __future__ import annotations

import io
import socket
import sys

import pytest
from django.core.management import CommandError, call_command

from grappe.demo import vocabulary as words
from grappe.demo.management.commands import demo as command
from grappe.members.models import Organisation
from grappe.members.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_demo_no_serve_loads_once_and_prints_one_login_per_role_and_the_password(monkeypatch):
    # given a server that must not start
    monkeypatch.setattr(command.Command, "serve", lambda self, port: pytest.fail("served"))
    out = io.StringIO()
    # when the demo command runs without serving
    call_command("demo", "--no-serve", "--size", "small", stdout=out)
    # then it says what it loaded and prints the five logins with the one password
    text = out.getvalue()
    assert "30 members this year" in text
    for email in ("claire.fabre@pole-lumiere-sud.example", "jean-marc.olivier@conseil-optique.example",
                  "sophie.marchetti@azur-optronique.example", "lucas.bernard@azur-optronique.example",
                  "nadia.benali@courriel.example"):  # fmt: skip
        assert email in text
    assert "Password (all of them)" in text and words.DEMO_PASSWORD in text
    assert "http://127.0.0.1:8000/" in text
    # and when it runs again, nothing is loaded again and the logins are printed all the same
    again = io.StringIO()
    call_command("demo", "--no-serve", "--size", "small", "--port", "8001", stdout=again)
    assert "already loaded" in again.getvalue() and "Demo loaded in" not in again.getvalue()
    assert "sophie.marchetti@azur-optronique.example" in again.getvalue()
    assert "http://127.0.0.1:8001/" in again.getvalue()


class FakeWorker:
    pid = 4242

    def __init__(self, args, env, **kwargs):
        self.args, self.env, self.stopped = args, env, False
        FakeWorker.started = self

    def terminate(self):
        self.stopped = True

    def wait(self, timeout=None):
        return 0


def test_serve_runs_the_server_with_the_task_worker_and_stops_the_worker(monkeypatch, settings):
    # given a fake worker process and a server that is stopped with Ctrl-C
    monkeypatch.delenv("GRAPPE_SITE_URL", raising=False)
    calls = []

    def runserver(name, *args, **kwargs):
        calls.append((name, args, kwargs))
        raise KeyboardInterrupt

    monkeypatch.setattr(command.subprocess, "Popen", FakeWorker)
    monkeypatch.setattr(command, "call_command", runserver)
    out = io.StringIO()
    # when the demo is served on port 8123
    command.Command(stdout=out).serve(8123)
    # then the development server ran on that port, without the autoreloader
    assert calls == [("runserver", ("127.0.0.1:8123",), {"use_reloader": False})]
    # and the db_worker ran beside it with the same Python and settings, and was stopped
    worker = FakeWorker.started
    assert worker.args[:4] == [sys.executable, "-m", "django", "db_worker"]
    assert "--no-reload" in worker.args
    assert worker.env["DJANGO_SETTINGS_MODULE"]
    # and links in mails, rendered by either process, point at the port served
    assert worker.env["GRAPPE_SITE_URL"] == settings.GRAPPE_SITE_URL == "http://127.0.0.1:8123"
    assert worker.stopped is True
    assert "Task worker stopped." in out.getvalue()


def test_demo_refuses_a_port_in_use_before_loading_anything():
    # given a port already taken
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        # when the demo is asked to serve there, then it stops at once with a clear message
        with pytest.raises(CommandError, match=f"Port {port} is already in use"):
            call_command("demo", "--port", str(port), stdout=io.StringIO())
    assert not Organisation.objects.exists()


def test_demo_refuses_a_database_holding_other_organisations():
    # given a database with an organisation that is not the demo's
    OrganisationFactory(name="Optique Réelle")
    # when the demo command runs, then it refuses and loads nothing
    with pytest.raises(CommandError, match="already holds organisations"):
        call_command("demo", "--no-serve", "--size", "small", stdout=io.StringIO())
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Optique Réelle"]
