"""Trade fairs and missions: the pavilion with its booths and exhibitors, and the call for a
trade mission with its applications and the delegation selected."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal
from typing import Any

from grappe.demo import events_words as w
from grappe.demo import vocabulary as words
from grappe.demo.events.calendar import EventPlan, at, lower_first
from grappe.demo.events.cluster import Cluster, moment_between
from grappe.events.models import (
    Event,
    ExhibitorApplication,
)
from grappe.events.services.events import (
    programme_item_create,
)
from grappe.events.services.fairs import (
    booth_create,
    exhibitor_allocate,
    exhibitor_apply,
    exhibitor_refuse,
    exhibitor_withdraw,
    pavilion_save,
)
from grappe.events.services.missions import (
    mission_apply,
    mission_decide,
    mission_save,
    mission_withdraw,
)
from grappe.members.models import (
    COMPANY_KINDS,
    Organisation,
)


class Applications(Cluster):
    """Exhibitors on the pavilion and the delegation of a trade mission."""

    # Trade fairs: the pavilion, its booths and the exhibitors ----------------------------

    def products(self, org: Organisation) -> str:
        names = [lower_first(self.tax[c]["name_fr"]) for c in sorted(self.raw[org.pk])
                 if c.startswith("tech.")][:3]  # fmt: skip
        return w.EXHIBITOR_PRODUCTS.format(items=", ".join(names) or "nos produits")

    def applicants(
        self, pool: list[Organisation], moments: list[dt.datetime], year: int
    ) -> list[tuple[dt.datetime, Organisation]]:
        """An organisation of the pool for each moment, whose administrator was there then."""
        chosen: list[tuple[dt.datetime, Organisation]] = []
        used: set[int] = set()
        for moment in moments:
            for org in self.rng.sample(pool, len(pool)):
                admin = next(c for c in self.contacts[org.pk] if c.is_admin)
                if org.pk in used or admin.start > moment.date():
                    continue
                if org.founded_year and org.founded_year >= year:
                    continue
                chosen.append((moment, org))
                used.add(org.pk)
                break
        return chosen

    def pavilion_write(self, plan: EventPlan, event: Event) -> tuple[Any, int]:
        rng = self.rng
        assert plan.fair is not None
        allocated = rng.randint(3, 4) if self.size == "small" else rng.randint(4, 8)
        areas = [
            Decimal(rng.choice([9, 12, 15, 18])) for _n in range(allocated + rng.randint(0, 1))
        ]
        deadline = at(plan.starts.date() - dt.timedelta(days=100), "18:00")
        pavilion = pavilion_save(
            actor=self.staff, event=event,
            data={"name": w.PAVILION_NAME[0].format(cluster=words.CLUSTER.name),
                  "hall": plan.fair.hall, "total_area_m2": sum(areas) + 24,
                  "application_deadline": deadline,
                  "cluster_share": Decimal(rng.choice([30, 35, 40, 45, 50])),
                  "terms_fr": w.PAVILION_TERMS[0], "terms_en": w.PAVILION_TERMS[1]},
        )  # fmt: skip
        for index, area in enumerate(areas):
            flat = area == 9
            price = rng.choice([3900, 4200, 4500]) if flat else rng.choice([420, 450, 480])
            booth_create(
                actor=self.staff, pavilion=pavilion,
                data={"label": f"{'AB'[index // 5]}{index % 5 + 1}", "area_m2": area,
                      "pricing": "flat" if flat else "per_m2", "unit_price": Decimal(price),
                      "corner": index in {0, len(areas) - 1}},
            )  # fmt: skip
        return pavilion, allocated

    def exhibitors_run(self, plan: EventPlan, pavilion: Any, planned: int) -> None:
        """Applications until the deadline, booths allocated ten days after it, the others
        refused with a reason; now and then an exhibitor withdraws."""
        rng = self.rng
        assert plan.published is not None
        deadline = pavilion.application_deadline
        count = planned + (rng.randint(1, 2) if self.size == "small" else rng.randint(2, 4))
        low = plan.published + dt.timedelta(days=5)
        moments = sorted(moment_between(rng, low, deadline) for _n in range(count))
        pool = [o for o in self.exhibitor_pool if o.pk != self.featured.pk]
        chosen = self.applicants(pool, [m for m in moments if m < self.cutoff], plan.starts.year)
        if plan.role == "next_fair":
            moment = min(low, deadline, self.cutoff) - dt.timedelta(days=1)
            chosen.insert(0, (max(moment, plan.published + dt.timedelta(hours=1)), self.featured))
        elif chosen and rng.random() < 0.5 and self.admin.start <= chosen[0][0].date():
            chosen[0] = (chosen[0][0], self.featured)  # the demo's company exhibits often
        applications: list[tuple[dt.datetime, ExhibitorApplication]] = []
        for moment, org in sorted(chosen, key=lambda pair: pair[0]):
            application = exhibitor_apply(
                actor=self.users[org.pk], pavilion=pavilion, organisation=org,
                data={"wanted_area_m2": Decimal(rng.choice([9, 12, 15, 18])),
                      "products": self.products(org),
                      "message": rng.choice(w.EXHIBITOR_MESSAGES)},
                now=moment,
            )  # fmt: skip
            applications.append((moment, application))
            self.count("exhibitor applications")
        decided = deadline + dt.timedelta(days=10)
        if decided >= self.cutoff:
            return
        if len(applications) > planned + 1 and rng.random() < 0.5:
            applied, leaving = applications.pop(rng.randrange(len(applications)))
            when = min(applied + dt.timedelta(days=rng.randint(3, 20)), deadline)
            if leaving.organisation_id != self.featured.pk and when > applied:
                user = self.users[leaving.organisation_id]
                exhibitor_withdraw(actor=user, application=leaving, now=when)
                self.count("exhibitors withdrawn")
        pending = [application for _moment_, application in applications]
        first = [a for a in pending if a.organisation_id == self.featured.pk]
        ordered = first + [a for a in pending if a not in first]
        booths = list(pavilion.booths.order_by("label"))
        for application in ordered[:planned]:
            wished = application.wanted_area_m2
            booth = min(booths, key=lambda b: (abs(b.area_m2 - wished), b.label))
            booths.remove(booth)
            exhibitor_allocate(actor=self.staff, application=application, booth=booth, now=decided)
            self.count("booths allocated")
        for index, application in enumerate(ordered[planned:]):
            reason = w.EXHIBITOR_REFUSALS[0 if index == 0 else rng.randrange(3)]
            exhibitor_refuse(actor=self.staff, application=application, reason=reason, now=decided)
            self.count("exhibitors refused")

    # Trade missions: the call, the applications, the delegation --------------------------

    def mission_write(self, plan: EventPlan, event: Event) -> Any:
        rng, place = self.rng, plan.mission
        assert place is not None
        places = rng.randint(6, 8)
        share = 50
        markets = [self.competences[code] for code in plan.codes if code.startswith("market.")]
        mission = mission_save(
            actor=self.staff, event=event,
            data={"call_fr": w.MISSION_CALL[0].format(summary=plan.summary[0], places=places,
                                                      share=share),
                  "call_en": w.MISSION_CALL[1].format(summary=plan.summary[1], places=places,
                                                      share=share),
                  "application_deadline": at(plan.starts.date() - dt.timedelta(days=60), "18:00"),
                  "places": places, "cost_per_participant": Decimal(rng.choice([3800, 4200, 4600])),
                  "cofunded_share": Decimal(share), "cofunder": w.COFUNDER,
                  "selection_criteria_fr": w.MISSION_CRITERIA[0],
                  "selection_criteria_en": w.MISSION_CRITERIA[1], "target_markets": markets},
        )  # fmt: skip
        zone = zoneinfo.ZoneInfo(place.time_zone)
        first = plan.starts.astimezone(zone).date()
        fills_fr = {f"visit{i}": fr for i, (fr, _en) in enumerate(place.visits)}
        fills_en = {f"visit{i}": en for i, (_fr, en) in enumerate(place.visits)}
        for day, kind, clock, text_fr, text_en in w.MISSION_DAYS:
            programme_item_create(
                actor=self.staff, event=event,
                data={"kind": kind, "starts_at": at(first + dt.timedelta(days=day), clock, zone),
                      "title_fr": text_fr.format(city=place.city, **fills_fr),
                      "title_en": text_en.format(city=place.city, **fills_en),
                      "place": place.city},
            )  # fmt: skip
        return mission

    def delegation_run(self, plan: EventPlan, mission: Any) -> None:
        """Applications until the deadline; a week later staff select the delegation, keep a
        reserve list and say no to the others, each with a reason; now and then a selected
        participant withdraws and the first of the reserve list takes the place."""
        rng = self.rng
        assert plan.published is not None
        deadline = mission.application_deadline
        low = plan.published + dt.timedelta(days=3)
        moments = sorted(moment_between(rng, low, deadline) for _n in range(rng.randint(8, 12)))
        chosen = self.applicants(
            self.mission_pool, [m for m in moments if m < self.cutoff], plan.starts.year
        )
        applications = []
        for moment, org in chosen:
            markets = ", ".join(lower_first(c.name_fr) for c in mission.target_markets.all())
            applications.append(
                mission_apply(
                    actor=self.users[org.pk],
                    mission=mission,
                    organisation=org,
                    data={
                        "motivation": rng.choice(w.MISSION_MOTIVATIONS),
                        "target_markets": w.MISSION_TARGETS.format(items=markets),
                        "products": self.products(org),
                    },
                    now=moment,
                )  # fmt: skip
            )
            self.count("mission applications")
        decided = deadline + dt.timedelta(days=7)
        if decided >= self.cutoff:
            return
        order = rng.sample(applications, len(applications))
        selected = min(mission.places, len(order), rng.randint(6, 8))
        decisions = ["selected"] * selected + ["reserve"] * 2
        for index, application in enumerate(order):
            decision = decisions[index] if index < len(decisions) else "refused"
            reason = rng.choice(w.MISSION_REASONS[decision])
            mission_decide(actor=self.staff, application=application, decision=decision,
                           reason=reason, now=decided)  # fmt: skip
            self.count(f"mission {decision}")
        leaving_at = decided + dt.timedelta(days=rng.randint(10, 30))
        reserve = order[selected : selected + 2]
        if reserve and rng.random() < 0.4 and leaving_at < min(plan.starts, self.cutoff):
            leaving = order[0]
            mission_withdraw(actor=self.users[leaving.organisation_id], application=leaving,
                             now=leaving_at)  # fmt: skip
            mission_decide(actor=self.staff, application=reserve[0], decision="selected",
                           reason=w.MISSION_REASONS["selected"][0],
                           now=leaving_at + dt.timedelta(days=2))  # fmt: skip
            self.count("mission withdrawn")

    def pools(self, since: dt.date) -> None:
        """The companies that exhibit on the pavilion or apply for missions over the years
        (members mostly, a few others: the activities are open to all on the same terms)."""
        companies = [
            o for o in self.orgs
            if o.kind in COMPANY_KINDS and o.country == "FR" and o.pk != self.featured.pk
            and any(c.is_admin for c in self.contacts[o.pk])
        ]  # fmt: skip
        small = self.size == "small"
        self.exhibitor_pool = [self.featured, *self.rng.sample(companies, 10 if small else 26)]
        self.mission_pool = self.rng.sample(companies, 14 if small else 24)
        together = {o.pk: o for o in [*self.exhibitor_pool, *self.mission_pool]}
        ordered = sorted(together.values(), key=lambda o: o.slug)
        self.users = self.logins_create(ordered, since - dt.timedelta(days=250))
