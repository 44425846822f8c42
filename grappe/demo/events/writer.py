"""Writes the planned events through the services: the draft with its price list,
questions and programme, its publication, then its participants."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from typing import Any

from django.utils import timezone

from grappe.demo import events_words as w
from grappe.demo import vocabulary as words
from grappe.demo.events.applications import Applications
from grappe.demo.events.calendar import PARIS, EventPlan, K, at
from grappe.demo.events.cluster import Contact
from grappe.demo.events.registrations import Registrations
from grappe.events.models import (
    Event,
    PricingBasis,
)
from grappe.events.services.events import (
    event_create,
    event_publish,
    price_create,
    programme_item_create,
    question_create,
    ticket_create,
)
from grappe.members.models import (
    COMPANY_KINDS,
    RESEARCH_KINDS,
    Organisation,
)


class Writer(Registrations, Applications):
    """Writes the planned events, their registrations, exhibitors and delegations."""

    # The event, its price list, questions and programme ----------------------------------

    def event_write(self, plan: EventPlan) -> Event:
        """The draft with its price list, questions and programme (not published yet)."""
        data: dict[str, Any] = {
            "kind": plan.kind, "visibility": plan.visibility,
            "title_fr": plan.title[0], "title_en": plan.title[1],
            "summary_fr": plan.summary[0], "summary_en": plan.summary[1],
            "description_fr": plan.description[0], "description_en": plan.description[1],
            "starts_at": plan.starts, "ends_at": plan.ends, "time_zone": plan.time_zone,
            "city": plan.city, "country": plan.country, "capacity": plan.capacity,
            "registration_opens_at": plan.opens, "registration_closes_at": plan.closes,
            "cancellation_deadline": plan.cancel_by, "pricing_basis": plan.basis,
            "competences": [self.competences[code] for code in plan.codes],
            "partners": self.partners(plan),
        }  # fmt: skip
        if plan.venue is not None:
            data.update(venue_name=plan.venue.name, street=plan.venue.street,
                        postcode=plan.venue.postcode, city=plan.venue.city)  # fmt: skip
        if plan.online:
            data["online_url"] = w.ONLINE_URL.format(slug=f"{plan.starts:%Y%m%d}-{plan.topic}")
        notes: dict[str, tuple[str, str]] = {
            K.TRADE_FAIR: w.FAIR_PRICING_NOTE, K.TRADE_MISSION: w.MISSION_PRICING_NOTE
        }  # fmt: skip
        note = notes.get(plan.kind, w.PRICING_NOTE)
        if plan.basis != PricingBasis.FREE:
            data.update(pricing_note_fr=note[0], pricing_note_en=note[1])
        event = event_create(actor=self.staff, data=data)
        for position, ticket_plan in enumerate(plan.tickets):
            ticket = ticket_create(
                actor=self.staff, event=event,
                data={"category": ticket_plan.category, "name_fr": ticket_plan.name[0],
                      "name_en": ticket_plan.name[1], "position": position,
                      "invitation_only": ticket_plan.invitation_only},
            )  # fmt: skip
            for amount, start, until, label in ticket_plan.prices:
                price_create(
                    actor=self.staff, ticket=ticket,
                    data={"amount": amount, "vat_rate": Decimal("20.00"), "valid_from": start,
                          "valid_until": until, "label_fr": label[0], "label_en": label[1]},
                )  # fmt: skip
        if plan.kind == K.CONFERENCE:
            for position, (kind, label_fr, label_en, choices_fr, choices_en) in enumerate(
                w.QUESTIONS
            ):
                question_create(
                    actor=self.staff, event=event,
                    data={"kind": kind, "label_fr": label_fr, "label_en": label_en,
                          "choices_fr": choices_fr, "choices_en": choices_en,
                          "position": position},
                )  # fmt: skip
        self.count(f"events.{plan.kind}")
        return event

    def partners(self, plan: EventPlan) -> list[Organisation]:
        """Conferences are organised with one or two members working on the theme (labs,
        schools, technical centres, large firms)."""
        if plan.kind != K.CONFERENCE:
            return []
        day, codes = plan.starts.date(), set(plan.codes)
        kinds = {*RESEARCH_KINDS, "large"}
        candidates = [
            o for o in self.orgs
            if o.kind in kinds and self.likely_member(o, day) and codes & self.roots[o.pk]
        ]  # fmt: skip
        return self.rng.sample(candidates, min(len(candidates), self.rng.randint(1, 2)))

    def pick(self, plan: EventPlan, kinds: set[str], day: dt.date, taken: list[Contact]) -> Contact:
        """A contact to speak at the event: from a member organisation working on its theme
        (any organisation of these kinds when none does)."""
        codes = set(plan.codes)
        busy = {c.organisation.pk for c in taken}  # one speaker per organisation
        # Speakers are registered for their organisation when the programme is published:
        # they must be its contacts by then.
        known = min(day, timezone.localdate(plan.published)) if plan.published else day
        candidates = [
            c for o in self.orgs if o.kind in kinds and o.pk not in busy
            for c in self.contacts[o.pk] if c.start <= known and c.person.pk not in self.reserved
        ]  # fmt: skip
        themed = [
            c for c in candidates
            if codes & self.roots[c.organisation.pk] and self.likely_member(c.organisation, day)
        ]  # fmt: skip
        return self.rng.choice(themed or candidates)

    def programme_conference(self, plan: EventPlan, event: Event) -> list[Contact]:
        """The day's programme; returns the speakers (registered on the guest ticket)."""
        day = plan.starts.astimezone(PARIS).date()
        topic = self.tax[plan.topic]
        second = self.tax[
            next(c for c in reversed(plan.codes) if c.count(".") == 2 and c != plan.topic)
        ]
        assert plan.theme is not None
        market = self.tax[plan.theme.markets[0]]
        first, last, _title = words.STAFF_LOGIN
        team = f"{first} {last} ({words.CLUSTER.name})"
        speakers: list[Contact] = []
        for kinds in (COMPANY_KINDS, {"midsize", "large", "sme"}, RESEARCH_KINDS):
            speakers.append(self.pick(plan, set(kinds), day, speakers))
        talk = 0
        for kind, start, end, text_fr, text_en in w.CONFERENCE_DAY:
            speaker = None
            if kind == "talk":
                speaker = speakers[talk] if talk < len(speakers) else None
                talk += 1
            name = speaker.person.full_name if speaker else (team if kind == "session" else "")
            if kind == "talk" and speaker is None:
                name = team
            org = speaker.organisation.name if speaker else ""
            fills_fr = {
                "topic": topic["name_fr"],
                "topic2": second["name_fr"],
                "market": market["name_fr"],
                "org": org,
                "de_org": words.de_city(org),
            }
            fills_en = {"topic": topic["name_en"], "topic2": second["name_en"],
                        "market": market["name_en"], "org": org}  # fmt: skip
            programme_item_create(
                actor=self.staff, event=event,
                data={"kind": kind, "starts_at": at(day, start), "ends_at": at(day, end),
                      "title_fr": text_fr.format(**fills_fr),
                      "title_en": text_en.format(**fills_en),
                      "host": speaker.organisation if speaker else None, "speaker": name},
            )  # fmt: skip
        return speakers

    # The whole calendar ----------------------------------------------------------------------

    def run(self, plans: list[EventPlan]) -> None:
        """Every event in the order of its start, each through to its last participant."""
        started = time.monotonic()
        self.pools(plans[0].starts.date())
        self.seconds["applications"] += time.monotonic() - started
        for plan in plans:
            started = time.monotonic()
            event = self.event_write(plan)
            speakers: list[Contact] = []
            if plan.kind == K.CONFERENCE:
                speakers = self.programme_conference(plan, event)
            if plan.kind == K.TRADE_FAIR:
                pavilion, planned = self.pavilion_write(plan, event)
            if plan.kind == K.TRADE_MISSION:
                mission = self.mission_write(plan, event)
            event = event_publish(actor=self.staff, event=event, now=plan.published)
            self.seconds["events"] += time.monotonic() - started
            started = time.monotonic()
            if plan.kind == K.TRADE_FAIR:
                self.exhibitors_run(plan, pavilion, planned)
            elif plan.kind == K.TRADE_MISSION:
                self.delegation_run(plan, mission)
            else:
                self.registrations_run(plan, event, speakers)
            part = (
                "registrations"
                if plan.kind not in {K.TRADE_FAIR, K.TRADE_MISSION}
                else "applications"
            )
            self.seconds[part] += time.monotonic() - started
