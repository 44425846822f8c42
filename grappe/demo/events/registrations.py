"""Registrations as they came: seats and waitlists, cancellations, the seats offered from
the waitlist and the answers to them, and the check-ins at the door."""

from __future__ import annotations

import datetime as dt
import heapq
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from grappe.demo import events_words as w
from grappe.demo.events.calendar import EventPlan, K, at
from grappe.demo.events.cluster import Cluster, Contact, moment_between
from grappe.events import permissions
from grappe.events.models import (
    Event,
    EventVisibility,
    PriceCategory,
    Registration,
    RegistrationStatus,
)
from grappe.events.services.pricing import event_day
from grappe.events.services.registrations import (
    event_cancel,
    offer_confirm,
    offer_decline,
    offers_expire,
    registration_cancel,
    registration_check_in,
    registration_create,
)
from grappe.members.models import (
    RESEARCH_KINDS,
    Organisation,
    Person,
)

S = RegistrationStatus


@dataclass(order=True)
class Action:
    """Something that happens to an event's registrations at a moment, in order."""

    moment: dt.datetime
    rank: int
    kind: str = field(compare=False)
    data: dict[str, Any] = field(compare=False, default_factory=dict)


class Registrations(Cluster):
    """The registrations of one event after the other."""

    def registrants(
        self, plan: EventPlan, count: int, day: dt.date, exclude: set[int]
    ) -> list[Contact]:
        """`count` different people, drawn by their organisation's engagement, twice as often
        when it works on the event's theme. The demo's few non-member organisations stand for
        the wider public: each comes a little more often than a member, so that about a
        quarter of the participants are not members."""
        codes = set(plan.codes)
        members_only = plan.visibility == EventVisibility.MEMBERS
        keyed: list[tuple[float, int, Contact]] = []
        for org in self.orgs:
            if org.founded_year and org.founded_year > day.year:
                continue
            member = self.likely_member(org, day)
            if members_only and not member:
                continue
            eligible = [
                c for c in self.contacts[org.pk] if c.start <= day and c.person.pk not in exclude
            ]
            if plan.kind == K.GENERAL_ASSEMBLY:
                eligible = eligible[:1]  # the organisation's vote: its administrator first
            if not eligible:
                continue
            weight = self.engagement[org.pk] * (2.0 if member else 2.5)
            weight *= 2.0 if codes & self.roots[org.pk] else 1.0
            share = weight / len(eligible) ** 0.5
            for contact in eligible:
                keyed.append((self.rng.random() ** (1.0 / share), contact.person.pk, contact))
        keyed.sort(key=lambda item: (item[0], item[1]), reverse=True)
        return [contact for _key, _pk, contact in keyed[:count]]

    def category(self, event: Event, tickets: dict[str, Any], contact: Contact) -> str | None:
        """The ticket a person takes: the academic price for research bodies, the member
        price when the organisation is a member on the event's day, else the full price."""
        open_ones = [c for c in tickets if c not in {PriceCategory.GUEST, PriceCategory.STUDENT}]
        org = contact.organisation
        member = PriceCategory.MEMBER in open_ones and self.is_member(org, event_day(event))
        if len(open_ones) == 1:
            only = open_ones[0]
            return None if only == PriceCategory.MEMBER and not member else only
        if org.kind in RESEARCH_KINDS and PriceCategory.ACADEMIC in open_ones:
            return PriceCategory.ACADEMIC
        return PriceCategory.MEMBER if member else PriceCategory.NON_MEMBER

    def answers(self, questions: list[Any]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for question in questions:
            if question.kind == "yes_no":
                result[str(question.pk)] = self.rng.random() < 0.7
            else:
                values = [value for value, _label in question.options]
                result[str(question.pk)] = self.rng.choices(values, [80, 15, 5][: len(values)])[0]
        return result

    def actor_for(self, event: Event, person: Person, org: Organisation | None) -> Any:
        """People with a login register themselves; the team registers the others (they
        wrote or phoned)."""
        if person.user_id is not None:
            user = person.user
            if permissions.can_register_person(user, event, person, org):
                return user
        return self.staff

    def registrations_run(self, plan: EventPlan, event: Event, speakers: list[Contact]) -> None:
        """The registrations of one event in the order they came, with the cancellations,
        the seats offered from the waitlist and the answers to these offers."""
        rng = self.rng
        tickets = {t.category: t for t in event.tickets.prefetch_related("prices")}
        questions = list(event.questions.order_by("position"))
        day = event_day(event)
        assert plan.published is not None
        low = max(plan.opens or plan.published, plan.published)
        high = plan.closes or plan.starts
        stop = min(high, self.cutoff)
        if plan.role == "full":
            high = stop = self.cutoff - dt.timedelta(days=2)
        if plan.role == "cancelled":
            stop = at(plan.starts.date() - dt.timedelta(days=6), "10:00")
        queue: list[Action] = []
        for index, speaker in enumerate(speakers):  # the team registers them on publishing
            moment = plan.published + dt.timedelta(hours=2, minutes=index)
            guest = {"contact": speaker, "category": PriceCategory.GUEST, "actor": self.staff}
            heapq.heappush(queue, Action(moment, 0, "register", guest))
        moments = sorted(moment_between(rng, low, high) for _n in range(plan.demand))
        moments = [m for m in moments if m < stop]
        exclude = {s.person.pk for s in speakers}
        if plan.starts > self.cutoff:
            exclude |= self.reserved  # the demo logins' own registrations are set below
        people = self.registrants(plan, len(moments), day, exclude)
        last = min(plan.starts - dt.timedelta(days=1), stop)
        for moment, contact in zip(moments, people, strict=False):
            if contact.start > moment.date():  # one registers for an employer once there
                moment = max(moment, at(contact.start, "09:30"))
                if moment >= stop:
                    continue
            data: dict[str, Any] = {"contact": contact}
            if plan.role not in {"full", "cancelled"} and rng.random() < 0.07 and last > moment:
                data["cancel_at"] = moment_between(rng, moment, last)
            heapq.heappush(queue, Action(moment, 1, "register", data))
        self.featured_registrations(plan, low, stop, queue)
        while queue:
            self.act(event, tickets, questions, heapq.heappop(queue), queue)
        if plan.role == "cancelled":
            event_cancel(actor=self.staff, event=event, reason=w.EVENT_CANCEL_REASON, now=stop)
            self.count("cancelled events")
        elif plan.ends < self.cutoff:
            self.check_ins(plan, event)

    def featured_registrations(
        self, plan: EventPlan, low: dt.datetime, stop: dt.datetime, queue: list[Action]
    ) -> None:
        """The demo member registers early for the conference and, too late, for the full
        workshop; their administrator registers a colleague; the registered person without an
        organisation takes the non-member price."""
        member, admin = self.member, self.admin
        early = min(low + dt.timedelta(days=2), stop - dt.timedelta(days=1))
        if plan.role == "conference":
            lucas = {"contact": member, "actor": member.person.user}
            heapq.heappush(queue, Action(early, 1, "register", lucas))
            colleague = {"contact": self.colleague, "actor": admin.person.user}
            later = min(low + dt.timedelta(days=5), stop - dt.timedelta(hours=20))
            heapq.heappush(queue, Action(later, 1, "register", colleague))
            nadia = {"person": self.registered, "actor": self.registered.user,
                     "category": PriceCategory.NON_MEMBER}  # fmt: skip
            assert self.registered.user is not None
            joined = timezone.localdate(self.registered.user.date_joined)
            moment = max(at(joined + dt.timedelta(days=6), "21:10"), low)
            heapq.heappush(queue, Action(min(moment, stop - dt.timedelta(hours=2)), 1, "register",
                                         nadia))  # fmt: skip
        if plan.role == "full":
            lucas = {"contact": member, "actor": member.person.user}
            heapq.heappush(
                queue, Action(self.cutoff - dt.timedelta(hours=14), 1, "register", lucas)
            )

    def act(
        self,
        event: Event,
        tickets: dict[str, Any],
        questions: list[Any],
        action: Action,
        queue: list[Action],
    ) -> None:
        now, data = action.moment, action.data
        if action.kind == "register":
            contact: Contact | None = data.get("contact")
            person = contact.person if contact else data["person"]
            org = contact.organisation if contact else None
            category = data.get("category") or (self.category(event, tickets, contact)
                                                if contact else None)  # fmt: skip
            if category is None:
                return
            registration = registration_create(
                actor=data.get("actor") or self.actor_for(event, person, org), event=event,
                person=person, ticket=tickets[category], organisation=org,
                answers=self.answers(questions), now=now,
            )  # fmt: skip
            self.count(f"registrations.{registration.status}")
            if "cancel_at" in data:
                cancel = {"registration": registration}
                heapq.heappush(queue, Action(data["cancel_at"], 2, "cancel", cancel))
        elif action.kind == "cancel":
            registration = data["registration"]
            registration.refresh_from_db(fields=["status"])
            if registration.status not in {S.CONFIRMED, S.WAITLISTED, S.OFFERED}:
                return
            registration_cancel(
                actor=self.staff, registration=registration, now=now,
                reason=self.rng.choice(w.REGISTRATION_CANCEL_REASONS),
            )  # fmt: skip
            self.count("cancellations")
            self.offers_answer(event, now, queue)
        elif action.kind in {"confirm", "decline"}:
            registration = data["registration"]
            registration.refresh_from_db(fields=["status"])
            if registration.status != S.OFFERED:
                return
            service = offer_confirm if action.kind == "confirm" else offer_decline
            service(actor=self.staff, registration=registration, now=now)
            self.count("offers confirmed" if action.kind == "confirm" else "offers declined")
        elif action.kind == "expire":
            self.count("offers expired", offers_expire(event=event, now=now))

    def offers_answer(self, event: Event, now: dt.datetime, queue: list[Action]) -> None:
        """Most people offered a freed seat take it within a day; a few decline, a few let
        the offer lapse."""
        offered = Registration.objects.filter(event=event, status=S.OFFERED, offered_at=now)
        for registration in offered.order_by("pk"):
            deadline = registration.offer_expires_at
            assert deadline is not None
            roll = self.rng.random()
            kind = "confirm" if roll < 0.85 else ("decline" if roll < 0.93 else "expire")
            when = now + dt.timedelta(hours=self.rng.uniform(1, 30))
            if kind == "expire" or when >= deadline:
                kind, when = "expire", deadline + dt.timedelta(minutes=1)
            if when < self.cutoff:
                data = {"registration": registration}
                heapq.heappush(queue, Action(when, 3, kind, data))

    def check_ins(self, plan: EventPlan, event: Event) -> None:
        """At the door: most of the confirmed registrants come, a few minutes either side of
        the start; offers still pending at the start lapse."""
        confirmed = event.registrations.filter(status=S.CONFIRMED).order_by("pk")
        for code in confirmed.values_list("code", flat=True):
            if self.rng.random() < plan.attendance:
                moment = plan.starts + dt.timedelta(minutes=self.rng.randint(-25, 50))
                registration_check_in(actor=self.staff, event=event, code=code, now=moment)
                self.count("check-ins")
        if event.registrations.filter(status=S.OFFERED).exists():
            self.count("offers expired", offers_expire(event=event, now=plan.ends))
