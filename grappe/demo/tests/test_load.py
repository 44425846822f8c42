"""The full demo cluster, loaded once for this module: its shape, its figures, its logins."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from grappe.demo import vocabulary as words
from grappe.demo.load import load_demo
from grappe.demo.profiles import SUPPORT, taxonomy
from grappe.members.models import (
    Affiliation,
    AffiliationStatus,
    ClusterProfile,
    Invoice,
    InvoiceStatus,
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationFigures,
    Person,
)
from grappe.members.selectors import Roles, member_organisations, user_roles
from grappe.members.validators import is_valid_siren, is_valid_siret, is_valid_vat

pytestmark = pytest.mark.django_db
EFFECTIVE = [MembershipStatus.ACTIVE, MembershipStatus.LAPSED, MembershipStatus.RESIGNED]


def test_the_full_cluster_is_loaded_not_skipped(full_demo):
    # given the full demo's cluster just loaded (its load time is measured in
    # docs/PERFORMANCE.md, not asserted by a timed test)
    # then it was loaded, not skipped
    assert full_demo.skipped is False


def test_exactly_190_members_this_year_with_one_administrator_each(full_demo):
    # given the members of today
    members = member_organisations()
    # then there are exactly 190, each with exactly one current administrator
    assert members.count() == 190
    admins = Counter(
        Affiliation.objects.filter(
            organisation__in=members, is_admin=True, status=AffiliationStatus.CONFIRMED,
            end__isnull=True,
        ).values_list("organisation", flat=True)
    )  # fmt: skip
    assert len(admins) == 190 and set(admins.values()) == {1}


def test_the_kind_mix_follows_the_domain_brief(full_demo):
    # given the kinds of today's members
    kinds = Counter(member_organisations().values_list("kind", flat=True))
    shares = {
        "SMEs and start-ups": kinds["sme"] + kinds["startup"],
        "mid-size": kinds["midsize"],
        "large": kinds["large"],
        "research and training": kinds["lab"] + kinds["university"] + kinds["tech_centre"],
        "other": kinds["public"] + kinds["association"] + kinds["other"],
    }
    expected = {"SMEs and start-ups": 57, "mid-size": 8, "large": 7,
                "research and training": 17, "other": 11}  # fmt: skip
    # then each share is within two points of DOMAIN.md's
    for group, percent in expected.items():
        assert abs(shares[group] * 100 / 190 - percent) <= 2, group


def test_members_are_mostly_in_provence_and_occitanie(full_demo):
    # given the regions of today's members
    regions = Counter(member_organisations().values_list("region", flat=True))
    # then Provence-Alpes-Côte d'Azur leads and the two home regions hold most of them
    assert regions.most_common(1)[0][0] == "FRL0"
    assert regions["FRL0"] + regions["FRJ1"] + regions["FRJ2"] >= 0.8 * 190
    assert {"DE21", "ES51", "ITC4", "BE10", "CH01"} & set(
        Organisation.objects.values_list("region", flat=True)
    )


def test_about_600_people_and_about_40_non_members(full_demo):
    # then about 600 people and about 40 organisations that are not members today
    assert 550 <= Person.objects.count() <= 650
    assert 35 <= Organisation.objects.exclude(pk__in=member_organisations()).count() <= 45


def test_every_identifier_is_valid(full_demo):
    # given every organisation and the cluster's own details
    organisations = list(Organisation.objects.all())
    profile = ClusterProfile.objects.get()
    # then every SIREN, SIRET and VAT number passes the validators, French ones all present
    for org in organisations:
        if org.country == "FR":
            assert is_valid_siren(org.siren) and is_valid_siret(org.siret), org.name
            assert org.siret.startswith(org.siren)
        if org.vat_number:
            assert is_valid_vat(org.vat_number), org.name
    assert sum(1 for o in organisations if o.vat_number) > 200
    assert is_valid_siret(profile.siret) and is_valid_vat(profile.vat_number)
    assert profile.name == words.CLUSTER.name and profile.city == "Marseille"


def test_descriptions_in_both_languages_match_the_competences(full_demo):
    # given every organisation with its competence codes
    tax = taxonomy()
    for org in Organisation.objects.prefetch_related("competences"):
        codes = [c.code for c in org.competences.all()]
        # then both descriptions exist and share a sentence (or, for bodies that do not make
        # things themselves, a name) of one of the organisation's own competences
        assert org.description_fr and org.description_en, org.name
        if org.kind in SUPPORT:
            assert any(
                tax[c]["name_fr"][1:] in org.description_fr
                and tax[c]["name_en"][1:] in org.description_en
                for c in codes
            ), org.name
            continue
        assert any(
            fr in org.description_fr and en in org.description_en
            for c in codes
            for fr, en in zip(tax[c]["phrases_fr"], tax[c]["phrases_en"], strict=True)
        ), org.name


def test_competences_have_technologies_markets_chain_and_a_trl_range(full_demo):
    for org in Organisation.objects.prefetch_related("competences"):
        facets = Counter(c.facet for c in org.competences.all())
        levels = sorted(int(c.code[4:]) for c in org.competences.all() if c.facet == "trl")
        assert 2 <= facets["technology"] <= 4 and 1 <= facets["market"] <= 3, org.name
        assert 1 <= facets["value_chain"] <= 2, org.name
        assert levels == list(range(levels[0], levels[-1] + 1)), org.name


def test_members_figures_grow_about_10_percent_with_40_percent_export_and_15_percent_rnd(
    full_demo,
):
    # given, for each of the five years, the figures of the organisations then members
    year = timezone.localdate().year
    totals = []
    for current in range(year - 4, year + 1):
        members = Membership.objects.filter(year=current, status__in=EFFECTIVE)
        figures = OrganisationFigures.objects.filter(
            year=current, organisation__in=members.values("organisation")
        )
        assert figures.count() == members.count()
        turnover = figures.aggregate(total=Sum("turnover"))["total"]
        export = sum(f.turnover * f.export_share / 100 for f in figures)
        rnd = figures.aggregate(total=Sum("rnd_spend"))["total"]
        # then export and R&D shares are about 40 % and 15 % of turnover
        assert Decimal(35) <= export * 100 / turnover <= Decimal(45), current
        assert Decimal(12) <= rnd * 100 / turnover <= Decimal(18), current
        totals.append(turnover)
    # and the total turnover grows 7 to 13 % a year
    for before, after in zip(totals, totals[1:], strict=False):
        assert Decimal("1.07") <= after / before <= Decimal("1.13")


def test_start_ups_are_small_and_large_companies_big(full_demo):
    year = timezone.localdate().year
    figures = OrganisationFigures.objects.filter(year=year)
    startups = figures.filter(organisation__kind="startup")
    large = figures.filter(organisation__kind="large")
    assert max(f.headcount for f in startups) < 50
    assert min(f.turnover for f in large) > 5 * max(f.turnover for f in startups)
    labs = figures.filter(organisation__kind="lab")
    assert all(f.export_share <= 20 for f in labs)


def test_five_years_of_joins_and_departures_are_dated_in_the_past(full_demo):
    # given memberships and invoices over five years
    today = timezone.localdate()
    years = range(today.year - 4, today.year + 1)
    statuses = Counter(Membership.objects.values_list("year", "status"))
    # then each past year saw resignations or lapses, and both kinds of ending happened
    for year in years[:-1]:
        assert statuses[(year, "resigned")] + statuses[(year, "lapsed")] >= 1, year
    assert sum(n for (_, s), n in statuses.items() if s == "lapsed") >= 3
    # and newcomers joined every year, admitted by the board with a dated decision
    for year in years:
        joins = Membership.objects.filter(year=year, renewal_of__isnull=True,
                                          decision_body="board")  # fmt: skip
        assert joins.exists(), year
        assert all(m.decided_at.year == year for m in joins)
    # and invoices carry their issue year in their number and are never in the future
    for invoice in Invoice.objects.all():
        assert invoice.number.startswith(f"{invoice.issued_on.year}-")
        assert invoice.issued_on <= today
        assert invoice.paid_on is None or invoice.issued_on <= invoice.paid_on <= today
    # and a lapse does not leave an old invoice open: a credit note on the lapse date cancels it
    lapsed = Invoice.objects.filter(membership__status=MembershipStatus.LAPSED).select_related(
        "membership", "credit_note"
    )
    assert lapsed.count() >= 3
    for invoice in lapsed:
        assert invoice.status == InvoiceStatus.CANCELLED
        assert invoice.credit_note.issued_on == min(invoice.membership.end, today)
        assert invoice.credit_note.reason == "Adhésion non renouvelée"


def test_staff_have_work_waiting(full_demo):
    # then there are applications to decide, unpaid invoices and join requests this year
    year = timezone.localdate().year
    assert Membership.objects.filter(year=year, status=MembershipStatus.APPLIED).count() >= 3
    assert Invoice.objects.filter(status=InvoiceStatus.ISSUED, membership__year=year).count() >= 5
    pending = Affiliation.objects.filter(status=AffiliationStatus.PENDING)
    assert pending.count() == 6
    assert pending.filter(organisation__name=words.FEATURED.name).count() == 1


def test_demo_logins_log_in_with_the_right_roles(full_demo, client):
    # given the printed logins and password
    logins = dict(full_demo.logins)
    expected = {
        "staff": Roles(authenticated=True, staff=True),
        "expert": Roles(authenticated=True, expert=True),
        "org_admin": Roles(authenticated=True, member=True, contact=True, org_admin=True),
        "member": Roles(authenticated=True, member=True, contact=True),
        "registered": Roles(authenticated=True),
    }
    assert set(logins) == set(expected)
    User = apps.get_model("accounts", "User")
    for role, email in logins.items():
        # when each logs in
        assert client.login(email=email, password=full_demo.password), role
        # then they have their verified address and their role
        user = User.objects.get(email=email)
        assert user.emailaddress_set.filter(verified=True, primary=True, email=email).exists()
        assert user_roles(user) == expected[role], role
        client.logout()


def test_a_second_load_changes_nothing(full_demo):
    # given the number of rows of every table
    tables = set(connection.introspection.table_names())

    def counts() -> dict[str, int]:
        return {
            m._meta.label: m._default_manager.count()
            for m in apps.get_models()
            if m._meta.db_table in tables  # directory_vector exists on PostgreSQL only
        }

    before = counts()
    # when the demo is loaded again
    summary = load_demo(size="full", parts={"cluster"})
    # then it is skipped, nothing changed, and the same logins are given
    assert summary.skipped is True
    assert counts() == before
    assert summary.logins == full_demo.logins
    assert summary.members == 190


def test_past_events_carry_past_dates(full_demo):
    # given every membership of the five years
    memberships = list(Membership.objects.all())
    # then applications date from the membership's year (or the December before), renewals
    # from the 2nd of January, and nothing happens after today
    now = timezone.now()
    assert all(m.applied_at.year in (m.year - 1, m.year) for m in memberships if m.applied_at)
    assert all(m.decided_at <= now for m in memberships if m.decided_at)
    renewals = [m for m in memberships if m.renewal_of_id]
    assert len(renewals) > 500
    assert all(timezone.localtime(m.decided_at).date() == dt.date(m.year, 1, 2) for m in renewals)
