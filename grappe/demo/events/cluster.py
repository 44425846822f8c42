"""What the events loader knows of the demo cluster: its organisations and their current
contacts, their memberships, the logins of the contacts who apply for booths and missions."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model

from grappe.demo import vocabulary as words
from grappe.demo.events.calendar import PARIS, at
from grappe.demo.people import login_create, password_hash
from grappe.demo.profiles import taxonomy
from grappe.events.services.pricing import organisation_member_on
from grappe.members.models import (
    Affiliation,
    AffiliationStatus,
    Competence,
    Consent,
    ConsentChannel,
    Membership,
    MembershipStatus,
    Organisation,
    Person,
)
from grappe.members.services import person_create_for_user


def moment_between(rng: random.Random, low: dt.datetime, high: dt.datetime) -> dt.datetime:
    """A moment between `low` and `high`, more often towards the end (people register late),
    in office hours when the window allows it."""
    span = (high - low).total_seconds()
    if span <= 0:
        return low
    moment = low + dt.timedelta(seconds=span * rng.betavariate(2.0, 1.4))
    local = moment.astimezone(PARIS)
    office = local.replace(hour=rng.randint(8, 18), minute=rng.randint(0, 59), second=0)
    moment = office if low <= office < high else moment.replace(second=0, microsecond=0)
    return max(low, min(moment, high - dt.timedelta(minutes=1)))


@dataclass
class Contact:
    person: Person
    organisation: Organisation
    start: dt.date
    is_admin: bool


class Cluster:
    """The cluster as the loader sees it, and what every part of the loader shares."""

    def __init__(self, rng: random.Random, size: str, today: dt.date) -> None:
        self.rng, self.size, self.today = rng, size, today
        self.cutoff = at(today, "00:00")  # nothing happens from today on
        first, last, _title = words.STAFF_LOGIN
        self.staff = get_user_model().objects.get(is_staff=True, first_name=first, last_name=last)
        self.competences = {
            c.code: c for c in Competence.objects.filter(version__is_current=True, is_active=True)
        }
        self.tax = taxonomy()
        self.contacts: dict[int, list[Contact]] = {}
        self.orgs: list[Organisation] = []
        self._load_contacts()
        self.memberships = self._load_memberships()
        self.member_cache: dict[tuple[int, dt.date], bool] = {}
        self.engagement = {org.pk: rng.uniform(0.3, 2.0) for org in self.orgs}
        self.counts: dict[str, int] = {}
        self.seconds = {"events": 0.0, "registrations": 0.0, "applications": 0.0}

    # The people and organisations of the cluster -----------------------------------------

    def _load_contacts(self) -> None:
        affiliations = (
            Affiliation.objects.filter(status=AffiliationStatus.CONFIRMED, end__isnull=True)
            .select_related("person", "organisation")
            .prefetch_related("organisation__competences")
            .order_by("organisation__slug", "-is_admin", "person__email")
        )
        for aff in affiliations:
            if aff.organisation_id not in self.contacts:
                self.orgs.append(aff.organisation)
                self.contacts[aff.organisation_id] = []
            self.contacts[aff.organisation_id].append(
                Contact(aff.person, aff.organisation, aff.start, aff.is_admin)
            )
        self.raw = {org.pk: {c.code for c in org.competences.all()} for org in self.orgs}
        # An organisation works on a branch when it works on one of its leaves.
        self.roots = {
            pk: codes | {".".join(code.split(".")[:2]) for code in codes}
            for pk, codes in self.raw.items()
        }
        featured = next(o for o in self.orgs if o.name == words.FEATURED.name)
        people = {(c.person.first_name, c.person.last_name): c for c in self.contacts[featured.pk]}
        self.featured = featured
        self.member = people[words.FEATURED.member[:2]]
        self.admin = people[words.FEATURED.admin[:2]]
        self.colleague = next(c for c in self.contacts[featured.pk] if c.person.user_id is None)
        first, last, _domain = words.REGISTERED_LOGIN
        self.registered = Person.objects.get(first_name=first, last_name=last, user__isnull=False)
        self.reserved = {c.person.pk for c in (self.member, self.admin, self.colleague)}
        self.reserved.add(self.registered.pk)

    def _load_memberships(self) -> dict[int, list[tuple[dt.date, dt.date]]]:
        """Each organisation's active memberships, as `organisation_is_member` reads them."""
        spans: dict[int, list[tuple[dt.date, dt.date]]] = {}
        rows = Membership.objects.filter(status=MembershipStatus.ACTIVE).order_by("pk")
        for org_id, start, end in rows.values_list("organisation_id", "start", "end"):
            spans.setdefault(org_id, []).append((start, end))
        return spans

    def likely_member(self, org: Organisation, day: dt.date) -> bool:
        """Whether the organisation is a member on `day` (exact up to today, as
        `organisation_is_member`; for a later day, whether it is one today)."""
        day = min(day, self.today)
        return any(start <= day <= end for start, end in self.memberships.get(org.pk, []))

    def is_member(self, org: Organisation, day: dt.date) -> bool:
        """The services' own answer: for a day up to today, whether a membership is active
        then (read from memory); for a later one, `organisation_member_on` (which counts the
        tacit renewal of this year's members)."""
        if day <= self.today:
            return self.likely_member(org, day)
        key = (org.pk, day)
        if key not in self.member_cache:
            self.member_cache[key] = organisation_member_on(org, day)
        return self.member_cache[key]

    def count(self, key: str, number: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + number

    # Logins for the contacts who apply for booths and missions ---------------------------

    def logins_create(self, organisations: list[Organisation], since: dt.date) -> dict[int, Any]:
        """The contacts who apply in their organisation's name sign up first: each
        organisation's administrator gets a login (the demo's password)."""
        hashed = password_hash()
        users: dict[int, Any] = {}
        for org in organisations:
            contact = next((c for c in self.contacts[org.pk] if c.is_admin), None)
            if contact is None:
                continue
            person = contact.person
            if person.user_id is None:
                newsletter = (
                    Consent.objects.filter(person=person, channel=ConsentChannel.NEWSLETTER)
                    .order_by("-at", "-id")
                    .values_list("granted", flat=True)
                    .first()
                )
                user = login_create(
                    email=person.email, first_name=person.first_name,
                    last_name=person.last_name, language=person.language,
                    password_hash=hashed, joined=max(contact.start, since),
                )  # fmt: skip
                person = person_create_for_user(
                    user=user, first_name=person.first_name, last_name=person.last_name,
                    language=person.language, newsletter=bool(newsletter),
                )  # fmt: skip
                contact.person = person
                self.count("logins")
            users[org.pk] = person.user
        return users
