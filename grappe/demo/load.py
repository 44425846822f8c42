"""Load the demo cluster: `load_demo()` for `grappe demo`, tests and any other code.

The demo is made in parts (`STEPS`); each part runs once, in one transaction, through the same
services as the product, and is recorded in `DemoStep`, so a second run changes nothing. Later
features (events, projects) add their own part after the cluster, and what their services
would do after commit in bulk in `rebuild_derived`. Mail is not sent while loading: the
services render it, but their after-commit callbacks are dropped, and the mail backend and
task queue are a local outbox and a dummy queue meanwhile.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from grappe.demo import vocabulary as words
from grappe.demo.events import events_fingerprint_rows, load_events
from grappe.demo.figures import figures_declare_all, plan_figures
from grappe.demo.memberships import (
    cluster_profile_save,
    fee_schedules_create,
    memberships_run,
    plan_memberships,
    window,
)
from grappe.demo.models import DemoStep
from grappe.demo.organisations import SIZES, organisations_create, plan_organisations
from grappe.demo.people import (
    contacts_logins_create,
    join_requests_create,
    password_hash,
    people_create,
    plan_people,
    team_create,
)
from grappe.demo.projects import load_projects, projects_fingerprint_rows
from grappe.members.models import (
    Competence,
    Invoice,
    Membership,
    Organisation,
    OrganisationFigures,
    Person,
)
from grappe.members.selectors import member_organisations

SEED = "pole-lumiere-sud"


class Writer(Protocol):
    """Where progress goes: a management command's stdout, a file, sys.stdout."""

    def write(self, message: str, /) -> Any: ...


QUIET = {
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "TASKS": {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}
    },
}
ROLE_LABELS = {
    "staff": "Staff (cluster team)",
    "expert": "Expert (reviewer)",
    "org_admin": "Administrator of a member company",
    "member": "Contact of a member company",
    "registered": "Registered, no organisation",
}


@dataclass
class DemoSummary:
    skipped: bool
    size: str
    organisations: int = 0
    members: int = 0
    people: int = 0
    memberships: int = 0
    invoices: int = 0
    seconds: float = 0.0
    logins: list[tuple[str, str]] = field(default_factory=list)
    password: str = words.DEMO_PASSWORD


def rng_for(part: str, size: str) -> random.Random:
    """One generator per part and size: a change in one part leaves the others as they were."""
    return random.Random(f"{SEED}:{part}:{size}")


