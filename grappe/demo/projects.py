"""The demo cluster's labelling of collaborative R&D projects: five years of sessions (two a
year) and the current one, a pool of experts, files from their draft to their funding outcome.

Everything goes through the projects services, each action at its own moment (`now=`),
session after session: a session is opened with its grid and committee, member contacts
prepare their files (consortium, budget, technologies) and submit them, staff check
admissibility, the optimiser proposes experts and staff confirm, experts accept or decline
(a replacement is proposed), review on the grid, the committee decides. What follows a
decision is queued and done at the end in date order: certificates are numbered, the
consortium records its submission to the funder and the funding outcome, staff close what is
finished. The current session is caught in the middle: drafts, files awaiting
the admissibility check, files under review with invitations to answer and reviews to write,
files on the committee's agenda. Every action happens before today's midnight, so that two
loads on the same day give the same data. Nothing is written with the ORM directly except the
logins of the contacts, experts and team members who use the labelling pages (as
`grappe.demo.people` does for the demo logins: the platform has no service that creates a
login other than the sign-up form).
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grappe.demo import projects_words as w
from grappe.demo import vocabulary as words
from grappe.demo.people import login_create
from grappe.demo.profiles import ascii_slug
from grappe.members.models import (
    COMPANY_KINDS,
    RESEARCH_KINDS,
    Affiliation,
    Competence,
    Consent,
    ConsentChannel,
    Organisation,
    Person,
    SizeClass,
)
from grappe.members.selectors import affiliation_current_q, member_organisations
from grappe.members.services import person_create_for_user, person_update
from grappe.projects.conflicts import conflicts_for
from grappe.projects.models import (
    Assignment,
    AssignmentStatus,
    Certificate,
    CommitteeRole,
    Criterion,
    Decision,
    DocumentKind,
    ExpertKind,
    ExpertProfile,
    FundingScheme,
    LabellingRequest,
    LabellingSession,
    Partner,
    PartnerRole,
    RequestStatus,
    Stage,
)
from grappe.projects.models.experts import NDA_VERSION
from grappe.projects.services.assignments import (
    assignment_accept,
    assignment_add,
    assignment_confirm,
    assignment_decline,
    assignments_confirm,
    assignments_propose,
    session_loads,
)
from grappe.projects.services.documents import document_add, exclusion_add
from grappe.projects.services.experts import (
    expert_agreement_accept,
    expert_profile_create,
    expert_relationship_add,
)
from grappe.projects.services.files import (
    contact_add,
    partner_save,
    request_create,
    request_resubmit,
    request_update,
)
from grappe.projects.services.reviews import review_save, review_save_and_submit
from grappe.projects.services.sessions import (
    committee_add,
    criterion_save,
    grid_copy,
    session_save,
)
from grappe.projects.services.workflow import (
    request_close,
    request_decide,
    request_declare_inadmissible,
    request_issue_certificate,
    request_record_outcome,
    request_start_review,
    request_submit,
    request_submitted_to_funder,
    request_to_committee,
    request_withdraw,
)

S = RequestStatus
A = AssignmentStatus
TERRITORY = {"FRL0", "FRJ1", "FRJ2"}  # Provence-Alpes-Côte d'Azur, Occitanie
SME_SIZES = {SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM, SizeClass.MIDSIZE}
SCHEMES = [("pspc", 30), ("idemo", 15), ("anr", 14), ("bpi", 10), ("region", 19), ("horizon", 12)]
FATES = [("labelled", 62), ("labelled_reservations", 18), ("deferred", 7), ("rejected", 13)]
HORIZON_FATES = [("support_letter", 88), ("rejected", 12)]
OUTCOMES = [("funded", 56), ("not_funded", 41), ("withdrawn", 3)]
CERTIFIED = {"labelled", "labelled_reservations", "support_letter"}
# The aid rate of a partner's budget (PSPC-Régions' rates; Horizon Europe's for its files).
AID_RATES = {"sme": Decimal("0.45"), "midsize": Decimal("0.30"), "large": Decimal("0.25"),
             "research": Decimal("0.40"), "other": Decimal("0.30")}  # fmt: skip
HORIZON_RATES = {"research": Decimal("1.00"), "company": Decimal("0.70")}
# The weighted mean the committee sees, by decision, and whether an eliminatory flag may show.
BANDS = {
    "labelled": (3.4, 5.1, False), "labelled_reservations": (3.0, 3.6, False),
    "support_letter": (3.2, 5.1, False), "deferred": (2.4, 3.0, False),
    "rejected": (0.0, 2.8, True),
}  # fmt: skip
TARGETS = {
    "labelled": (3.6, 4.5), "labelled_reservations": (3.0, 3.5), "support_letter": (3.4, 4.4),
    "deferred": (2.5, 3.0), "rejected": (1.5, 2.6),
}  # fmt: skip


@dataclass(frozen=True)
class Current:
    """How many files of the current session are at each stage."""

    drafts: int
    submitted: int  # awaiting the admissibility check
    early: int  # under review since weeks: reviews in, some on the committee's agenda
    later: int  # under review since days: invitations out, some answered
    fresh: int  # just found admissible: experts to assign


@dataclass(frozen=True)
class Spec:
    past: int  # past sessions, two a year
    files: int  # files a past session receives
    volunteers: int  # member contacts in the pool of experts
    outsiders: int  # outside experts in the pool
    current: Current


SPECS = {
    "full": Spec(past=10, files=18, volunteers=12, outsiders=10, current=Current(5, 3, 6, 4, 2)),
    "small": Spec(past=3, files=4, volunteers=3, outsiders=3, current=Current(1, 1, 3, 1, 1)),
}


def moment(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def weighted(rng: random.Random, pairs: Sequence[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def in_language(pair: tuple[str, str], language: str) -> str:
    return pair[1] if language == "en" else pair[0]


def of_month(month: int) -> str:
    """The month with its preposition: "de février", "d'avril" (month counted from 0)."""
    name = w.MONTHS_FR[month]
    return f"d'{name}" if name[0] in "aeiouyéà" else f"de {name}"


def lower_first(text: str) -> str:
    """A job title inside a sentence: "Ingénieur opticien" → "ingénieur opticien" (but "R&D
    manager" stays as it is)."""
    if len(text) > 1 and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def euros(value: float, step: int = 1000) -> Decimal:
    return Decimal(int(round(value / step)) * step)


# --- a small PDF for the files' documents (no renderer needed) -------------------------------


def pdf_document(lines: list[str]) -> bytes:
    """A one-page PDF with a few lines of text (Helvetica, accents dropped)."""

    def plain(text: str) -> str:
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return text.replace("\\", "").replace("(", "[").replace(")", "]")

    body = " ".join(
        f"BT /F1 {14 if i == 0 else 11} Tf 72 {740 - 22 * i} Td ({plain(line)}) Tj ET"
        for i, line in enumerate(lines)
    ).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# --- the plan of a session and of a file ---------------------------------------------------


@dataclass
class SessionDates:
    opens: dt.datetime
    deadline: dt.datetime
    reviews: dt.date
    committee: dt.date


def session_dates(today: dt.date, back: int) -> SessionDates:
    """The session `back` half-years before the current one, whose committee meets in about
    eleven weeks (a Tuesday or a Thursday). Past committees do not meet in August or at
    Christmas: they move to September or January."""
    committee = today + dt.timedelta(days=75 - 182 * back)
    if back and committee.month == 8:
        committee = dt.date(committee.year, 9, 8)
    elif back and committee.month == 12 and committee.day >= 18:
        committee = dt.date(committee.year + 1, 1, 8)
    while committee.weekday() not in (1, 3):
        committee += dt.timedelta(days=1)
    return SessionDates(
        opens=moment(committee - dt.timedelta(days=150), 9),
        deadline=moment(committee - dt.timedelta(days=60), 12),
        reviews=committee - dt.timedelta(days=14),
        committee=committee,
    )


@dataclass
class PartnerPlan:
    organisation: Organisation
    member: bool  # a member today: chosen from the platform; else described by hand
    budget: Decimal = Decimal(0)
    aid: Decimal = Decimal(0)

    @property
    def in_territory(self) -> bool:
        return self.organisation.country == "FR" and self.organisation.region in TERRITORY


@dataclass
class FilePlan:
    index: int  # the session's position, oldest first
    group: str  # "past", or the current session's stage: draft, submitted, early, later, fresh
    topic: w.Topic
    use: w.Use
    scheme: str
    stage: str
    fate: str  # a Decision value, or "inadmissible" / "withdrawn"
    author: Person
    partners: list[PartnerPlan]
    acronym: str
    language: str
    created: dt.datetime
    submitted: dt.datetime
    duration: int
    trl: tuple[int, int]
    helper: Person | None = None  # a contact of a partner who joins the file
    helper_org: Organisation | None = None
    outcome: str = ""  # funded, not_funded, withdrawn (once submitted to the funder)
    documents: bool = False
    resubmit: bool = False  # deferred, then resubmitted to the next session
    previous: FilePlan | None = None
    request: LabellingRequest | None = None

    @property
    def lead(self) -> Organisation:
        return self.partners[0].organisation

    @property
    def total(self) -> Decimal:
        return sum((p.budget for p in self.partners), Decimal(0))


@dataclass
class ExpertPlan:
    key: str  # an e-mail address
    kind: str
    joins: int  # the session before which the expert joins the pool
    competences: list[str]
    load: int
    bio: tuple[str, str]
    person: Person | None = None  # a member contact, or None (a login is made)
    names: tuple[str, str, str] = ("", "", "fr")  # first, last, language for a new login
    title: str = ""  # the job title of a new login
    employer: Organisation | None = None
    ties: list[tuple[Organisation, str]] = field(default_factory=list)
    profile: ExpertProfile | None = None


@dataclass
class Reviewer:
    """One accepted assignment of a file, with its planned scores."""

    assignment: Assignment
    user: Any
    language: str
    scores: dict[str, int] = field(default_factory=dict)


# --- the loader ----------------------------------------------------------------------------


class Labelling:
    """Draws and writes the labelling part of the demo, session after session."""

    def __init__(self, rng: random.Random, size: str, today: dt.date) -> None:
        self.rng, self.size, self.today = rng, size, today
        self.spec = SPECS[size]
        self.cutoff = moment(today, 0)  # nothing happens from today's midnight on
        self.counts: Counter[str] = Counter()
        self.later: list[tuple[dt.datetime, int, Callable[[], Any]]] = []
        self.acronyms: set[str] = set()
        self.users: dict[int, Any] = {}  # person id → login
        self.competences = {c.code: c for c in Competence.objects.filter(version__is_current=True)}
        self.people_load()

    # The cluster as the cluster part left it ------------------------------------------------

    def people_load(self) -> None:
        User = get_user_model()
        self.staff = User.objects.get(email__startswith="claire.fabre@")
        self.expert_user = User.objects.get(email__startswith="jean-marc.olivier@")
        # Every demo login shares the printed password: its hash is the team's (hashing it
        # again would cost a third of a second).
        self.password = self.staff.password
        self.featured = Organisation.objects.get(name=words.FEATURED.name)
        self.lucas = self.featured_person(words.FEATURED.member)
        self.sophie = self.featured_person(words.FEATURED.admin)
        self.members = list(
            member_organisations()
            .select_related("parent_group")
            .prefetch_related("competences")
            .order_by("slug")
        )
        member_ids = {o.pk for o in self.members}
        self.outside = [
            o for o in Organisation.objects.order_by("slug")
            if o.pk not in member_ids and (o.kind in COMPANY_KINDS or o.kind in RESEARCH_KINDS)
            and (o.country != "FR" or o.siret)
        ]  # fmt: skip
        self.contacts: dict[int, list[Affiliation]] = {}
        affiliations = (
            Affiliation.objects.filter(
                affiliation_current_q(self.today), organisation_id__in=member_ids
            )
            .select_related("person__user", "organisation")
            .order_by("organisation__slug", "-is_admin", "person__email")
        )
        for affiliation in affiliations:
            self.contacts.setdefault(affiliation.organisation_id, []).append(affiliation)
        self.branches = {
            o.pk: {".".join(c.code.split(".")[:2]) for c in o.competences.all()}
            for o in self.members
        }
        self.companies = [o for o in self.members if o.kind in COMPANY_KINDS]
        self.labs = [o for o in self.members if o.kind in RESEARCH_KINDS]
        self.leads = [
            o for o in self.companies
            if o.pk != self.featured.pk and o.region in TERRITORY and self.contacts.get(o.pk)
        ]  # fmt: skip

    def featured_person(self, names: tuple[str, str, str]) -> Person:
        first, last, _gender = names
        return Person.objects.get(
            first_name=first, last_name=last, user__isnull=False,
            affiliations__organisation=self.featured,
        )  # fmt: skip

    def user_of(self, person: Person, since: dt.date) -> Any:
        """The person's login, made on first use (as if they had signed up `since`)."""
        if person.pk in self.users:
            return self.users[person.pk]
        if person.user_id is not None:
            self.users[person.pk] = person.user
            return person.user
        newsletter = (
            Consent.objects.filter(person=person, channel=ConsentChannel.NEWSLETTER)
            .order_by("-at", "-id")
            .values_list("granted", flat=True)
            .first()
        )
        user = login_create(
            email=person.email, first_name=person.first_name, last_name=person.last_name,
            language=person.language, password_hash=self.password, joined=since,
        )  # fmt: skip
        person_create_for_user(
            user=user, first_name=person.first_name, last_name=person.last_name,
            language=person.language, newsletter=bool(newsletter),
        )  # fmt: skip
        self.counts["logins"] += 1
        self.users[person.pk] = user
        return user

    def contact_for(self, org: Organisation, *, roles: Sequence[str]) -> Person | None:
        """The organisation's usual contact for projects: the first of `roles`, else anyone."""
        people = self.contacts.get(org.pk, [])
        for role in roles:
            for affiliation in people:
                if affiliation.role == role:
                    return affiliation.person
        return people[0].person if people else None

    # The pool of experts -------------------------------------------------------------------

    def experts_plan(self, sessions: list[SessionDates]) -> list[ExpertPlan]:
        rng = self.rng
        plans: list[ExpertPlan] = []
        joined = self.expert_user.date_joined.date()
        first_after = next(i for i, s in enumerate(sessions) if s.opens.date() >= joined)
        plans.append(
            ExpertPlan(
                key=self.expert_user.email, kind=ExpertKind.EXTERNAL, joins=first_after,
                load=3,
                competences=["tech.systems.design", "tech.imaging", "tech.infrared",
                             "tech.sensors.lidar", "market.space", "market.defence",
                             "market.industry"],
                bio=w.DEMO_EXPERT_BIO,
            )
        )  # fmt: skip
        for first, last, _gender, title, title_en in w.STAFF_EXPERTS:
            plans.append(
                ExpertPlan(
                    key=f"{ascii_slug(first)}.{ascii_slug(last)}@{words.CLUSTER.domain}",
                    kind=ExpertKind.STAFF, joins=0, load=3, bio=(title, title_en), title=title,
                    competences=self.topic_codes(rng.sample(w.TOPICS, 3), top=True)
                    + [u.market for u in rng.sample(w.USES, 2)],
                    names=(first, last, "fr"),
                )
            )  # fmt: skip
        plans += self.volunteers_plan(len(sessions))
        plans += self.outsiders_plan(len(sessions))
        self.ties_plan(plans)
        return plans

    def topic_codes(self, topics: list[w.Topic], top: bool = False) -> list[str]:
        codes: list[str] = []
        for topic in topics:
            codes += list(topic.technologies) if top else [w.FINE[topic.key][0]]
        return list(dict.fromkeys(codes))

    def volunteers_plan(self, sessions: int) -> list[ExpertPlan]:
        rng = self.rng
        research = [o for o in self.labs if self.contacts.get(o.pk)]
        firms = [o for o in self.companies if o.pk != self.featured.pk and self.contacts.get(o.pk)]
        count = self.spec.volunteers
        chosen = rng.sample(research, min(len(research), count // 2))
        chosen += rng.sample(firms, min(len(firms), count - len(chosen)))
        self.volunteer_orgs = {o.pk for o in chosen}
        plans = []
        for org in sorted(chosen, key=lambda o: o.slug):
            person = self.contact_for(org, roles=("researcher", "technical", "executive"))
            assert person is not None
            codes = sorted(c.code for c in org.competences.all() if c.facet == "technology")
            markets = sorted(c.code for c in org.competences.all() if c.facet == "market")
            title = lower_first(person.job_title) or (
                "chercheur" if org.kind in RESEARCH_KINDS else "ingénieur"
            )
            plans.append(
                ExpertPlan(
                    key=person.email, kind=ExpertKind.MEMBER, person=person, employer=org,
                    joins=0 if rng.random() < 0.8 else rng.randint(1, max(1, sessions - 3)),
                    competences=codes[:3] + markets[:2], load=rng.choice([3, 3, 4, 5]),
                    bio=(w.VOLUNTEER_BIO[0].format(title=title, organisation=org.name),
                         w.VOLUNTEER_BIO[1].format(title=title, organisation=org.name)),
                )
            )  # fmt: skip
        return plans

    def outsiders_plan(self, sessions: int) -> list[ExpertPlan]:
        rng = self.rng
        plans, emails = [], set()
        for index in range(self.spec.outsiders):
            origin, language = ("INT", "en") if index % 4 == 3 else ("FR", "fr")
            gender = rng.choice("fm")
            first = rng.choice(words.FIRST_NAMES[origin][gender])
            last = rng.choice(words.LAST_NAMES["FR" if origin == "FR" else "INT"])
            domain = w.OUTSIDE_DOMAINS[index % len(w.OUTSIDE_DOMAINS)]
            email = f"{ascii_slug(first)}.{ascii_slug(last)}@{domain}"
            if email in emails:
                continue
            emails.add(email)
            topics = rng.sample(w.TOPICS, 3)
            profile = w.OUTSIDE_PROFILES[index % len(w.OUTSIDE_PROFILES)]
            title = (
                profile.title_en
                if language == "en"
                else (profile.title_f if gender == "f" else profile.title_m)
            )
            plans.append(
                ExpertPlan(
                    key=email, kind=ExpertKind.EXTERNAL, names=(first, last, language),
                    joins=0 if rng.random() < 0.75 else rng.randint(1, max(1, sessions - 3)),
                    competences=self.topic_codes(topics) + self.topic_codes(topics[:1], top=True)
                    + [u.market for u in rng.sample(w.USES, 2)],
                    load=rng.choice([4, 5, 6]), bio=(profile.bio_fr, profile.bio_en), title=title,
                )
            )  # fmt: skip
        return plans

    def ties_plan(self, plans: list[ExpertPlan]) -> None:
        """A few declared ties, so that the assignment board shows conflicts beyond employers:
        the demo expert consults for a member firm, volunteers name competitors, an outside
        expert a former employer."""
        rng = self.rng
        firms = [o for o in self.companies if o.pk != self.featured.pk]
        plans[0].ties.append((rng.choice(firms), "client"))
        volunteers = [p for p in plans if p.kind == ExpertKind.MEMBER]
        for plan in volunteers[:3]:
            rivals = [o for o in firms if o.pk != getattr(plan.employer, "pk", None)]
            plan.ties.append((rng.choice(rivals), "competitor"))
        outsiders = [p for p in plans if p.kind == ExpertKind.EXTERNAL and p.person is None]
        large = [o for o in firms if o.kind == "large"] or firms
        if len(outsiders) > 1:
            outsiders[1].ties.append((rng.choice(large), "former_employer"))

    def experts_join(self, plans: list[ExpertPlan], index: int, opens: dt.datetime) -> None:
        """The experts who join the pool before session `index` opens: their profile, the
        confidentiality agreement and their declared ties."""
        when = opens - dt.timedelta(days=12)
        for plan in plans:
            if plan.joins != index:
                continue
            user = self.expert_login(plan, when.date())
            employer = plan.employer
            plan.profile = expert_profile_create(
                actor=self.staff, user=user, kind=plan.kind, employer=employer,
                competences=[self.competences[c] for c in plan.competences if c in self.competences],
                load_limit=plan.load, bio=in_language(plan.bio, user.language or "fr"),
            )  # fmt: skip
            expert_agreement_accept(actor=user, profile=plan.profile, version=NDA_VERSION,
                                    now=when + dt.timedelta(days=1, hours=3))  # fmt: skip
            for org, kind in plan.ties:
                note = in_language(w.RELATIONSHIP_NOTES[kind], user.language or "fr")
                expert_relationship_add(actor=user, profile=plan.profile, organisation=org,
                                        kind=kind, note=note,
                                        now=when + dt.timedelta(days=2))  # fmt: skip
                self.counts["ties"] += 1
            self.counts["experts"] += 1

    def expert_login(self, plan: ExpertPlan, since: dt.date) -> Any:
        if plan.key == self.expert_user.email:
            return self.expert_user
        if plan.person is not None:
            return self.user_of(plan.person, since)
        first, last, language = plan.names
        staff = plan.kind == ExpertKind.STAFF
        user = login_create(
            email=plan.key, first_name=first, last_name=last, language=language,
            password_hash=self.password, joined=since - dt.timedelta(days=20), is_staff=staff,
        )  # fmt: skip
        person = person_create_for_user(
            user=user, first_name=first, last_name=last, language=language, newsletter=staff
        )
        person_update(actor=user, person=person, data={"job_title": plan.title})
        self.counts["logins"] += 1
        return user

    # The committee --------------------------------------------------------------------------

    def committee_plan(self) -> None:
        """A chair from a large member firm and four members (a lab, a mid-size firm, an SME,
        a university or technical centre), none of them experts; staff keep the minutes."""
        taken = set(getattr(self, "volunteer_orgs", set())) | {self.featured.pk}
        wanted = [("large", "midsize"), ("lab", "tech_centre"), ("midsize", "large"),
                  ("sme", "startup"), ("university", "tech_centre", "lab")]  # fmt: skip
        people: list[Person] = []
        for kinds in wanted:
            org = next(
                (o for kind in kinds for o in self.members
                 if o.kind == kind and o.pk not in taken and self.contacts.get(o.pk)),
                None,
            )  # fmt: skip
            if org is None:
                continue
            taken.add(org.pk)
            people.append(self.contacts[org.pk][0].person)  # its administrator
        self.chair, self.committee = people[0], people[1:]

    def committee_seat(self, session: LabellingSession, index: int, day: dt.date) -> None:
        seats = [(self.chair, CommitteeRole.CHAIR)]
        seats += [(self.committee[(index + j) % len(self.committee)], CommitteeRole.MEMBER)
                  for j in range(min(3, len(self.committee)))]  # fmt: skip
        for person, role in seats:
            user = self.user_of(person, day)
            committee_add(actor=self.staff, session=session, email=user.email, role=role)
        committee_add(actor=self.staff, session=session, email=self.staff.email,
                      role=CommitteeRole.SECRETARY)  # fmt: skip

    # Sessions and their grid -----------------------------------------------------------------

    def session_write(self, index: int, dates: SessionDates) -> LabellingSession:
        month = dates.committee.month - 1
        year = dates.committee.year
        session = session_save(
            actor=self.staff,
            data={
                "slug": f"labellisation-{year}-{month + 1:02d}",
                "name_fr": w.SESSION_NAME[0].format(of_month=of_month(month), year=year),
                "name_en": w.SESSION_NAME[1].format(month_en=w.MONTHS_EN[month], year=year),
                "description_fr": w.SESSION_DESCRIPTION[0],
                "description_en": w.SESSION_DESCRIPTION[1],
                "schemes": [s for s in FundingScheme.values if s != FundingScheme.OTHER],
                "opens_at": dates.opens, "submission_deadline": dates.deadline,
                "review_deadline": dates.reviews, "committee_date": dates.committee,
                "experts_per_project": 2, "threshold": Decimal("3.00"),
            },
        )  # fmt: skip
        if index == 0:
            for position, line in enumerate(w.GRID):
                criterion_save(
                    actor=self.staff, session=session,
                    data={"code": line.code, "name_fr": line.fr, "name_en": line.en,
                          "guidance_fr": line.guidance_fr, "guidance_en": line.guidance_en,
                          "weight": Decimal(line.weight),
                          "eliminatory_below": line.eliminatory_below, "position": position},
                )  # fmt: skip
        else:
            grid_copy(actor=self.staff, session=session)
        since, weight = w.ENVIRONMENT_WEIGHT_FROM
        if index == since:
            criterion = session.criteria.get(code="environment")
            criterion_save(actor=self.staff, session=session, criterion=criterion,
                           data={"weight": Decimal(weight)})  # fmt: skip
        self.committee_seat(session, index, dates.opens.date())
        self.counts["sessions"] += 1
        return session

    # Files: the plan ----------------------------------------------------------------------

    def acronym(self) -> str:
        while True:
            count = self.rng.choice([2, 2, 3])
            acronym = "".join(self.rng.choice(w.SYLLABLES) for _ in range(count))
            if acronym not in self.acronyms and len(acronym) <= 9:
                self.acronyms.add(acronym)
                return acronym

    def pick(self, pool: list[Organisation], topic: w.Topic, taken: set[int]) -> Organisation:
        """An organisation of `pool` not yet in the consortium, preferring the topic's
        technologies."""
        free = [o for o in pool if o.pk not in taken]
        weights = [4 if self.branches.get(o.pk, set()) & set(topic.technologies) else 1
                   for o in free]  # fmt: skip
        return self.rng.choices(free, weights=weights)[0]

    def consortium(self, topic: w.Topic, scheme: str, lead: Organisation) -> list[PartnerPlan]:
        """The coordinator, a second independent company, a research partner, then up to three
        more; now and then a non-member (described by hand) or a foreign partner."""
        rng = self.rng
        partners = [PartnerPlan(lead, True)]
        taken = {lead.pk}
        groups = {lead.parent_group_id or lead.pk}
        firms = [o for o in self.companies
                 if (o.parent_group_id or o.pk) not in groups]  # fmt: skip
        french_outside = [o for o in self.outside if o.country == "FR" and o.kind in COMPANY_KINDS]
        foreign = [o for o in self.outside if o.country != "FR"]
        if french_outside and rng.random() < 0.12:
            partners.append(PartnerPlan(rng.choice(french_outside), False))
        else:
            partners.append(PartnerPlan(self.pick(firms, topic, taken), True))
        taken.add(partners[-1].organisation.pk)
        partners.append(PartnerPlan(self.pick(self.labs, topic, taken), True))
        taken.add(partners[-1].organisation.pk)
        more = rng.choice([0, 0, 1, 1, 1, 2, 2, 3])
        if scheme == "horizon" and foreign:
            partners.append(PartnerPlan(rng.choice(foreign), False))
            more = max(0, more - 1)
        for _ in range(more):
            roll = rng.random()
            if roll < 0.08 and foreign:
                org = rng.choice(foreign)
                if all(p.organisation.pk != org.pk for p in partners):
                    partners.append(PartnerPlan(org, False))
                continue
            pool = self.labs if roll < 0.4 else self.companies
            partners.append(PartnerPlan(self.pick(pool, topic, taken), True))
            taken.add(partners[-1].organisation.pk)
        if scheme == "idemo" and not any(self.is_sme(p.organisation) for p in partners):
            smes = [o for o in self.companies if self.is_sme(o) and o.pk not in taken]
            partners[1] = PartnerPlan(rng.choice(smes), True)
        self.budgets(partners, scheme)
        return partners

    @staticmethod
    def is_sme(org: Organisation) -> bool:
        if org.kind not in COMPANY_KINDS:
            return False
        if org.size_class:
            return org.size_class in SME_SIZES
        return org.kind in {"startup", "sme", "midsize"}

    def budgets(self, partners: list[PartnerPlan], scheme: str) -> None:
        """€0.8–3 M split among partners (the coordinator 28–45 %), aid at the scheme's rates."""
        rng = self.rng
        total = rng.randint(80, 300) * 10_000
        lead_share = rng.uniform(0.28, 0.45)
        weights = [rng.uniform(0.8, 1.6) for _ in partners[1:]]
        rest = total * (1 - lead_share)
        for partner, weight in zip(partners[1:], weights, strict=True):
            partner.budget = euros(rest * weight / sum(weights))
        partners[0].budget = Decimal(total) - sum((p.budget for p in partners[1:]), Decimal(0))
        for partner in partners:
            partner.aid = euros(float(partner.budget * self.aid_rate(partner, scheme)), 100)

    def aid_rate(self, partner: PartnerPlan, scheme: str) -> Decimal:
        org = partner.organisation
        research = org.kind in RESEARCH_KINDS
        if scheme == "horizon":
            return HORIZON_RATES["research" if research else "company"]
        if research:
            return AID_RATES["research"]
        if self.is_sme(org) and org.size_class != SizeClass.MIDSIZE and org.kind != "midsize":
            return AID_RATES["sme"]
        return AID_RATES.get(org.kind, AID_RATES["other"])

    def file_plan(
        self, index: int, group: str, dates: SessionDates, *, lead: Organisation | None = None,
        author: Person | None = None, fate: str = "", topics: list[w.Topic] | None = None,
    ) -> FilePlan:  # fmt: skip
        """One file of session `index`, drawn; its moments within the session's window."""
        rng = self.rng
        topic, use = rng.choice(topics or w.TOPICS), rng.choice(w.USES)
        scheme = weighted(rng, SCHEMES)
        lead = lead or self.pick(self.leads, topic, set())
        if author is None:
            roles = ("technical", "executive") if rng.random() < 0.75 else ("executive",)
            author = self.contact_for(lead, roles=roles)
        assert author is not None
        fate = fate or weighted(rng, HORIZON_FATES if scheme == "horizon" else FATES)
        if scheme == "horizon" and fate in ("labelled", "labelled_reservations"):
            scheme = "pspc"
        stage = Stage.PRE_PROPOSAL if scheme == "anr" and rng.random() < 0.25 else Stage.FULL
        created, submitted = self.file_moments(group, dates)
        plan = FilePlan(
            index=index, group=group, topic=topic, use=use, scheme=scheme, stage=stage,
            fate=fate, author=author, partners=self.consortium(topic, scheme, lead),
            acronym=self.acronym(), language=author.language or "fr", created=created,
            submitted=submitted, duration=rng.choice([24, 30, 36, 36, 42, 48]),
            trl=(rng.choice([3, 3, 4, 4]), rng.choice([6, 6, 7])),
        )  # fmt: skip
        if fate in CERTIFIED:
            plan.outcome = weighted(rng, OUTCOMES)
        members = [p.organisation for p in plan.partners[1:] if p.member]
        if members and rng.random() < (0.2 if group == "past" else 0.5):
            plan.helper_org = rng.choice(members)
            plan.helper = self.contact_for(plan.helper_org, roles=("researcher", "technical"))
        return plan

    def file_moments(self, group: str, dates: SessionDates) -> tuple[dt.datetime, dt.datetime]:
        """When the file was started and submitted: within the window for past sessions; by
        stage for the current one (the earliest files went to review weeks ago)."""
        rng = self.rng
        if group == "past":
            span = (dates.deadline - dates.opens).days
            created = dates.opens + dt.timedelta(days=rng.randint(3, span - 20),
                                                 hours=rng.randint(0, 8))  # fmt: skip
            submitted = created + dt.timedelta(days=rng.randint(4, 15), hours=rng.randint(0, 6))
            return created, min(submitted, dates.deadline - dt.timedelta(hours=2))
        days_ago = {"early": (73, 63), "later": (58, 45), "fresh": (40, 28), "submitted": (30, 12),
                    "draft": (20, 2)}[group]  # fmt: skip
        created = moment(self.today - dt.timedelta(days=rng.randint(days_ago[1], days_ago[0])),
                         rng.randint(9, 17))  # fmt: skip
        submitted = {
            "early": created + dt.timedelta(days=rng.randint(4, 9)),
            "later": created + dt.timedelta(days=rng.randint(8, 14)),
            "fresh": created + dt.timedelta(days=rng.randint(14, 20)),
            "submitted": moment(self.today - dt.timedelta(days=rng.randint(2, 6)), 11),
            "draft": created,
        }[group]
        return max(created, dates.opens + dt.timedelta(hours=1)), submitted

    # Files: writing ------------------------------------------------------------------------

    def texts(self, plan: FilePlan) -> dict[str, Any]:
        rng, lang, topic, use = self.rng, plan.language, plan.topic, plan.use
        title = f"{topic.fr} pour {use.fr}" if lang == "fr" else f"{topic.en} for {use.en}"
        use_name = use.fr if lang == "fr" else use.en
        summary = " ".join([in_language((topic.summary_fr, topic.summary_en), lang),
                            in_language(w.USE_SENTENCE, lang).format(use=use_name)])  # fmt: skip
        description = " ".join(
            [in_language((topic.summary_fr, topic.summary_en), lang)]
            + [in_language(p, lang) for p in rng.sample(w.WORK_PLAN, 3)]
        )
        total = plan.total
        return {
            "title": title[:300], "summary_public": summary, "description": description,
            "funding_call": w.FUNDING_CALLS[plan.scheme].format(
                year=self.sessions[plan.index].committee.year
            ),
            "total_budget": total, "duration_months": plan.duration,
            "trl_start": plan.trl[0], "trl_target": plan.trl[1],
            "impact_jobs": max(2, int(total / 150_000) + rng.randint(-2, 4)),
            "impact_turnover": euros(float(total) * rng.uniform(1.5, 6), 10_000),
            "impact_export_share": Decimal(rng.randint(20, 70)),
            "impact_environment": in_language(rng.choice(w.ENVIRONMENT), lang),
            "publish_consent": rng.random() < 0.85,
        }  # fmt: skip

    def file_codes(self, plan: FilePlan) -> list[Competence]:
        codes = list(plan.topic.technologies) + list(
            w.FINE[plan.topic.key][: self.rng.choice([1, 2])]
        )
        codes.append(plan.use.market)
        if self.rng.random() < 0.2:
            codes.append(self.rng.choice(w.USES).market)
        return [self.competences[c] for c in dict.fromkeys(codes) if c in self.competences]

    def file_write(self, plan: FilePlan, session: LabellingSession, experts: list[ExpertPlan],
                   *, complete: bool = True) -> LabellingRequest:  # fmt: skip
        """Create the file as its author would, fill it in and name the consortium; a draft
        that is not `complete` stops half-way (no budget split yet)."""
        user = self.user_of(plan.author, plan.created.date() - dt.timedelta(days=30))
        texts = self.texts(plan)
        request = request_create(
            actor=user, session=session, lead=plan.lead, acronym=plan.acronym,
            title=texts["title"], scheme=plan.scheme, stage=plan.stage, now=plan.created,
        )  # fmt: skip
        if not complete:
            texts = {k: texts[k] for k in ("summary_public", "description", "funding_call",
                                           "duration_months", "trl_start", "trl_target")}  # fmt: skip
        request = request_update(actor=user, request=request, changes=texts,
                                 competences=self.file_codes(plan))  # fmt: skip
        self.partners_write(plan, request, user, complete=complete)
        written = {p.organisation.pk for p in plan.partners[: None if complete else 2]}
        if (
            plan.helper is not None
            and plan.helper_org is not None
            and plan.helper_org.pk in written
        ):
            helper = self.user_of(plan.helper, plan.created.date() - dt.timedelta(days=30))
            if helper.pk != user.pk:
                contact_add(actor=user, request=request, email=helper.email)
        if plan.documents:
            self.documents_write(plan, request, user)
        if experts and self.rng.random() < 0.08:
            self.exclusion_write(plan, request, user, experts)
        plan.request = request
        self.counts["files"] += 1
        return request

    def partners_write(self, plan: FilePlan, request: LabellingRequest, user: Any,
                       *, complete: bool) -> None:  # fmt: skip
        coordinator = request.partners.get(role=PartnerRole.COORDINATOR)
        lead = plan.partners[0]
        amounts = {"budget": lead.budget, "requested_aid": lead.aid} if complete else {}
        partner_save(actor=user, request=request, partner=coordinator,
                     data={"in_territory": lead.in_territory, **amounts})  # fmt: skip
        for partner in plan.partners[1:] if complete else plan.partners[1:2]:
            org = partner.organisation
            data: dict[str, Any] = {"role": PartnerRole.PARTNER, "in_territory": partner.in_territory,
                                    "budget": partner.budget if complete else 0,
                                    "requested_aid": partner.aid if complete else 0}  # fmt: skip
            if partner.member:
                data["organisation"] = org
            else:
                data.update(organisation=None, name=org.name, country=org.country,
                            siret=org.siret if org.country == "FR" else "", kind=org.kind,
                            size_class=org.size_class or "")  # fmt: skip
            partner_save(actor=user, request=request, data=data)

    def documents_write(self, plan: FilePlan, request: LabellingRequest, user: Any) -> None:
        language = plan.language
        kinds = [(DocumentKind.DESCRIPTION, ("Description technique", "Technical description")),
                 (DocumentKind.BUDGET, ("Annexe budgétaire", "Budget annex"))]  # fmt: skip
        for kind, names in kinds:
            name = in_language(names, language)
            lines = [f"{plan.acronym} - {name}", request.title, request.session.name,
                     *[f"{p.organisation.name}: {p.budget} EUR" for p in plan.partners]]  # fmt: skip
            upload = SimpleUploadedFile(f"{plan.acronym}-{kind}.pdf", pdf_document(lines),
                                        content_type="application/pdf")  # fmt: skip
            document_add(actor=user, request=request, kind=kind, title=name, upload=upload)
            self.counts["documents"] += 1

    def exclusion_write(self, plan: FilePlan, request: LabellingRequest, user: Any,
                        experts: list[ExpertPlan]) -> None:  # fmt: skip
        """The applicant asks to keep away the expert closest to its subject."""
        topic = set(plan.topic.technologies)
        candidates = [p for p in experts if p.profile is not None and p.kind != ExpertKind.STAFF
                      and {".".join(c.split(".")[:2]) for c in p.competences} & topic]  # fmt: skip
        if not candidates:
            return
        expert = self.rng.choice(candidates)
        assert expert.profile is not None
        reason = in_language(self.rng.choice(w.EXCLUSIONS), plan.language)
        exclusion_add(actor=user, request=request, expert=expert.profile, reason=reason)
        self.counts["exclusions"] += 1

    def submit(self, plan: FilePlan) -> None:
        assert plan.request is not None
        user = self.user_of(plan.author, plan.created.date())
        plan.request = request_submit(actor=user, request=plan.request, now=plan.submitted)
        self.counts["submitted"] += 1

    def resubmit(self, old: FilePlan, session: LabellingSession, dates: SessionDates,
                 index: int) -> FilePlan:  # fmt: skip
        """The deferred file comes back with its consortium completed by a research partner,
        as the committee asked; the committee labels it this time."""
        assert old.request is not None
        rng = self.rng
        user = self.user_of(old.author, old.created.date())
        created = dates.opens + dt.timedelta(days=rng.randint(5, 20))
        request = request_resubmit(actor=user, request=old.request, session=session, now=created)
        taken = {p.organisation.pk for p in old.partners}
        lab = PartnerPlan(self.pick(self.labs, old.topic, taken), True)
        plan = FilePlan(
            index=index, group="past", topic=old.topic, use=old.use, scheme=old.scheme,
            stage=old.stage, fate="labelled", author=old.author, partners=[*old.partners, lab],
            acronym=old.acronym, language=old.language, created=created,
            submitted=created + dt.timedelta(days=rng.randint(10, 20)), duration=old.duration,
            trl=old.trl, outcome="funded", previous=old,
        )  # fmt: skip
        self.budgets(plan.partners, plan.scheme)
        for partner, row in zip(plan.partners, request.partners.order_by("position", "id"),
                                strict=False):  # fmt: skip
            partner_save(actor=user, request=request, partner=row,
                         data={"budget": partner.budget, "requested_aid": partner.aid})  # fmt: skip
        partner_save(actor=user, request=request,
                     data={"organisation": lab.organisation, "role": PartnerRole.PARTNER,
                           "in_territory": lab.in_territory, "budget": lab.budget,
                           "requested_aid": lab.aid})  # fmt: skip
        year = dates.committee.year
        request = request_update(
            actor=user, request=request,
            changes={"total_budget": plan.total,
                     "funding_call": w.FUNDING_CALLS[plan.scheme].format(year=year)},
        )  # fmt: skip
        plan.request = request
        self.counts["files"] += 1
        self.counts["resubmissions"] += 1
        return plan

    # Review ----------------------------------------------------------------------------------

    def assign(self, session: LabellingSession, now: dt.datetime) -> list[Assignment]:
        """The optimiser proposes, staff confirm the next hour: the invitations."""
        proposal = assignments_propose(actor=self.staff, session=session, now=now)
        if not proposal.created:
            return []
        confirmed = assignments_confirm(actor=self.staff, session=session,
                                        now=now + dt.timedelta(hours=1))  # fmt: skip
        self.counts["proposals"] += len(confirmed.invited)
        return sorted(confirmed.invited, key=lambda a: (a.request.project.acronym, a.expert_id))

    def hand_pick(self, session: LabellingSession, plans: list[FilePlan], now: dt.datetime,
                  expert: ExpertProfile) -> Assignment | None:  # fmt: skip
        """Staff pick the demo expert by hand for the first file he is free to review."""
        if session_loads(session)[expert.pk] >= expert.load_limit:
            return None
        requests = [p.request for p in plans if p.request is not None]
        found = conflicts_for([expert], requests, today=now.date())
        for request in requests:
            if not found[(expert.pk, request.pk)] and request.project.lead_id != self.featured.pk:
                assignment = assignment_add(actor=self.staff, request=request, expert=expert,
                                            now=now)  # fmt: skip
                assignment_confirm(actor=self.staff, assignment=assignment,
                                   now=now + dt.timedelta(minutes=30))  # fmt: skip
                assignment.refresh_from_db()
                return assignment
        return None

    def answer(self, invited: list[Assignment], start: dt.datetime, *,
               keep: set[int] | None = None, busy: Any = None,
               pending: float = 0.0) -> None:  # fmt: skip
        """The experts answer their invitations within days: most accept, a few decline (at
        most one a file) and the replacement proposed is confirmed and accepted. Assignments
        in `keep`, and a share `pending` of the others, are left unanswered; the `busy` expert
        declines the files the optimiser gave him."""
        rng = self.rng
        declined: set[int] = set()
        for assignment in invited:
            if assignment.pk in (keep or set()) or rng.random() < pending:
                continue
            user = assignment.expert.user
            when = start + dt.timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 9))
            if user == busy or (assignment.request_id not in declined and rng.random() < 0.08):
                declined.add(assignment.request_id)
                reason = in_language(rng.choice(w.DECLINES), user.language or "fr")
                _declined, replacement = assignment_decline(actor=user, assignment=assignment,
                                                            reason=reason, now=when)  # fmt: skip
                self.counts["declines"] += 1
                if replacement is not None:
                    later = when + dt.timedelta(days=1)
                    assignment_confirm(actor=self.staff, assignment=replacement, now=later)
                    assignment_accept(actor=replacement.expert.user, assignment=replacement,
                                      now=later + dt.timedelta(days=rng.randint(1, 3)))  # fmt: skip
                    self.counts["replacements"] += 1
                continue
            assignment_accept(actor=user, assignment=assignment, now=when)

    def reviewers(self, request: LabellingRequest, fate: str) -> list[Reviewer]:
        """The accepted experts of a file with scores that agree with the planned decision."""
        accepted = list(
            request.assignments.filter(status=A.ACCEPTED)
            .select_related("expert__user")
            .order_by("expert__user__email")
        )
        reviewers = [Reviewer(a, a.expert.user, a.expert.user.language or "fr") for a in accepted]
        criteria = self.criteria[request.session_id]
        low, high, may_fail = BANDS[fate]
        for _attempt in range(60):
            target = self.rng.uniform(*TARGETS[fate])
            for reviewer in reviewers:
                bias = self.rng.uniform(-0.4, 0.4)
                reviewer.scores = {
                    c.code: max(0, min(5, round(target + bias + self.rng.uniform(-0.8, 0.8))))
                    for c in criteria
                }
            mean, eliminated = self.committee_view(criteria, reviewers)
            if low <= mean < high and (may_fail or not eliminated):
                break
        return reviewers

    @staticmethod
    def committee_view(criteria: list[Criterion], reviewers: list[Reviewer]) -> tuple[float, bool]:
        """The weighted mean of the experts' mean scores, and whether a criterion eliminates."""
        if not reviewers:
            return 0.0, False
        means = {
            c.code: sum(r.scores[c.code] for r in reviewers) / len(reviewers) for c in criteria
        }
        weights = sum(float(c.weight) for c in criteria)
        mean = sum(float(c.weight) * means[c.code] for c in criteria) / weights
        eliminated = any(
            c.eliminatory_below is not None and means[c.code] < c.eliminatory_below
            for c in criteria
        )
        return mean, eliminated

    def review_values(self, reviewer: Reviewer, request: LabellingRequest, scheme: str,
                      partial: bool = False) -> dict[str, Any]:  # fmt: skip
        rng, language = self.rng, reviewer.language
        criteria = self.criteria[request.session_id]
        scores = reviewer.scores
        if partial:
            scores = {c.code: scores[c.code] for c in criteria[:4]}
        weights = sum(float(c.weight) for c in criteria)
        mean = sum(float(c.weight) * reviewer.scores[c.code] for c in criteria) / weights

        def band(score: float) -> str:
            return "high" if score >= 3.6 else "mid" if score >= 2.6 else "low"

        comments = {
            code: in_language(w.CRITERION_COMMENTS[code][band(score)], language)
            for code, score in scores.items()
            if rng.random() < 0.5
        }
        if scheme == "horizon":
            recommendation = "support_letter" if mean >= 3.0 else "rejected"
        else:
            recommendation = ("labelled" if mean >= 3.6 else "labelled_reservations"
                              if mean >= 3.0 else "deferred" if mean >= 2.5 else "rejected")  # fmt: skip
        pool = w.COMMENTS[band(mean)]
        text = " ".join(in_language(p, language) for p in rng.sample(pool, min(2, len(pool))))
        note = (
            in_language(rng.choice(w.NOTES_TO_COMMITTEE), language) if rng.random() < 0.25 else ""
        )
        values: dict[str, Any] = {"scores": scores, "comments": comments,
                                  "recommendation": "" if partial else recommendation,
                                  "text_to_applicant": "" if partial else text,
                                  "note_to_committee": note}  # fmt: skip
        return values

    def review_all(self, plans: list[FilePlan], start: dt.datetime, end: dt.datetime,
                   *, hold: Callable[[FilePlan, Reviewer], bool] | None = None) -> None:  # fmt: skip
        """The accepted experts submit their reviews between `start` and `end`, in the order
        they come in; the reviews `hold` answers yes for are not written yet."""
        rng = self.rng
        queue: list[tuple[dt.datetime, str, Reviewer, FilePlan]] = []
        for plan in plans:
            assert plan.request is not None
            if plan.request.status != S.UNDER_REVIEW:
                continue
            for reviewer in self.reviewers(plan.request, plan.fate):
                if hold is not None and hold(plan, reviewer):
                    continue
                # Within the window, and at least three days after the expert accepted.
                accepted = reviewer.assignment.answered_at or start
                earliest = max(start, accepted + dt.timedelta(days=3))
                span = max(1, int((end - earliest).total_seconds() // 3600))
                when = earliest + dt.timedelta(hours=rng.randint(0, span))
                queue.append((when, reviewer.user.email + plan.acronym, reviewer, plan))
        for when, _key, reviewer, plan in sorted(queue, key=lambda item: (item[0], item[1])):
            assert plan.request is not None
            values = self.review_values(reviewer, plan.request, plan.scheme)
            review_save_and_submit(actor=reviewer.user, assignment=reviewer.assignment, now=when,
                                   **values)  # fmt: skip
            self.counts["reviews"] += 1

    def refresh(self, plans: list[FilePlan]) -> None:
        by_pk = {p.request.pk: p for p in plans if p.request is not None}
        for request in LabellingRequest.objects.filter(pk__in=by_pk).select_related(
            "project", "session"
        ):
            by_pk[request.pk].request = request

    # A past session, from the call to the certificates -------------------------------------

    def past_run(self, index: int, session: LabellingSession, dates: SessionDates,
                 plans: list[FilePlan], experts: list[ExpertPlan]) -> None:  # fmt: skip
        rng, staff = self.rng, self.staff
        for plan in sorted(plans, key=lambda p: p.submitted):
            self.submit(plan)
        checked = dates.deadline + dt.timedelta(days=4)
        for plan in plans:
            assert plan.request is not None
            when = checked + dt.timedelta(hours=rng.randint(0, 30))
            if plan.fate == "inadmissible":
                reason = in_language(rng.choice(w.INADMISSIBLE), plan.language)
                plan.request = request_declare_inadmissible(actor=staff, request=plan.request,
                                                            reason=reason, now=when)  # fmt: skip
                self.close_later(plan, when + dt.timedelta(days=rng.randint(20, 40)))
                continue
            plan.request = request_start_review(actor=staff, request=plan.request, now=when)
        proposed = dates.deadline + dt.timedelta(days=9)
        keep: set[int] = set()
        if index == len(self.sessions) - 2 and self.expert_plans[0].profile is not None:
            picked = self.hand_pick(session, plans, proposed, self.expert_plans[0].profile)
            if picked is not None:
                assignment_accept(actor=self.expert_user, assignment=picked,
                                  now=proposed + dt.timedelta(days=2))  # fmt: skip
                keep.add(picked.pk)
        invited = self.assign(session, proposed)
        self.answer(invited, proposed + dt.timedelta(hours=2), keep=keep)
        for plan in plans:
            if plan.fate == "withdrawn":
                assert plan.request is not None
                when = proposed + dt.timedelta(days=rng.randint(7, 12))
                reason = in_language(rng.choice(w.WITHDRAWALS), plan.language)
                user = self.user_of(plan.author, plan.created.date())
                plan.request = request_withdraw(actor=user, request=plan.request, reason=reason,
                                                now=when)  # fmt: skip
                self.close_later(plan, when + dt.timedelta(days=rng.randint(20, 40)))
        self.refresh(plans)
        self.review_all(plans, proposed + dt.timedelta(days=8),
                        moment(dates.reviews - dt.timedelta(days=1), 18))  # fmt: skip
        self.refresh(plans)
        agenda = moment(dates.reviews + dt.timedelta(days=2), 9)
        for plan in plans:
            assert plan.request is not None
            if plan.request.status == S.REVIEWS_COMPLETE:
                plan.request = request_to_committee(actor=staff, request=plan.request, now=agenda)
        self.decide(plans, dates)

    def decide(self, plans: list[FilePlan], dates: SessionDates) -> None:
        """The committee meets: decisions from 9:30, certificates the next week."""
        rng = self.rng
        minute = 0
        for plan in sorted(plans, key=lambda p: p.acronym):
            assert plan.request is not None
            if plan.request.status != S.COMMITTEE:
                continue
            decision = plan.fate
            text = in_language(rng.choice(w.DECISION_TEXTS[decision]), plan.language)
            reservations = ""
            if decision == Decision.LABELLED_RESERVATIONS:
                reservations = in_language(rng.choice(w.RESERVATIONS), plan.language)
            when = moment(dates.committee, 9, 30) + dt.timedelta(minutes=minute)
            minute += 20
            plan.request = request_decide(actor=self.staff, request=plan.request,
                                          decision=decision, reservations=reservations,
                                          decision_text=text, now=when)  # fmt: skip
            self.counts[f"decided {decision}"] += 1
            self.after_decision(plan, when)

    def after_decision(self, plan: FilePlan, decided: dt.datetime) -> None:
        """What follows the decision (certificate, funder, outcome, closing) is queued and
        done at the end in date order, up to yesterday: certificates are numbered in the
        order they were issued."""
        rng = self.rng
        assert plan.request is not None
        if plan.fate not in CERTIFIED:
            if not plan.resubmit:
                self.close_later(plan, decided + dt.timedelta(days=rng.randint(30, 90)))
            return
        issued = decided + dt.timedelta(days=rng.randint(3, 9), hours=rng.randint(0, 6))
        self.later.append((issued, plan.request.pk, lambda: self.certify(plan, issued)))

    def certify(self, plan: FilePlan, issued: dt.datetime) -> None:
        assert plan.request is not None
        plan.request = request_issue_certificate(actor=self.staff, request=plan.request,
                                                 now=issued)  # fmt: skip
        self.counts["certificates"] += 1
        to_funder = issued + dt.timedelta(days=self.rng.randint(8, 40))
        if plan.previous is not None or plan.lead.pk == self.featured.pk:
            to_funder = issued + dt.timedelta(days=10)
        self.later.append((to_funder, plan.request.pk, lambda: self.to_funder(plan, to_funder)))

    def to_funder(self, plan: FilePlan, when: dt.datetime) -> None:
        rng = self.rng
        assert plan.request is not None
        user = self.user_of(plan.author, when.date())
        year = when.year
        number = (
            rng.randint(1, 9_999)
            if plan.scheme in ("anr", "region")
            else rng.randint(100_000, 999_999)
        )
        reference = w.FUNDER_REFERENCES[plan.scheme].format(n=number, yy=f"{year % 100:02d}",
                                                            year=year)  # fmt: skip
        plan.request = request_submitted_to_funder(actor=user, request=plan.request,
                                                   reference=reference,
                                                   submitted_on=when.date(), now=when)  # fmt: skip
        self.counts["to funder"] += 1
        answer = when + dt.timedelta(days=rng.randint(100, 240))
        if plan.previous is not None or plan.lead.pk == self.featured.pk:
            answer = when + dt.timedelta(days=120)
        self.later.append((answer, plan.request.pk, lambda: self.outcome(plan, answer)))

    def outcome(self, plan: FilePlan, when: dt.datetime) -> None:
        rng = self.rng
        assert plan.request is not None
        user = self.user_of(plan.author, when.date())
        outcome = plan.outcome
        obtained: dict[int, Decimal] | None = None
        note = ""
        if outcome == "funded":
            obtained = {}
            for partner in plan.request.partners.order_by("position", "id"):
                share = Decimal(str(round(rng.uniform(0.8, 1.0), 2)))
                obtained[partner.pk] = euros(float(partner.requested_aid * share), 100)
            note = in_language(rng.choice(w.OUTCOME_NOTES["funded"]), plan.language)
        elif outcome == "not_funded":
            note = in_language(rng.choice(w.OUTCOME_NOTES["not_funded"]), plan.language)
        else:
            note = in_language(rng.choice(w.FUNDER_WITHDRAWALS), plan.language)
        plan.request = request_record_outcome(actor=user, request=plan.request, outcome=outcome,
                                              obtained=obtained, outcome_on=when.date(),
                                              note=note, now=when)  # fmt: skip
        self.counts[f"outcome {outcome}"] += 1
        if outcome == "funded":
            ends = when.date() + dt.timedelta(days=30 * plan.duration + 20)
            self.close_later(plan, moment(ends, 11))
        else:
            self.close_later(plan, when + dt.timedelta(days=rng.randint(20, 60)))

    def close_later(self, plan: FilePlan, when: dt.datetime) -> None:
        assert plan.request is not None
        self.later.append((when, plan.request.pk, lambda: self.close(plan, when)))

    def close(self, plan: FilePlan, when: dt.datetime) -> None:
        assert plan.request is not None
        plan.request = request_close(actor=self.staff, request=plan.request, now=when)
        self.counts["closed"] += 1

    def later_run(self) -> None:
        """Funders' submissions, outcomes and closings, in date order, up to yesterday (an
        action can schedule a later one)."""
        while True:
            due = [item for item in self.later if item[0] < self.cutoff]
            if not due:
                return
            first = min(due, key=lambda item: (item[0], item[1]))
            self.later.remove(first)
            first[2]()

    # The current session: every stage at once --------------------------------------------

    def current_run(self, session: LabellingSession, plans: list[FilePlan]) -> None:
        """Drafts, files awaiting the admissibility check, and three batches under review:
        the earliest with their reviews (some on the committee's agenda), the next with
        invitations out last week, the last just found admissible (experts to assign)."""
        staff, today = self.staff, self.today
        groups: dict[str, list[FilePlan]] = {}
        for plan in plans:
            groups.setdefault(plan.group, []).append(plan)
        for plan in sorted(plans, key=lambda p: p.submitted):
            if plan.group != "draft":
                self.submit(plan)
        expert = self.expert_plans[0].profile
        assert expert is not None

        def start_review(batch: list[FilePlan], days_ago: int) -> None:
            for plan in batch:
                assert plan.request is not None
                plan.request = request_start_review(
                    actor=staff,
                    request=plan.request,
                    now=moment(today - dt.timedelta(days_ago), 10),
                )

        early = groups.get("early", [])
        start_review(early, 48)
        proposed = moment(today - dt.timedelta(days=45), 9)
        mine = self.hand_pick(session, early, proposed, expert)
        invited = self.assign(session, proposed)
        # The demo expert keeps room for the next files: he declines the optimiser's picks.
        self.answer(invited, proposed + dt.timedelta(hours=2), keep={mine.pk} if mine else None,
                    busy=self.expert_user)  # fmt: skip
        if mine is not None:
            assignment_accept(actor=self.expert_user, assignment=mine,
                              now=proposed + dt.timedelta(days=2))  # fmt: skip
        self.refresh(plans)
        featured = [p for p in early if p.lead.pk == self.featured.pk]

        def hold(plan: FilePlan, reviewer: Reviewer) -> bool:
            """Azur Optronique's file awaits both reviews, the demo expert's file his."""
            return plan in featured or (mine is not None and reviewer.assignment.pk == mine.pk)

        self.review_all(early, proposed + dt.timedelta(days=8),
                        moment(today - dt.timedelta(days=6), 18), hold=hold)  # fmt: skip
        if mine is not None:
            fate = next(p.fate for p in early if p.request and p.request.pk == mine.request_id)
            self.draft_review(mine, fate, moment(today - dt.timedelta(days=3), 21))
        self.refresh(plans)
        complete = [p for p in early if p.request is not None
                    and p.request.status == S.REVIEWS_COMPLETE]  # fmt: skip
        for plan in complete[: max(1, len(complete) // 2)]:
            assert plan.request is not None
            plan.request = request_to_committee(
                actor=staff, request=plan.request, now=moment(today - dt.timedelta(days=2), 9)
            )
        # Invitations out last week, half answered; the demo expert's is not.
        later = groups.get("later", [])
        start_review(later, 20)
        proposed = moment(today - dt.timedelta(days=9), 9)
        mine = self.hand_pick(session, later, proposed, expert)
        invited = self.assign(session, proposed)
        self.answer(invited, proposed + dt.timedelta(hours=2), keep={mine.pk} if mine else None,
                    pending=0.5)  # fmt: skip
        start_review(groups.get("fresh", []), 4)
        self.refresh(plans)

    def draft_review(self, assignment: Assignment, fate: str, when: dt.datetime) -> None:
        """The demo expert has started his review: four criteria scored, no text yet."""
        request = LabellingRequest.objects.select_related("session").get(pk=assignment.request_id)
        reviewers = self.reviewers(request, fate)
        reviewer = next(r for r in reviewers if r.assignment.pk == assignment.pk)
        values = self.review_values(reviewer, request, request.scheme, partial=True)
        review_save(actor=self.expert_user, assignment=assignment, now=when, **values)
        self.counts["review drafts"] += 1

    # The whole ---------------------------------------------------------------------------

    def run(self) -> None:
        spec, rng, today = self.spec, self.rng, self.today
        self.sessions = [session_dates(today, back) for back in range(spec.past, -1, -1)]
        self.expert_plans = self.experts_plan(self.sessions)
        self.committee_plan()
        self.criteria: dict[int, list[Criterion]] = {}
        last = len(self.sessions) - 1
        # A deferred file comes back to the next session, where Azur Optronique's funded
        # project was labelled too (three years ago in the full demo).
        deferred_at = max(0, last - 4)
        featured_at = deferred_at + 1
        carried: FilePlan | None = None
        for index, dates in enumerate(self.sessions):
            self.experts_join(self.expert_plans, index, dates.opens)
            session = self.session_write(index, dates)
            self.criteria[session.pk] = list(session.criteria.order_by("position", "id"))
            plans = self.plans_for(index, dates)
            if index == featured_at:
                plans[0] = self.featured_plan(index, "past", dates, fate="labelled")
                plans[0].outcome, plans[0].duration = "funded", 48
            if index == deferred_at:
                self.defer(plans)
            pool = [p for p in self.expert_plans if p.profile is not None]
            for plan in plans:
                self.file_write(
                    plan, session, pool, complete=plan.group != "draft" or rng.random() < 0.5
                )
            if carried is not None:
                plans.append(self.resubmit(carried, session, dates, index))
                carried = None
            if index < last:
                self.past_run(index, session, dates, plans, pool)
                carried = next((p for p in plans if p.resubmit), None)
            else:
                self.current_run(session, plans)
        self.later_run()

    def defer(self, plans: list[FilePlan]) -> None:
        """The committee will defer one file of the session (room left in its consortium for
        the partner it asks for), which comes back to the next session."""
        plan = next(p for p in reversed(plans) if p.fate not in ("inadmissible", "withdrawn"))
        if plan.scheme == "horizon":
            plan.scheme = "pspc"
        if len(plan.partners) > 4:
            plan.partners = plan.partners[:4]
        self.budgets(plan.partners, plan.scheme)
        plan.fate, plan.resubmit, plan.outcome = "deferred", True, ""

    def plans_for(self, index: int, dates: SessionDates) -> list[FilePlan]:
        rng, spec = self.rng, self.spec
        if index < len(self.sessions) - 1:
            plans = [self.file_plan(index, "past", dates) for _ in range(spec.files)]
            odd = plans[rng.randrange(1, len(plans) - 1)]
            odd.fate = "inadmissible" if index % 2 == 0 else "withdrawn"
            odd.outcome = ""
            return plans
        current = spec.current
        groups = (["early"] * current.early + ["later"] * current.later
                  + ["fresh"] * current.fresh + ["submitted"] * current.submitted
                  + ["draft"] * current.drafts)  # fmt: skip
        plans = [self.file_plan(index, group, dates) for group in groups]
        # The demo logins' files: a file under review and a draft of Azur Optronique.
        under_review = self.featured_plan(index, "early", dates, fate="labelled")
        plans[1 if current.early > 1 else 0] = under_review
        draft = self.featured_plan(index, "draft", dates, fate="labelled")
        plans[len(plans) - current.drafts] = draft
        # Documents carry the day they were uploaded (today): only files being prepared now,
        # and Azur Optronique's file (its experts read them), have some.
        for plan in plans:
            plan.documents = plan.group == "draft" and rng.random() < 0.6
        under_review.documents = draft.documents = True
        return plans

    def featured_plan(self, index: int, group: str, dates: SessionDates, *, fate: str) -> FilePlan:
        """A file of Azur Optronique: Lucas Bernard writes it, Sophie Marchetti joins him."""
        branches = self.branches[self.featured.pk]
        topics = [t for t in w.TOPICS if set(t.technologies) & branches]
        plan = self.file_plan(index, group, dates, lead=self.featured, author=self.lucas,
                              fate=fate, topics=topics)  # fmt: skip
        plan.helper, plan.helper_org = self.sophie, self.featured
        if plan.scheme in ("horizon", "anr"):
            plan.scheme, plan.stage = "pspc", Stage.FULL
            plan.partners = self.consortium(plan.topic, plan.scheme, self.featured)
        plan.outcome = "funded"
        return plan


def load_projects(size: str, stdout: Any) -> list[tuple[str, str]]:
    """The demo part "projects": five years of labelling and the current session, written
    through the services. No new login is printed (the demo logins take part)."""
    from grappe.demo.load import Progress, rng_for

    say = Progress(stdout)
    today = timezone.localdate()
    labelling = Labelling(rng_for("projects", size), size, today)
    labelling.run()
    counts = labelling.counts
    statuses = Counter(LabellingRequest.objects.values_list("status", flat=True))
    shown = ", ".join(f"{status} {n}" for status, n in sorted(statuses.items()))
    say(
        f"{counts['sessions']} labelling sessions, {counts['experts']} experts, "
        f"{counts['files']} files ({shown}), {counts['reviews']} reviews, "
        f"{counts['certificates']} certificates"
    )
    return []


def projects_fingerprint_rows() -> list[Any]:
    """What the projects part made, for `demo_fingerprint`: without database ids, certificate
    tokens or the machine's timestamps (the moments the services record are the demo's own)."""
    key = ("project__acronym", "session__slug")
    rows: list[Any] = list(
        LabellingSession.objects.order_by("slug").values_list(
            "slug", "name_fr", "opens_at", "submission_deadline", "committee_date"
        )
    )
    rows += list(
        LabellingRequest.objects.order_by(*key).values_list(
            *key, "status", "scheme", "stage", "title", "total_budget", "submitted_at",
            "decision", "decided_at", "funder_reference", "outcome", "outcome_on",
        )
    )  # fmt: skip
    rows += list(
        Partner.objects.order_by("request__project__acronym", "request__session__slug", "position")
        .values_list("request__project__acronym", "request__session__slug", "name", "budget",
                     "requested_aid", "obtained_aid")
    )  # fmt: skip
    rows += list(
        ExpertProfile.objects.order_by("user__email").values_list(
            "user__email", "kind", "employer__slug", "load_limit", "nda_accepted_at"
        )
    )
    rows += list(
        Assignment.objects.order_by("request__project__acronym", "request__session__slug",
                                    "expert__user__email")
        .values_list("request__project__acronym", "request__session__slug",
                     "expert__user__email", "status", "source", "invited_at", "answered_at",
                     "review__status", "review__weighted_score", "review__submitted_at")
    )  # fmt: skip
    rows += list(
        Certificate.objects.order_by("number").values_list(
            "number", "kind", "request__project__acronym", "issued_at"
        )
    )
    return rows
