"""Organisations: declaration, update, derived size class and collège, yearly figures,
field visibility."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from grappe.core.audit import snapshot
from grappe.core.models import AuditEntry
from grappe.members import services
from grappe.members.models import (
    Affiliation,
    College,
    Competence,
    FieldPolicy,
    Organisation,
    OrganisationFigures,
    OrgKind,
    SizeClass,
    Visibility,
)
from grappe.members.services import college_for, size_class_for

pytestmark = pytest.mark.django_db
M = 1_000_000


def _data(**overrides):
    return {
        "legal_name": "Lumière Photonique SAS", "name": "Lumière Photonique",
        "kind": OrgKind.SME, "siren": "552100554", "city": "Marseille", "region": "FRL0",
        **overrides,
    }  # fmt: skip


def _audit(action: str, obj) -> AuditEntry:
    return AuditEntry.objects.get(action=action, object_id=str(obj.pk))


# --- Size class and collège -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("headcount", "turnover", "balance", "expected"),
    [
        (None, 5 * M, None, SizeClass.UNKNOWN),
        (0, 0, None, SizeClass.MICRO),
        (9, 2 * M, None, SizeClass.MICRO),  # ceilings are inclusive
        (9, None, None, SizeClass.MICRO),  # an unknown turnover does not count against it
        (9, 2 * M + 1, None, SizeClass.SMALL),
        (9, 2 * M + 1, 2 * M, SizeClass.MICRO),  # the balance sheet is the alternative test
        (10, 0, None, SizeClass.SMALL),  # micro means fewer than 10
        (49, 10 * M, None, SizeClass.SMALL),
        (49, 10 * M + 1, None, SizeClass.MEDIUM),
        (49, 10 * M + 1, 10 * M, SizeClass.SMALL),
        (50, 0, None, SizeClass.MEDIUM),
        (249, 50 * M, None, SizeClass.MEDIUM),
        (249, 50 * M + 1, 43 * M, SizeClass.MEDIUM),  # SME by its balance sheet
        (249, 50 * M + 1, 43 * M + 1, SizeClass.MIDSIZE),
        (249, 50 * M + 1, None, SizeClass.MIDSIZE),
        (250, 0, None, SizeClass.MIDSIZE),  # 250 staff: no longer an SME
        (4999, 1500 * M, None, SizeClass.MIDSIZE),
        (4999, 1500 * M + 1, 2000 * M, SizeClass.MIDSIZE),
        (4999, 1500 * M + 1, None, SizeClass.LARGE),
        (5000, 0, None, SizeClass.LARGE),
    ],
)
def test_size_class_follows_the_eu_and_french_thresholds(headcount, turnover, balance, expected):
    turnover = Decimal(turnover) if turnover is not None else None
    balance = Decimal(balance) if balance is not None else None
    assert size_class_for(headcount, turnover, balance) == expected


@pytest.mark.parametrize(
    ("kind", "size", "expected"),
    [
        (OrgKind.STARTUP, SizeClass.MICRO, College.SME),
        (OrgKind.SME, SizeClass.MEDIUM, College.SME),
        (OrgKind.SME, SizeClass.UNKNOWN, College.SME),
        (OrgKind.SME, SizeClass.MIDSIZE, College.LARGE),  # an "SME" grown past the thresholds
        (OrgKind.STARTUP, SizeClass.LARGE, College.LARGE),
        (OrgKind.MIDSIZE, SizeClass.SMALL, College.LARGE),  # a subsidiary of a group
        (OrgKind.LARGE, SizeClass.UNKNOWN, College.LARGE),
        (OrgKind.LAB, SizeClass.LARGE, College.RESEARCH),
        (OrgKind.UNIVERSITY, SizeClass.UNKNOWN, College.RESEARCH),
        (OrgKind.TECH_CENTRE, SizeClass.SMALL, College.RESEARCH),
        (OrgKind.PUBLIC, SizeClass.LARGE, College.OTHER),
        (OrgKind.ASSOCIATION, SizeClass.MICRO, College.OTHER),
        (OrgKind.OTHER, SizeClass.UNKNOWN, College.OTHER),
    ],
)
def test_college_follows_kind_and_size(kind, size, expected):
    assert college_for(kind, size) == expected


def test_every_kind_has_a_college():
    for kind in OrgKind.values:
        assert college_for(kind, SizeClass.UNKNOWN) in College.values


# --- Declaring and updating -------------------------------------------------------------------


def test_a_registered_person_declares_an_organisation_and_becomes_its_administrator(registered):
    # when a registered person declares their company
    data = _data()
    organisation = services.organisation_create(actor=registered, data=data)
    # then it exists with its derived collège and a unique slug
    assert (organisation.name, organisation.slug, organisation.college) == (
        "Lumière Photonique", "lumiere-photonique", College.SME,
    )  # fmt: skip
    # and the declarer is its confirmed administrator
    affiliation = Affiliation.objects.get(organisation=organisation)
    assert (affiliation.person, affiliation.is_admin, affiliation.status) == (
        registered.person, True, "confirmed",
    )  # fmt: skip
    # and the declaration is audited with every value set
    entry = _audit("organisation.create", organisation)
    assert entry.actor == registered
    assert entry.changes["name"] == [None, "Lumière Photonique"]
    assert entry.changes["siren"] == [None, "552100554"]
    assert _audit("affiliation.create", affiliation).actor == registered
    # and the caller's data was left as it was
    assert data == _data()


def test_a_second_organisation_of_the_same_name_gets_another_slug(staff):
    first = services.organisation_create(actor=staff, data=_data())
    second = services.organisation_create(actor=staff, data=_data(siren=""))
    assert (first.slug, second.slug) == ("lumiere-photonique", "lumiere-photonique-2")
    assert Affiliation.objects.count() == 0  # staff declare without becoming contacts


def test_competences_are_set_and_audited_by_code(staff):
    competences = list(Competence.objects.filter(version__is_current=True).order_by("code")[:2])
    organisation = services.organisation_create(actor=staff, data=_data(competences=competences))
    assert set(organisation.competences.all()) == set(competences)
    services.organisation_update(
        actor=staff, organisation=organisation, data={"competences": competences[:1]}
    )
    entry = _audit("organisation.update", organisation)
    assert entry.changes == {"competences": [[c.code for c in competences], [competences[0].code]]}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"siren": "552100555"}, "siren"),
        ({"siret": "55210055400014"}, "siret"),
        ({"vat_number": "FR41303265045"}, "vat_number"),
        ({"name": ""}, "name"),
        ({"kind": "spaceship"}, "kind"),
        ({"website": "not a url"}, "website"),
        ({"college": "large"}, "college"),  # derived: never set directly
        ({"college_override": "large"}, "college_override"),  # staff only
        ({"founded_year": 1200}, "founded_year"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(registered, overrides, field):
    with pytest.raises(ValidationError) as raised:
        services.organisation_create(actor=registered, data=_data(**overrides))
    assert field in raised.value.message_dict
    assert Organisation.objects.count() == 0
    assert Affiliation.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_a_visitor_cannot_declare_an_organisation():
    with pytest.raises(PermissionDenied):
        services.organisation_create(actor=AnonymousUser(), data=_data())
    assert Organisation.objects.count() == 0


def test_an_administrator_updates_their_organisation_and_the_audit_keeps_before_and_after(
    org_admin, member_org
):
    # when the administrator moves the organisation to Toulouse
    services.organisation_update(
        actor=org_admin, organisation=member_org, data={"city": "Toulouse", "region": "FRJ2"}
    )
    # then it is saved and the audit row holds exactly the changed values, before and after
    member_org.refresh_from_db()
    assert (member_org.city, member_org.region) == ("Toulouse", "FRJ2")
    entry = _audit("organisation.update", member_org)
    assert entry.changes == {"city": ["Marseille", "Toulouse"], "region": ["FRL0", "FRJ2"]}
    assert entry.actor == org_admin


def test_changing_the_kind_recomputes_the_college(org_admin, member_org):
    services.organisation_update(actor=org_admin, organisation=member_org, data={"kind": "lab"})
    member_org.refresh_from_db()
    assert member_org.college == College.RESEARCH
    assert _audit("organisation.update", member_org).changes["college"] == ["sme", "research"]


def test_staff_set_the_college_but_administrators_cannot(staff, org_admin, member_org):
    with pytest.raises(ValidationError) as raised:
        services.organisation_update(
            actor=org_admin, organisation=member_org, data={"college_override": "large"}
        )
    assert list(raised.value.message_dict) == ["college_override"]
    services.organisation_update(
        actor=staff, organisation=member_org, data={"college_override": "large"}
    )
    member_org.refresh_from_db()
    assert (member_org.college, member_org.effective_college) == ("sme", "large")


@pytest.mark.parametrize("role", ["member", "other_member", "registered", "expert"])
def test_only_staff_and_its_administrators_update_an_organisation(request, member_org, role):
    before = snapshot(member_org)
    with pytest.raises(PermissionDenied):
        services.organisation_update(
            actor=request.getfixturevalue(role), organisation=member_org, data={"city": "Nice"}
        )
    member_org.refresh_from_db()
    assert snapshot(member_org) == before
    assert AuditEntry.objects.filter(action="organisation.update").count() == 0


# --- Figures ------------------------------------------------------------------------------------


def _figures(actor, organisation, **overrides):
    values = {
        "year": timezone.localdate().year - 1, "headcount": 20,
        "turnover": Decimal("3000000"), "export_share": Decimal("40"),
        "rnd_spend": Decimal("450000"), **overrides,
    }  # fmt: skip
    return services.figures_declare(actor=actor, organisation=organisation, **values)


def test_declaring_figures_derives_the_size_class_and_audits(org_admin, member_org):
    member_org.size_class = SizeClass.UNKNOWN
    member_org.save()
    figures = _figures(org_admin, member_org)
    assert (figures.size_class, figures.declared_by) == (SizeClass.SMALL, org_admin)
    member_org.refresh_from_db()
    assert (member_org.size_class, member_org.college) == (SizeClass.SMALL, College.SME)
    assert _audit("figures.declare", figures).changes["headcount"] == [None, 20]
    assert _audit("organisation.size", member_org).changes == {"size_class": ["", "small"]}


def test_a_correction_keeps_one_row_and_audits_before_and_after(org_admin, member_org):
    # given figures declared for last year
    figures = _figures(org_admin, member_org)
    # when the administrator corrects them: 260 people, 60 M€
    corrected = _figures(org_admin, member_org, headcount=260, turnover=Decimal("60000000"))
    # then the same row holds the new values and the correction is audited
    assert corrected.pk == figures.pk
    assert OrganisationFigures.objects.filter(organisation=member_org).count() == 1
    entry = _audit("figures.correct", figures)
    assert entry.changes == {
        "headcount": [20, 260], "turnover": ["3000000.00", "60000000.00"],
        "size_class": ["small", "midsize"],
    }  # fmt: skip
    # and the organisation moves to the large firms' collège, audited too
    member_org.refresh_from_db()
    assert (member_org.size_class, member_org.college) == (SizeClass.MIDSIZE, College.LARGE)
    assert _audit("organisation.size", member_org).changes == {
        "size_class": ["small", "midsize"], "college": ["sme", "large"],
    }  # fmt: skip


def test_an_older_year_does_not_change_the_current_size(org_admin, member_org):
    year = timezone.localdate().year
    _figures(org_admin, member_org, year=year - 1)
    _figures(org_admin, member_org, year=year - 3, headcount=300)
    member_org.refresh_from_db()
    assert member_org.size_class == SizeClass.SMALL


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"headcount": -1}, "headcount"),
        ({"headcount": None}, "headcount"),
        ({"turnover": Decimal("-1")}, "turnover"),
        ({"export_share": Decimal("100.01")}, "export_share"),
        ({"export_share": Decimal("-0.01")}, "export_share"),
        ({"rnd_spend": Decimal("-5")}, "rnd_spend"),
        ({"balance_sheet": Decimal("-5")}, "balance_sheet"),
        ({"year": timezone.localdate().year + 1}, "year"),
    ],
)
def test_bad_figures_are_refused_naming_the_field(org_admin, member_org, overrides, field):
    before = snapshot(member_org)
    with pytest.raises(ValidationError) as raised:
        _figures(org_admin, member_org, **overrides)
    assert list(raised.value.message_dict) == [field]
    assert OrganisationFigures.objects.count() == 0
    assert AuditEntry.objects.count() == 0
    member_org.refresh_from_db()
    assert snapshot(member_org) == before


def test_a_member_who_is_not_administrator_cannot_declare_figures(member, member_org):
    with pytest.raises(PermissionDenied):
        _figures(member, member_org)
    assert OrganisationFigures.objects.count() == 0


# --- Visibility -------------------------------------------------------------------------------


def test_visibility_within_the_limits_is_saved_and_audited(org_admin, member_org):
    services.organisation_set_visibility(
        actor=org_admin, organisation=member_org,
        choices={"email": Visibility.PUBLIC, "turnover": Visibility.MEMBERS},
    )  # fmt: skip
    member_org.refresh_from_db()
    assert member_org.visibility == {"email": "public", "turnover": "members"}
    entry = _audit("organisation.visibility", member_org)
    assert entry.changes == {"visibility": [{}, {"email": "public", "turnover": "members"}]}


@pytest.mark.parametrize(
    ("choices", "field"),
    [
        ({"turnover": Visibility.PUBLIC}, "turnover"),  # at most "members"
        ({"shoe_size": Visibility.PUBLIC}, "shoe_size"),
        ({"email": "everyone"}, "email"),
    ],
)
def test_visibility_beyond_the_limits_is_refused(org_admin, member_org, choices, field):
    with pytest.raises(ValidationError) as raised:
        services.organisation_set_visibility(
            actor=org_admin, organisation=member_org, choices={"email": "members", **choices}
        )
    assert list(raised.value.message_dict) == [field]
    member_org.refresh_from_db()
    assert member_org.visibility == {}
    assert AuditEntry.objects.count() == 0


def test_the_refusal_names_the_most_open_level_allowed(org_admin, member_org):
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        services.organisation_set_visibility(
            actor=org_admin, organisation=member_org, choices={"turnover": "public"}
        )
    assert raised.value.message_dict["turnover"] == [
        "Staff do not allow this field to be more open than “Members”."
    ]


def test_staff_limits_apply_to_what_organisations_choose(org_admin, member_org):
    # given staff allow e-mail addresses to be shown to members at most
    FieldPolicy.objects.create(field="email", default="members", most_open="members")
    # then an organisation can no longer make its address public
    with pytest.raises(ValidationError):
        services.organisation_set_visibility(
            actor=org_admin, organisation=member_org, choices={"email": "public"}
        )


def test_a_member_who_is_not_administrator_cannot_set_visibility(member, member_org):
    with pytest.raises(PermissionDenied):
        services.organisation_set_visibility(
            actor=member, organisation=member_org, choices={"email": "public"}
        )