def _say(stdout: Writer | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")


class Progress:
    """Prints what each phase made and how long it took."""

    def __init__(self, stdout: Writer | None) -> None:
        self.stdout, self.last = stdout, time.monotonic()

    def __call__(self, message: str) -> None:
        now = time.monotonic()
        _say(self.stdout, f"  {message} ({now - self.last:.1f} s)")
        self.last = now


def load_cluster(size: str, stdout: Writer | None) -> list[tuple[str, str]]:
    """Organisations, people, figures and five years of memberships; returns the logins."""
    today = timezone.localdate()
    spec = SIZES[size]
    say = Progress(stdout)
    organisations = plan_organisations(rng_for("organisations", size), spec, today.year)
    plan_memberships(rng_for("memberships", size), organisations, spec, today.year)
    people = plan_people(rng_for("people", size), organisations, today, spec.join_requests)
    series = plan_figures(rng_for("figures", size), organisations, today.year)

    password = password_hash()
    team = team_create(today=today, password=password)
    staff = team["staff"]
    fee_schedules_create(window(today.year))
    cluster_profile_save(rng_for("cluster", size))
    competences = {c.code: c for c in Competence.objects.filter(version__is_current=True)}
    created = organisations_create(actor=staff, plans=organisations, competences=competences)
    say(f"{len(created)} organisations")
    people_create(actor=staff, people=people, organisations=created)
    users = contacts_logins_create(people=people, password=password)
    say(f"{Person.objects.count()} people")
    declared = figures_declare_all(actor=staff, series=series, organisations=created)
    say(f"{declared} yearly figures")
    admins = {p.organisation or "": p.email for p in people if p.login == "applicant"}
    memberships_run(
        rng=rng_for("timeline", size),
        staff=staff,
        plans=organisations,
        organisations=created,
        applicants={key: users[email] for key, email in admins.items()},
        today=today,
    )
    say(f"{Membership.objects.count()} memberships, {Invoice.objects.count()} invoices")
    requests = join_requests_create(
        people=people, organisations=created, password=password, today=today
    )
    say(f"{requests} requests to join an organisation")
    by_login = {p.login: p.email for p in people if p.login in {"org_admin", "member"}}
    return [
        ("staff", team["staff"].email),
        ("expert", team["expert"].email),
        ("org_admin", by_login["org_admin"]),
        ("member", by_login["member"]),
        ("registered", team["registered"].email),
    ]


# The parts of the demo, in order. A later feature appends its own after the cluster.
STEPS: list[tuple[str, Callable[[str, Writer | None], list[tuple[str, str]]]]] = [
    ("cluster", load_cluster),
    ("events", load_events),
    ("projects", load_projects),
]


def rebuild_derived() -> None:
    """Derived data the services keep up to date after each commit, rebuilt once instead."""
    from grappe.directory.indexing import directory_rebuild

    directory_rebuild()


def _load_quietly(
    name: str,
    size: str,
    loader: Callable[[str, Writer | None], list[tuple[str, str]]],
    stdout: Writer | None,
) -> list[tuple[str, str]]:
    """Run one part in one transaction, without the services' after-commit effects.

    Those are mail (which must not leave while loading) and the directory's reindexing of
    one organisation at a time (thousands of times here): they are dropped, whether this
    transaction commits on its own or inside a caller's (a test, other code), and the
    derived data is rebuilt once at the end instead."""
    connection = transaction.get_connection()
    pending = len(connection.run_on_commit)
    with transaction.atomic():
        loaded = loader(size, stdout)
        del connection.run_on_commit[pending:]
        started = time.monotonic()
        rebuild_derived()
        _say(stdout, f"  directory index rebuilt ({time.monotonic() - started:.1f} s)")
        DemoStep.objects.create(name=name, size=size, summary={"logins": loaded})
    return loaded


class DemoRefused(Exception):
    """The database holds other data: the demo is not mixed into it."""


def load_demo(
    *,
    stdout: Writer | None = None,
    size: str = "full",
    into_existing: bool = False,
    parts: set[str] | None = None,
) -> DemoSummary:
    """Load every part of the demo not loaded yet; `size` is "full" (190 members) or "small"
    (30 members, for fast tests). A database that already holds organisations, but not the
    demo, is refused unless `into_existing`: a real cluster's data must not get fake members."""
    if size not in SIZES:
        raise ValueError(f"Unknown demo size {size!r}: choose among {', '.join(SIZES)}.")
    started = time.monotonic()
    done = {step.name: step for step in DemoStep.objects.all()}
    if "cluster" not in done and not into_existing and Organisation.objects.exists():
        raise DemoRefused(
            "This database already holds organisations that are not the demo's: load the demo "
            "into an empty database (another GRAPPE_DATA_DIR or DATABASE_URL)."
        )
    logins: list[tuple[str, str]] = []
    skipped = True
    for name, loader in STEPS:
        if parts is not None and name not in parts:
            continue  # only some parts (the cluster's own tests load the full cluster alone)
        if name in done:
            logins += [tuple(pair) for pair in done[name].summary.get("logins", [])]  # type: ignore[misc]
            _say(stdout, f"Demo part “{name}” already loaded on {done[name].loaded_at:%Y-%m-%d}.")
            continue
        skipped = False
        _say(stdout, f"Loading the demo part “{name}” ({size})…")
        with override_settings(**QUIET):
            loaded = _load_quietly(name, size, loader, stdout)
        logins += loaded
    summary = DemoSummary(
        skipped=skipped,
        size=done["cluster"].size if "cluster" in done else size,
        organisations=Organisation.objects.count(),
        members=member_organisations().count(),
        people=Person.objects.count(),
        memberships=Membership.objects.count(),
        invoices=Invoice.objects.count(),
        seconds=round(time.monotonic() - started, 1),
        logins=logins,
    )
    return summary


def demo_fingerprint() -> str:
    """A digest of what the demo made (names, identifiers, figures, memberships, people,
    events and registrations), without database ids or timestamps: equal for two loads on
    the same day."""
    rows: list[Any] = []
    for org in (
        Organisation.objects.select_related("parent_group")
        .prefetch_related("competences")
        .order_by("slug")
    ):
        codes = sorted(c.code for c in org.competences.all())
        rows.append(
            (org.slug, org.name, org.legal_name, org.siren, org.siret, org.vat_number, org.kind,
             org.city, str(org.latitude), str(org.longitude), org.description_fr,
             org.description_en, org.founded_year, org.parent_group.slug if org.parent_group
             else "", codes)
        )  # fmt: skip
    rows += list(
        OrganisationFigures.objects.order_by("organisation__slug", "year").values_list(
            "organisation__slug", "year", "headcount", "turnover", "export_share", "rnd_spend"
        )
    )
    rows += list(
        Membership.objects.order_by("organisation__slug", "year").values_list(
            "organisation__slug", "year", "status", "start", "end", "fee", "college"
        )
    )
    rows += list(
        Invoice.objects.order_by("number").values_list(
            "number", "organisation__slug", "amount_gross", "issued_on", "status", "paid_on"
        )
    )
    rows += list(
        Person.objects.order_by("email").values_list(
            "first_name", "last_name", "email", "job_title", "language", "phone"
        )
    )
    rows += events_fingerprint_rows()
    rows += projects_fingerprint_rows()
    return hashlib.sha256(repr(rows).encode()).hexdigest()
