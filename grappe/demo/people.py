"""The demo's people: contacts of every organisation with dated affiliations and consents,
the logins printed by `grappe demo`, and people asking to join an organisation.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from grappe.demo import vocabulary as words
from grappe.demo.organisations import OrgPlan
from grappe.demo.profiles import COMPANY, RESEARCH, ascii_slug, phone_number
from grappe.members.models import AffiliationRole, ConsentChannel, ConsentSource, Organisation
from grappe.members.models import Person as PersonModel
from grappe.members.services import (
    affiliation_create,
    affiliation_end,
    affiliation_request,
    consent_record,
    person_create,
    person_create_for_user,
    person_update,
)

CONTACTS: dict[str, tuple[int, int]] = {
    "startup": (1, 3), "sme": (2, 3), "midsize": (3, 4), "large": (4, 6), "lab": (2, 4),
    "university": (2, 4), "tech_centre": (2, 3), "public": (1, 3), "association": (1, 2),
    "other": (1, 2),
}  # fmt: skip
ROLES: dict[str, list[tuple[str, int]]] = {
    "company": [("technical", 55), ("sales", 20), ("finance", 10), ("communication", 5),
                ("executive", 10)],
    "research": [("researcher", 80), ("communication", 10), ("finance", 10)],
    "tech_centre": [("technical", 50), ("researcher", 30), ("sales", 20)],
    "support": [("other", 70), ("communication", 30)],
}  # fmt: skip
MOVERS = 0.03  # people who worked for another organisation of the cluster before


@dataclass
class PersonPlan:
    first_name: str
    last_name: str
    gender: str
    language: str
    email: str
    phone: str
    job_title: str
    organisation: str | None = None  # the OrgPlan key
    role: str = AffiliationRole.OTHER
    is_admin: bool = False
    start: dt.date | None = None
    previous: tuple[str, dt.date, dt.date] | None = None  # organisation, from, until
    consents: list[tuple[str, bool, dt.datetime]] = field(default_factory=list)
    login: str = ""  # the demo role this person logs in as ("" for none)


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    """`hour` o'clock on `day`, local time, but never later than now."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
    return min(moment, timezone.now())


class PeopleDraw:
    """Draws names, addresses and titles; keeps e-mail addresses unique across the demo."""

    def __init__(self, rng: random.Random, today: dt.date) -> None:
        self.rng, self.today = rng, today
        self.emails: set[str] = set()

    def name(self, country: str) -> tuple[str, str, str, str]:
        """(first name, last name, gender, language)."""
        origin, language = country, "en"
        if country == "FR":
            origin, language = ("INT", "en") if self.rng.random() < 0.06 else ("FR", "fr")
        gender = self.rng.choice("fm")
        first = self.rng.choice(words.FIRST_NAMES[origin][gender])
        return first, self.rng.choice(words.LAST_NAMES[origin]), gender, language

    def email(self, first: str, last: str, domain: str) -> str:
        local = f"{ascii_slug(first)}.{ascii_slug(last)}"
        candidates = [local, f"{ascii_slug(first)[:1]}.{ascii_slug(last)}"]
        candidates += [f"{local}{n}" for n in range(2, 50)]
        email = next(f"{c}@{domain}" for c in candidates if f"{c}@{domain}" not in self.emails)
        self.emails.add(email)
        return email

    def title(self, role: str, gender: str, language: str, kind: str, admin: bool) -> str:
        if admin:
            masculine, feminine, english = words.ADMIN_TITLES[kind]
        else:
            masculine, feminine, english = self.rng.choice(words.JOB_TITLES[role])
        if language == "en":
            return english
        return feminine if gender == "f" else masculine

    def phone(self, city: words.City) -> str:
        if city.country == "FR" and self.rng.random() < 0.4:
            digits = " ".join(f"{self.rng.randint(0, 99):02d}" for _ in range(4))
            return f"+33 {self.rng.choice('67')} {digits}"
        return phone_number(self.rng, city)

    def day_between(self, low: dt.date, high: dt.date) -> dt.date:
        if high <= low:
            return low
        return low + dt.timedelta(days=self.rng.randint(0, (high - low).days))

    def consents(self, since: dt.date) -> list[tuple[str, bool, dt.datetime]]:
        day = min(since + dt.timedelta(days=self.rng.randint(0, 30)), self.today - dt.timedelta(1))
        when = at(day, self.rng.randint(8, 18))
        newsletter = self.rng.random() < 0.6
        result: list[tuple[str, bool, dt.datetime]] = [
            (ConsentChannel.DIRECTORY, self.rng.random() < 0.85, when),
            (ConsentChannel.NEWSLETTER, newsletter, when),
        ]
        withdrawn = when + dt.timedelta(days=self.rng.randint(90, 700))
        if newsletter and self.rng.random() < 0.1 and withdrawn.date() < self.today:
            result.append((ConsentChannel.NEWSLETTER, False, withdrawn))
        return result


