"""Eligibility rules of the schemes, stored as data and run at submission."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from grappe.members.models import OrgKind, SizeClass
from grappe.members.tests.factories import MembershipFactory, OrganisationFactory
from grappe.projects.models import EligibilityRule, FundingScheme, PartnerRole, RuleCheck
from grappe.projects.services.eligibility import (
    consortium_of,
    eligibility_check,
    independent_groups,
    render_message,
)
from grappe.projects.tests.factories import PartnerFactory, RequestFactory

pytestmark = pytest.mark.django_db

K = Decimal(1000)


def partner(request, kind=OrgKind.SME, budget=300, **extra):
    organisation = extra.pop("organisation", None) or OrganisationFactory(kind=kind)
    return PartnerFactory(
        request=request, organisation=organisation, kind=kind, budget=Decimal(budget) * K, **extra
    )


def pspc_file(**coordinator):
    """A PSPC file that passes: an SME leads, another SME and a lab, all in the territory."""
    request = RequestFactory(scheme=FundingScheme.PSPC)
    partner(request, role=PartnerRole.COORDINATOR, name="Alpha Optique", **coordinator)
    partner(request, name="Beta Laser")
    partner(request, kind=OrgKind.LAB, name="Institut Fresnel", budget=400)
    return request


def test_the_shipped_rules_are_data_for_pspc_and_idemo():
    # given the data migration
    # then the PSPC and i-Démo rules are rows staff can edit
    rules = {(r.scheme, r.rule): r.params for r in EligibilityRule.objects.all()}
    assert rules == {
        ("pspc", "min_companies"): {"n": 2},
        ("pspc", "min_research"): {"n": 1},
        ("pspc", "led_by_company"): {},
        ("pspc", "max_partner_share"): {"percent": 70},
        ("pspc", "min_territory_share"): {"percent": 25},
        ("idemo", "max_partners"): {"n": 6},
        ("idemo", "led_by_company"): {},
        ("idemo", "min_sme_or_midsize"): {"n": 1},
    }


def test_a_pspc_file_that_follows_every_rule_has_no_message():
    # given two independent SMEs (one leads) and a lab, all in the territory
    request = pspc_file()
    # when the rules run
    # then nothing is broken
    assert eligibility_check(request) == []


def test_partners_of_one_parent_group_count_as_one_company():
    # given the two companies are subsidiaries of one group
    group = OrganisationFactory(kind=OrgKind.LARGE, name="Groupe Optique")
    request = RequestFactory(scheme=FundingScheme.PSPC)
    partner(
        request,
        role=PartnerRole.COORDINATOR,
        organisation=OrganisationFactory(parent_group=group),
    )
    partner(request, organisation=OrganisationFactory(parent_group=group))
    partner(request, kind=OrgKind.LAB, budget=400)
    # when the rules run, in English
    with translation.override("en"):
        messages = eligibility_check(request)
    # then only one independent company is found
    assert messages == [
        "PSPC-Régions: at least 2 independent companies are needed; the consortium has 1 "
        "(partners of one group count once)."
    ]


def test_a_company_and_its_parent_group_count_once():
    # given the parent group itself and its subsidiary are partners
    group = OrganisationFactory(kind=OrgKind.LARGE)
    request = RequestFactory()
    parent = partner(request, kind=OrgKind.LARGE, organisation=group)
    child = partner(request, organisation=OrganisationFactory(parent_group=group))
    outside = partner(request, organisation=OrganisationFactory())
    # when the partners are grouped
    groups = independent_groups(list(consortium_of(request).partners))
    # then the group and its subsidiary are one group, the other company another
    assert sorted(sorted(p.pk for p in g) for g in groups) == sorted(
        [sorted([parent.pk, child.pk]), [outside.pk]]
    )


def test_partners_with_the_same_group_name_count_once():
    # given two outside companies declared of the same group (case and spaces aside)
    request = RequestFactory(scheme=FundingScheme.PSPC)
    partner(request, role=PartnerRole.COORDINATOR, group_name="Thales")
    PartnerFactory(
        request=request, organisation=None, name="Thales LAS", kind=OrgKind.LARGE,
        group_name=" thales ", budget=300 * K,
    )  # fmt: skip
    partner(request, kind=OrgKind.LAB, budget=400)
    # when the rules run in French
    with translation.override("fr"):
        messages = eligibility_check(request)
    # then one company only
    assert messages == [
        "PSPC-Régions : il faut au moins 2 entreprises indépendantes ; le consortium en compte 1 "
        "(les partenaires d'un même groupe comptent pour une)."
    ]


def test_every_broken_rule_is_listed_in_order():
    # given a lab leads alone with a small company outside the territory
    request = RequestFactory(scheme=FundingScheme.PSPC)
    partner(request, kind=OrgKind.LAB, role=PartnerRole.COORDINATOR, name="Labo Sud", budget=900)
    partner(request, name="Petite Optique", budget=100, in_territory=False)
    PartnerFactory(
        request=request, organisation=None, name="Sous-traitant", kind=OrgKind.SME,
        role=PartnerRole.SUBCONTRACTOR, budget=0, in_territory=False,
    )  # fmt: skip
    request.partners.filter(name="Labo Sud").update(in_territory=False)
    # when the rules run in English
    with translation.override("en"):
        messages = eligibility_check(request)
    # then each broken rule says what it found
    assert messages == [
        "PSPC-Régions: at least 2 independent companies are needed; the consortium has 1 "
        "(partners of one group count once).",
        "PSPC-Régions: the project must be led by a company; the coordinator Labo Sud is of "
        "kind “Research lab”.",
        "PSPC-Régions: no partner may carry more than 70 % of the budget; Labo Sud carries 90 %.",
        "PSPC-Régions: at least 25 % of the R&D budget must be spent in the cluster's "
        "territory; only 0 % is.",
    ]


def test_the_territory_share_is_computed_on_the_whole_budget():
    # given 20 % of the budget in the territory
    request = RequestFactory(scheme=FundingScheme.PSPC)
    partner(request, role=PartnerRole.COORDINATOR, budget=400, in_territory=False)
    partner(request, budget=400, in_territory=False)
    partner(request, kind=OrgKind.LAB, budget=200)
    # when the rules run
    with translation.override("en"):
        messages = eligibility_check(request)
    # then the share found is given
    assert messages == [
        "PSPC-Régions: at least 25 % of the R&D budget must be spent in the cluster's "
        "territory; only 20 % is."
    ]


def test_exactly_seventy_percent_is_allowed():
    request = RequestFactory(scheme=FundingScheme.PSPC)
    partner(request, role=PartnerRole.COORDINATOR, budget=700)
    partner(request, budget=200)
    partner(request, kind=OrgKind.LAB, budget=100)
    assert eligibility_check(request) == []


def test_idemo_caps_partners_forbids_a_research_lead_and_needs_an_sme():
    # given seven partners, led by a lab, the companies all large
    request = RequestFactory(scheme=FundingScheme.IDEMO)
    partner(request, kind=OrgKind.UNIVERSITY, role=PartnerRole.COORDINATOR, name="Université")
    for _index in range(4):
        partner(request, kind=OrgKind.LARGE, size_class=SizeClass.LARGE)
    partner(request, kind=OrgKind.LAB)
    # a company of kind SME that declared a large size is not an SME
    partner(request, kind=OrgKind.SME, size_class=SizeClass.LARGE)
    # when the rules run
    with translation.override("en"):
        messages = eligibility_check(request)
    # then the three rules are broken
    assert messages == [
        "i-Démo: the consortium has at most 6 partners; it has 7.",
        "i-Démo: the project must be led by a company (a research body cannot lead); the "
        "coordinator Université is of kind “University or school”.",
        "i-Démo: at least 1 SME or mid-size firm is needed in the consortium; it has 0.",
    ]


def test_idemo_counts_a_midsize_firm_and_ignores_subcontractors():
    # given a mid-size firm leading five partners and two subcontractors
    request = RequestFactory(scheme=FundingScheme.IDEMO)
    partner(
        request, kind=OrgKind.MIDSIZE, size_class=SizeClass.MIDSIZE, role=PartnerRole.COORDINATOR
    )
    for _index in range(5):
        partner(request, kind=OrgKind.LARGE, size_class=SizeClass.LARGE)
    for _index in range(2):
        partner(request, role=PartnerRole.SUBCONTRACTOR)
    # then it is eligible
    assert eligibility_check(request) == []


def test_a_scheme_without_rules_is_always_eligible():
    request = RequestFactory(scheme=FundingScheme.HORIZON)
    partner(request, kind=OrgKind.LAB, role=PartnerRole.COORDINATOR)
    assert eligibility_check(request) == []


def test_staff_edited_params_and_inactive_rules_are_followed():
    # given staff ask for 3 companies and switch the lab rule off
    EligibilityRule.objects.filter(scheme="pspc", rule=RuleCheck.MIN_COMPANIES).update(
        params={"n": 3}
    )
    EligibilityRule.objects.filter(scheme="pspc", rule=RuleCheck.MIN_RESEARCH).update(
        is_active=False
    )
    request = RequestFactory(scheme=FundingScheme.PSPC)
    partner(request, role=PartnerRole.COORDINATOR, budget=400)
    partner(request, budget=400)
    partner(request, kind=OrgKind.ASSOCIATION, budget=200)
    # when the rules run
    with translation.override("en"):
        messages = eligibility_check(request)
    # then the new number is used, and the missing lab is not reported
    assert messages == [
        "PSPC-Régions: at least 3 independent companies are needed; the consortium has 2 "
        "(partners of one group count once)."
    ]


def test_member_and_partner_count_rules():
    # given a Region rule set: 3 partners, 2 of them members
    EligibilityRule.objects.create(
        scheme="region", rule=RuleCheck.MIN_PARTNERS, params={"n": 3},
        message_fr="Au moins {n} partenaires ({found}).", message_en="At least {n} partners ({found}).",
    )  # fmt: skip
    EligibilityRule.objects.create(
        scheme="region", rule=RuleCheck.MIN_MEMBER_PARTNERS, params={"n": 2},
        message_fr="{found} adhérent(s) sur {n}.", message_en="{found} member(s) of {n}.",
    )  # fmt: skip
    request = RequestFactory(scheme=FundingScheme.REGION)
    member = OrganisationFactory()
    MembershipFactory(organisation=member)
    partner(request, role=PartnerRole.COORDINATOR, organisation=member)
    partner(request)  # not a member
    # when the rules run
    with translation.override("en"):
        messages = eligibility_check(request)
    # then both are broken
    assert messages == ["At least 3 partners (2).", "1 member(s) of 2."]


def test_a_message_keeps_unknown_placeholders_and_survives_bad_braces():
    assert render_message("{n} and {nothing}", {"n": 2}) == "2 and {nothing}"
    assert render_message("broken {", {"n": 2}) == "broken {"
    assert render_message("{share} %", {"share": Decimal("25.0")}) == "25 %"
