"""The back office's own services: the dues schedule and its bands, the cluster's details,
expert roles and logins."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from grappe.backoffice import services
from grappe.backoffice.services import BandSpec
from grappe.core.models import AuditEntry
from grappe.members.models import (
    ClusterProfile,
    College,
    FeeBand,
    FeeBasis,
    FeeSchedule,
    FieldPolicy,
)
from grappe.members.services import dues_quote
from grappe.members.tests.factories import FiguresFactory, OrganisationFactory, fee_schedule

pytestmark = pytest.mark.django_db
M = Decimal(1_000_000)
SME_BANDS = [
    BandSpec(Decimal(0), M / 2, Decimal(220)),
    BandSpec(M / 2, 2 * M, Decimal(550)),
    BandSpec(2 * M, None, Decimal(1100)),
]


def _bands(schedule: FeeSchedule, college: str = College.SME) -> list[tuple]:
    return list(
        FeeBand.objects.filter(schedule=schedule, college=college)
        .order_by("minimum")
        .values_list("basis", "minimum", "maximum", "amount")
    )


def _set(actor, schedule, bands, college=College.SME, basis=FeeBasis.TURNOVER):
    return services.fee_bands_set(
        actor=actor, schedule=schedule, college=college, basis=basis, bands=bands
    )


# --- Schedules --------------------------------------------------------------------------------


def test_staff_create_a_schedule_audited(staff):
    schedule = services.fee_schedule_create(
        actor=staff, year=2027, vat_rate=Decimal("20.00"), notes="Voted by the AGM"
    )
    assert (schedule.year, schedule.vat_rate, schedule.notes) == (
        2027, Decimal("20.00"), "Voted by the AGM",
    )  # fmt: skip
    assert AuditEntry.objects.get(action="fee_schedule.create").actor == staff


@pytest.mark.parametrize(
    ("year", "vat", "field"),
    [(2026, "20", "year"), (1999, "20", "year"), (2027, "101", "vat_rate"),
     (2027, "-1", "vat_rate")],
)  # fmt: skip
def test_a_bad_schedule_is_refused_naming_the_field(staff, year, vat, field):
    FeeSchedule.objects.create(year=2026)
    with pytest.raises(ValidationError) as raised:
        services.fee_schedule_create(actor=staff, year=year, vat_rate=Decimal(vat))
    assert list(raised.value.message_dict) == [field]
    assert FeeSchedule.objects.count() == 1
    assert AuditEntry.objects.count() == 0


def test_changing_the_vat_rate_is_audited_with_before_and_after(staff):
    schedule = FeeSchedule.objects.create(year=2026, vat_rate=Decimal("20.00"))
    services.fee_schedule_update(actor=staff, schedule=schedule, vat_rate=Decimal("5.5"))
    schedule.refresh_from_db()
    assert schedule.vat_rate == Decimal("5.50")
    assert AuditEntry.objects.get(action="fee_schedule.update").changes == {
        "vat_rate": ["20.00", "5.50"]
    }


def test_copying_a_schedule_makes_next_year_with_the_same_bands(staff):
    # given the 2026 schedule at 5.5 % VAT
    source = fee_schedule(2026)
    source.vat_rate, source.notes = Decimal("5.50"), "AGM of June"
    source.save()
    # when staff copy it
    target = services.fee_schedule_copy(actor=staff, year=2026)
    # then 2027 has the same VAT rate, notes and every band, each audited
    assert (target.year, target.vat_rate, target.notes) == (2027, Decimal("5.50"), "AGM of June")
    for college in College.values:
        assert _bands(target, college) == _bands(source, college)
    assert FeeBand.objects.filter(schedule=target).count() == 12
    assert AuditEntry.objects.get(action="fee_schedule.copy").changes["copied_from"] == [None, 2026]
    assert AuditEntry.objects.filter(action="fee_band.add").count() == 12


def test_copying_onto_an_existing_year_or_from_nothing_is_refused(staff):
    fee_schedule(2026)
    fee_schedule(2027)
    with pytest.raises(ValidationError) as raised:
        services.fee_schedule_copy(actor=staff, year=2026)
    assert list(raised.value.message_dict) == ["year"]
    with pytest.raises(ValidationError) as raised:
        services.fee_schedule_copy(actor=staff, year=2030)
    assert list(raised.value.message_dict) == ["year"]
    assert FeeSchedule.objects.count() == 2


# --- Bands --------------------------------------------------------------------------------------


def test_bands_of_a_college_are_set_at_once_and_each_change_is_audited(staff):
    schedule = FeeSchedule.objects.create(year=2026)
    _set(staff, schedule, SME_BANDS)
    assert _bands(schedule) == [
        ("turnover", Decimal("0.00"), Decimal("500000.00"), Decimal("220.00")),
        ("turnover", Decimal("500000.00"), Decimal("2000000.00"), Decimal("550.00")),
        ("turnover", Decimal("2000000.00"), None, Decimal("1100.00")),
    ]
    assert AuditEntry.objects.filter(action="fee_band.add").count() == 3
    # when staff split the top band and raise the middle one
    _set(staff, schedule, [
        SME_BANDS[0], BandSpec(M / 2, 2 * M, Decimal(600)),
        BandSpec(2 * M, 5 * M, Decimal(1100)), BandSpec(5 * M, None, Decimal(1650)),
    ])  # fmt: skip
    # then one band is added, two changed, none deleted, and the quote follows
    assert [b[3] for b in _bands(schedule)] == [Decimal(v) for v in ("220", "600", "1100", "1650")]
    assert AuditEntry.objects.filter(action="fee_band.add").count() == 4
    assert AuditEntry.objects.filter(action="fee_band.change").count() == 2
    organisation = OrganisationFactory()
    FiguresFactory(organisation=organisation, year=2025, turnover=Decimal("7000000"))
    quote = dues_quote(organisation=organisation, year=2026, start=dt.date(2026, 1, 1))
    assert quote.amount == Decimal("1650.00")


def test_removing_bands_deletes_them_audited(staff):
    schedule = FeeSchedule.objects.create(year=2026)
    _set(staff, schedule, SME_BANDS)
    _set(staff, schedule, [BandSpec(Decimal(0), None, Decimal(300))])
    assert _bands(schedule) == [("turnover", Decimal("0.00"), None, Decimal("300.00"))]
    deleted = AuditEntry.objects.filter(action="fee_band.delete")
    assert deleted.count() == 2
    assert {e.changes["amount"][0] for e in deleted} == {"550.00", "1100.00"}
    assert {e.changes["amount"][1] for e in deleted} == {None}


def test_an_empty_list_removes_a_colleges_bands(staff):
    schedule = fee_schedule(2026)
    _set(staff, schedule, [], college=College.RESEARCH, basis=FeeBasis.FLAT)
    assert _bands(schedule, College.RESEARCH) == []
    assert len(_bands(schedule, College.SME)) == 5


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ([BandSpec(M, None, Decimal(220))],
         "The first band of SMEs and start-ups, “from 1 M€”, must start at 0."),
        ([BandSpec(Decimal(0), 2 * M, Decimal(220)), BandSpec(M, None, Decimal(550))],
         "In SMEs and start-ups, the band “0 € to below 2 M€” overlaps the band “from 1 M€”."),
        ([BandSpec(Decimal(0), M, Decimal(220)), BandSpec(2 * M, None, Decimal(550))],
         "In SMEs and start-ups, there is a gap between the band “0 € to below 1 M€” and the "
         "band “from 2 M€”."),
        ([BandSpec(Decimal(0), M, Decimal(220)), BandSpec(M, 2 * M, Decimal(550))],
         "In SMEs and start-ups, the last band “1 M€ to below 2 M€” must have no upper limit."),
        ([BandSpec(Decimal(0), None, Decimal(220)), BandSpec(M, None, Decimal(550))],
         "In SMEs and start-ups, the band “from 0 €” overlaps the band “from 1 M€”."),
        ([BandSpec(Decimal(0), M, Decimal(220)), BandSpec(Decimal(0), None, Decimal(550))],
         "In SMEs and start-ups, the band “0 € to below 1 M€” overlaps the band “from 0 €”."),
    ],
)  # fmt: skip
def test_bands_that_overlap_or_leave_a_gap_are_refused_naming_the_band(staff, bands, message):
    # given the SME bands in place
    schedule = FeeSchedule.objects.create(year=2026)
    _set(staff, schedule, SME_BANDS)
    before, audit_before = _bands(schedule), AuditEntry.objects.count()
    # when staff save bands that do not cover every turnover exactly once
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        _set(staff, schedule, bands)
    # then the message names the band, and the schedule is unchanged
    assert message in raised.value.message_dict["bands"]
    assert _bands(schedule) == before
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.parametrize(
    ("band", "basis", "message"),
    [
        (BandSpec(Decimal(-1), None, Decimal(1)), FeeBasis.TURNOVER, "A band cannot start below 0."),
        (BandSpec(Decimal(0), None, Decimal(-1)), FeeBasis.TURNOVER, "Dues cannot be negative."),
        (BandSpec(Decimal(5), Decimal(5), Decimal(1)), FeeBasis.HEADCOUNT,
         "The band starting at 5 must end above its start."),
        (BandSpec(Decimal(0), Decimal(10), Decimal(1)), FeeBasis.FLAT,
         "A flat fee has no limits: leave “from” at 0 and “below” empty."),
    ],
)  # fmt: skip
def test_a_band_that_makes_no_sense_is_refused(staff, band, basis, message):
    schedule = FeeSchedule.objects.create(year=2026)
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        _set(staff, schedule, [band], basis=basis)
    assert message in raised.value.message_dict["bands"]
    assert FeeBand.objects.count() == 0


def test_a_college_uses_one_basis(staff):
    schedule = FeeSchedule.objects.create(year=2026)
    bands = [
        FeeBand(schedule=schedule, college=College.SME, basis=FeeBasis.TURNOVER, minimum=0,
                maximum=M, amount=1),
        FeeBand(schedule=schedule, college=College.SME, basis=FeeBasis.HEADCOUNT, minimum=10,
                maximum=None, amount=1),
    ]  # fmt: skip
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        services.check_bands(bands)
    assert raised.value.message_dict["bands"] == [
        "The bands of SMEs and start-ups must all use the same basis (now: Headcount, Turnover (€))."
    ]


def test_a_flat_fee_is_one_band(staff):
    schedule = FeeSchedule.objects.create(year=2026)
    _set(staff, schedule, [BandSpec(Decimal(0), None, Decimal(1100))], basis=FeeBasis.FLAT)
    assert _bands(schedule) == [("flat", Decimal("0.00"), None, Decimal("1100.00"))]


def test_one_band_is_added_changed_or_deleted_with_the_whole_checked(staff):
    schedule = FeeSchedule.objects.create(year=2026)
    _set(staff, schedule, [BandSpec(Decimal(0), None, Decimal(220))])
    # adding a band alone would overlap: refused
    with pytest.raises(ValidationError):
        services.fee_band_add(
            actor=staff, schedule=schedule, college=College.SME, basis=FeeBasis.TURNOVER,
            minimum=M, maximum=None, amount=Decimal(550),
        )  # fmt: skip
    # closing the first band, then adding the next one: the first step leaves a gap, refused
    first = FeeBand.objects.get(schedule=schedule)
    with pytest.raises(ValidationError):
        services.fee_band_update(
            actor=staff, band=first, minimum=Decimal(0), maximum=M, amount=Decimal(220)
        )
    # changing the dues of a band alone is fine
    services.fee_band_update(
        actor=staff, band=first, minimum=Decimal(0), maximum=None, amount=Decimal(250)
    )
    assert _bands(schedule) == [("turnover", Decimal("0.00"), None, Decimal("250.00"))]
    # and the lone band of a collège can be deleted
    services.fee_band_delete(actor=staff, band=first)
    assert _bands(schedule) == []


def test_a_band_moves_keeping_its_row(staff):
    schedule = FeeSchedule.objects.create(year=2026)
    _set(staff, schedule, SME_BANDS)
    top = FeeBand.objects.get(schedule=schedule, maximum__isnull=True)
    middle = FeeBand.objects.get(schedule=schedule, minimum=M / 2)
    # moving the top band's start alone leaves a gap or an overlap: refused
    with pytest.raises(ValidationError):
        services.fee_band_update(
            actor=staff, band=top, minimum=3 * M, maximum=None, amount=top.amount
        )
    # the middle band cannot take another band's start
    with pytest.raises(ValidationError) as raised:
        services.fee_band_update(actor=staff, band=middle, minimum=2 * M, maximum=3 * M, amount=1)
    assert "bands" in raised.value.message_dict
    assert _bands(schedule)[1] == ("turnover", M / 2, 2 * M, Decimal("550.00"))


def test_only_staff_edit_the_dues(org_admin, member_org):
    schedule = FeeSchedule.objects.create(year=2026)
    for call in [
        lambda: services.fee_schedule_create(actor=org_admin, year=2027),
        lambda: services.fee_schedule_update(
            actor=org_admin, schedule=schedule, vat_rate=Decimal(0)
        ),
        lambda: services.fee_schedule_copy(actor=org_admin, year=2026),
        lambda: _set(org_admin, schedule, SME_BANDS),
    ]:
        with pytest.raises(PermissionDenied):
            call()
    assert FeeSchedule.objects.count() == 1
    assert FeeBand.objects.count() == 0


# --- The cluster's details, visibility limits ---------------------------------------------


def test_the_cluster_profile_is_created_then_updated_audited(staff):
    profile = services.cluster_profile_update(
        actor=staff, data={"legal_name": "Pôle Optique SUD", "payment_days": 45}
    )
    assert (ClusterProfile.objects.get().legal_name, profile.payment_days) == (
        "Pôle Optique SUD",
        45,
    )
    services.cluster_profile_update(actor=staff, data={"city": "Marseille"})
    assert ClusterProfile.objects.count() == 1
    changes = [e.changes for e in AuditEntry.objects.filter(action="cluster_profile.update")]
    assert changes[0] == {"city": ["", "Marseille"]}
    assert changes[1]["legal_name"] == [None, "Pôle Optique SUD"]


def test_the_cluster_profile_refuses_bad_input(staff, org_admin):
    with pytest.raises(ValidationError) as raised:
        services.cluster_profile_update(actor=staff, data={"email": "nope", "iban_x": "1"})
    assert set(raised.value.message_dict) == {"iban_x"}
    with pytest.raises(ValidationError) as raised:
        services.cluster_profile_update(actor=staff, data={"email": "nope"})
    assert list(raised.value.message_dict) == ["email"]
    with pytest.raises(PermissionDenied):
        services.cluster_profile_update(actor=org_admin, data={"city": "Nice"})
    assert ClusterProfile.objects.count() == 0


def test_field_policies_are_set_within_reason(staff):
    services.field_policy_set(actor=staff, field="email", default="members", most_open="members")
    services.field_policy_set(actor=staff, field="email", default="staff", most_open="members")
    assert FieldPolicy.objects.get().default == "staff"
    assert AuditEntry.objects.filter(action="field_policy.set").count() == 2
    with pytest.raises(ValidationError) as raised:
        services.field_policy_set(actor=staff, field="email", default="public", most_open="members")
    assert list(raised.value.message_dict) == ["default"]
    with pytest.raises(ValidationError) as raised:
        services.field_policy_set(actor=staff, field="shoes", default="x", most_open="members")
    assert set(raised.value.message_dict) == {"field", "default"}


# --- Logins and roles ---------------------------------------------------------------------------


def test_staff_make_and_unmake_an_expert_audited(staff, member):
    services.user_set_expert(actor=staff, user=member, is_expert=True)
    member.refresh_from_db()
    assert member.is_expert is True
    services.user_set_expert(actor=staff, user=member, is_expert=True)  # no change, no row
    services.user_set_expert(actor=staff, user=member, is_expert=False)
    changes = [e.changes for e in AuditEntry.objects.filter(action="user.expert").order_by("id")]
    assert changes == [{"is_expert": [False, True]}, {"is_expert": [True, False]}]


@pytest.mark.parametrize("role", ["member", "org_admin", "expert"])
def test_only_staff_name_experts(request, role, registered):
    with pytest.raises(PermissionDenied):
        services.user_set_expert(
            actor=request.getfixturevalue(role), user=registered, is_expert=True
        )
    registered.refresh_from_db()
    assert registered.is_expert is False


def test_staff_update_a_login_but_only_a_superuser_grants_superuser(staff, member):
    services.user_update(actor=staff, user=member, data={"is_staff": True, "language": "en"})
    member.refresh_from_db()
    assert (member.is_staff, member.language) == (True, "en")
    assert AuditEntry.objects.get(action="user.update").changes == {
        "is_staff": [False, True], "language": ["fr", "en"],
    }  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.user_update(actor=staff, user=member, data={"is_superuser": True})
    staff.is_superuser = True
    staff.save()
    services.user_update(actor=staff, user=member, data={"is_superuser": True})
    member.refresh_from_db()
    assert member.is_superuser is True


def test_staff_cannot_deactivate_themselves(staff):
    with pytest.raises(ValidationError) as raised:
        services.user_update(actor=staff, user=staff, data={"is_active": False})
    assert list(raised.value.message_dict) == ["is_active"]


def test_staff_create_a_login_audited_and_refuse_a_duplicate(staff):
    user = services.user_create(
        actor=staff,
        email="New@Pole.example",
        password="a long passphrase",
        data={"first_name": "N"},
    )
    assert (user.email, user.first_name, user.check_password("a long passphrase")) == (
        "new@pole.example", "N", True,
    )  # fmt: skip
    assert AuditEntry.objects.get(action="user.create").actor == staff
    with pytest.raises(ValidationError) as raised:
        services.user_create(actor=staff, email="new@pole.example", password=None, data={})
    assert list(raised.value.message_dict) == ["email"]


def test_stale_join_requests_are_those_older_than_a_week(member_org):
    from grappe.backoffice.selectors import stale_affiliation_requests
    from grappe.members.models import Affiliation, AffiliationStatus
    from grappe.members.tests.factories import AffiliationFactory

    old = AffiliationFactory(organisation=member_org, status=AffiliationStatus.PENDING)
    AffiliationFactory(organisation=member_org, status=AffiliationStatus.PENDING)
    Affiliation.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    assert list(stale_affiliation_requests()) == [old]