def _role_family(kind: str) -> str:
    if kind in COMPANY:
        return "company"
    if kind == "tech_centre":
        return "tech_centre"
    return "research" if kind in RESEARCH else "support"


def _contact(
    draw: PeopleDraw, org: OrgPlan, *, admin: bool, named: tuple[str, str, str] | None = None
) -> PersonPlan:
    rng = draw.rng
    if named:
        first, last, gender = named
        language = "fr"
    else:
        first, last, gender, language = draw.name(org.country)
    family = _role_family(org.kind)
    if admin:
        role = {"company": "executive", "research": "researcher"}.get(family, "other")
        role = "technical" if org.kind == "tech_centre" else role
    else:
        role = rng.choices([r for r, _ in ROLES[family]], [w for _, w in ROLES[family]])[0]
    founded = dt.date(max(org.founded, draw.today.year - 15), 1, 1)
    start = draw.day_between(founded, draw.today - dt.timedelta(days=20))
    return PersonPlan(
        first_name=first, last_name=last, gender=gender, language=language,
        email=draw.email(first, last, org.domain), phone=draw.phone(org.city),
        job_title=draw.title(role, gender, language, org.kind, admin), organisation=org.key,
        role=role, is_admin=admin, start=start, consents=draw.consents(start),
    )  # fmt: skip


def plan_people(
    rng: random.Random, organisations: list[OrgPlan], today: dt.date, requests: int
) -> list[PersonPlan]:
    """Every organisation's contacts (its administrator first), the featured organisation's
    being the people of the demo logins; then `requests` people asking to join one."""
    draw = PeopleDraw(rng, today)
    people: list[PersonPlan] = []
    for org in organisations:
        if org.featured:
            admin = _contact(draw, org, admin=True, named=words.FEATURED.admin)
            member = _contact(draw, org, admin=False, named=words.FEATURED.member)
            member.role = AffiliationRole.TECHNICAL
            member.job_title = "Ingénieur opticien"
            admin.login, member.login = "org_admin", "member"
            people += [admin, member, _contact(draw, org, admin=False)]
            continue
        low, high = CONTACTS[org.kind]
        people.append(_contact(draw, org, admin=True))
        people.extend(_contact(draw, org, admin=False) for _ in range(rng.randint(low, high) - 1))
    _movers(rng, people, organisations)
    admins = {p.organisation: p for p in people if p.is_admin}
    for org in organisations:
        if org.pending:
            admins[org.key].login = "applicant"
    return people + _requesters(draw, organisations, requests)


def _movers(rng: random.Random, people: list[PersonPlan], organisations: list[OrgPlan]) -> None:
    """A few people worked for another organisation of the cluster before their current one."""
    founded = {o.key: o.founded for o in organisations if o.group != "partner"}
    keys = list(founded)
    for person in people:
        if person.is_admin or person.login or rng.random() >= MOVERS:
            continue
        other = rng.choice([k for k in keys if k != person.organisation])
        assert person.start is not None
        until = person.start - dt.timedelta(days=1)
        since = until - dt.timedelta(days=rng.randint(365, 2500))
        since = max(since, dt.date(founded[other], 1, 1))
        if since < until:
            person.previous = (other, since, until)


def _requesters(draw: PeopleDraw, organisations: list[OrgPlan], count: int) -> list[PersonPlan]:
    """People who signed up and asked to join a member organisation, not yet answered."""
    featured = next(o for o in organisations if o.featured)
    targets = [
        o for o in organisations
        if o.group == "member" and not o.featured and o.country == "FR"
        and o.kind in {"sme", "startup", "lab", "midsize"}
    ]  # fmt: skip
    chosen = [featured] + draw.rng.sample(targets, count - 1)
    result = []
    for index, org in enumerate(chosen):
        if index == 0:
            first, last, gender = words.FEATURED.requester
            language = "fr"
        else:
            first, last, gender, language = draw.name(org.country)
        role = "researcher" if org.kind == "lab" else "technical"
        result.append(
            PersonPlan(
                first_name=first,
                last_name=last,
                gender=gender,
                language=language,
                email=draw.email(first, last, org.domain),
                phone="",
                job_title=draw.title(role, gender, language, org.kind, False),
                organisation=org.key,
                role=role,
                login="requester",
            )
        )
    return result


# --- writing --------------------------------------------------------------------------------


def login_create(
    *,
    email: str,
    first_name: str,
    last_name: str,
    language: str,
    password_hash: str,
    joined: dt.date,
    **flags: bool,
) -> Any:
    """A login with a verified primary e-mail address (as after a confirmed sign-up)."""
    user = get_user_model()(
        email=email, first_name=first_name, last_name=last_name, language=language,
        password=password_hash, date_joined=at(joined, 9), **flags,
    )  # fmt: skip
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def password_hash() -> str:
    """Hashed once: every demo login shares the printed password."""
    return make_password(words.DEMO_PASSWORD)


def team_create(*, today: dt.date, password: str) -> dict[str, Any]:
    """The cluster's staff member, an expert and a registered person without organisation."""
    joined = dt.date(today.year - 5, 9, 1)
    first, last, title = words.STAFF_LOGIN
    staff = login_create(
        email=f"{ascii_slug(first)}.{ascii_slug(last)}@{words.CLUSTER.domain}",
        first_name=first, last_name=last, language="fr", password_hash=password,
        joined=joined, is_staff=True, is_superuser=True,
    )  # fmt: skip
    first, last, expertise = words.EXPERT_LOGIN
    expert = login_create(
        email=f"{ascii_slug(first)}.{ascii_slug(last)}@conseil-optique.example",
        first_name=first, last_name=last, language="fr", password_hash=password,
        joined=dt.date(today.year - 2, 3, 14), is_expert=True,
    )  # fmt: skip
    first, last, domain = words.REGISTERED_LOGIN
    registered = login_create(
        email=f"{ascii_slug(first)}.{ascii_slug(last)}@{domain}", first_name=first,
        last_name=last, language="fr", password_hash=password,
        joined=today - dt.timedelta(days=12),
    )  # fmt: skip
    for user, job_title, newsletter in ((staff, title, True), (expert, expertise, True),
                                        (registered, "", False)):  # fmt: skip
        person = person_create_for_user(
            user=user, first_name=user.first_name, last_name=user.last_name,
            language="fr", newsletter=newsletter,
        )  # fmt: skip
        if job_title:
            person_update(actor=user, person=person, data={"job_title": job_title})
    return {"staff": staff, "expert": expert, "registered": registered}


def people_create(
    *, actor: Any, people: list[PersonPlan], organisations: dict[str, Organisation]
) -> dict[str, PersonModel]:
    """Contacts with their dated affiliations (past ones ended) and their consents."""
    created = {}
    for plan in people:
        if plan.login == "requester":
            continue
        person = person_create(
            actor=actor,
            data={"first_name": plan.first_name, "last_name": plan.last_name,
                  "email": plan.email, "phone": plan.phone, "job_title": plan.job_title,
                  "language": plan.language},
        )  # fmt: skip
        if plan.previous:
            other, since, until = plan.previous
            earlier = affiliation_create(actor=actor, person=person,
                                         organisation=organisations[other], role=plan.role,
                                         start=since)  # fmt: skip
            affiliation_end(actor=actor, affiliation=earlier, end=until)
        assert plan.organisation is not None
        affiliation_create(actor=actor, person=person, organisation=organisations[plan.organisation],
                           role=plan.role, is_admin=plan.is_admin, start=plan.start)  # fmt: skip
        for channel, granted, when in plan.consents:
            consent_record(person=person, channel=channel, granted=granted,
                           source=ConsentSource.DEMO, at=when)  # fmt: skip
        created[plan.email] = person
    return created


def contacts_logins_create(*, people: list[PersonPlan], password: str) -> dict[str, Any]:
    """Logins for the contacts who use the platform: the demo's organisation administrator and
    member, and the administrators of organisations applying this year. Keyed by e-mail."""
    users = {}
    for plan in people:
        if plan.login not in {"org_admin", "member", "applicant"}:
            continue
        assert plan.start is not None
        user = login_create(
            email=plan.email, first_name=plan.first_name, last_name=plan.last_name,
            language=plan.language, password_hash=password, joined=plan.start,
        )  # fmt: skip
        newsletter = [granted for channel, granted, _ in plan.consents if channel == "newsletter"]
        person_create_for_user(
            user=user, first_name=plan.first_name, last_name=plan.last_name,
            language=plan.language, newsletter=bool(newsletter and newsletter[-1]),
        )  # fmt: skip
        users[plan.email] = user
    return users


def join_requests_create(
    *, people: list[PersonPlan], organisations: dict[str, Organisation], password: str,
    today: dt.date,
) -> int:  # fmt: skip
    """People who signed up these last days and asked to join their organisation."""
    count = 0
    for plan in people:
        if plan.login != "requester":
            continue
        assert plan.organisation is not None
        user = login_create(
            email=plan.email, first_name=plan.first_name, last_name=plan.last_name,
            language=plan.language, password_hash=password,
            joined=today - dt.timedelta(days=count + 1),
        )  # fmt: skip
        person = person_create_for_user(
            user=user, first_name=plan.first_name, last_name=plan.last_name,
            language=plan.language, newsletter=count % 2 == 0,
        )  # fmt: skip
        person_update(actor=user, person=person, data={"job_title": plan.job_title})
        affiliation_request(actor=user, organisation=organisations[plan.organisation],
                            role=plan.role)  # fmt: skip
        count += 1
    return count
