"""The membership workflow: every transition of the table, allowed or refused, renewals and the
daily reminders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from grappe.core.audit import snapshot
from grappe.core.models import AuditEntry
from grappe.members import services
from grappe.members.models import (
    DecisionBody,
    Invoice,
    InvoiceStatus,
    Membership,
    MembershipStatus,
    OrgKind,
)
from grappe.members.services.memberships import TRANSITIONS, memberships_renewal_plan
from grappe.members.tests.factories import (
    AffiliationFactory,
    FiguresFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    fee_schedule,
)

pytestmark = pytest.mark.django_db
S = MembershipStatus
STATUSES = list(S.values)
ADMIN_EMAIL = "direction@lumiere.example"


def _year() -> int:
    return timezone.localdate().year


def _organisation(turnover: str = "3000000.00", **kwargs):
    """An SME with figures (3 M€: the 1,100 € band) and one administrator to mail."""
    admin_email = kwargs.pop("admin_email", ADMIN_EMAIL)
    organisation = OrganisationFactory(**kwargs)
    FiguresFactory(organisation=organisation, year=_year() - 1, turnover=Decimal(turnover))
    person = PersonFactory(email=admin_email, language="en")
    AffiliationFactory(person=person, organisation=organisation, is_admin=True)
    return organisation


def _membership(status: str, year: int | None = None, **kwargs) -> Membership:
    year = year or _year()
    fee_schedule(year)
    organisation = kwargs.pop("organisation", None) or _organisation()
    return MembershipFactory(
        organisation=organisation, year=year, status=status, fee=Decimal("1100.00"), **kwargs
    )


def _move(actor, membership: Membership, target: str) -> Membership:
    """Ask the service that leads to `target`."""
    if target == S.APPLIED:
        return services.membership_apply(
            actor=actor, organisation=membership.organisation, year=membership.year
        )
    if target == S.APPROVED:
        return services.membership_approve(
            actor=actor, membership=membership, body=DecisionBody.BOARD, note="Board of 3 March"
        )
    if target == S.REFUSED:
        return services.membership_refuse(actor=actor, membership=membership, note="Out of scope")
    if target == S.ACTIVE:
        return services.membership_activate(actor=actor, membership=membership)
    return services.membership_end(
        actor=actor, membership=membership, status=target, reason="Board decision"
    )


ACTIONS = {
    S.APPLIED: "membership.apply", S.APPROVED: "membership.approve",
    S.REFUSED: "membership.refuse", S.ACTIVE: "membership.activate",
    S.LAPSED: "membership.lapsed", S.RESIGNED: "membership.resigned",
    S.EXCLUDED: "membership.excluded",
}  # fmt: skip
ALLOWED = [(s, t) for s in STATUSES for t in STATUSES if t in TRANSITIONS[s]]
REFUSED = [(s, t) for s in STATUSES for t in STATUSES if t not in TRANSITIONS[s]]


def test_the_transition_table_is_the_documented_workflow():
    assert sorted(ALLOWED) == sorted(
        [
            (S.APPLIED, S.APPROVED), (S.APPLIED, S.REFUSED),
            (S.APPROVED, S.ACTIVE), (S.APPROVED, S.LAPSED), (S.APPROVED, S.RESIGNED),
            (S.APPROVED, S.EXCLUDED),
            (S.ACTIVE, S.LAPSED), (S.ACTIVE, S.RESIGNED), (S.ACTIVE, S.EXCLUDED),
            (S.REFUSED, S.APPLIED),
        ]
    )  # fmt: skip
    assert len(REFUSED) == 49 - 10


@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_an_allowed_transition_is_made_audited_and_told(
    source, target, staff, mailoutbox, django_capture_on_commit_callbacks
):
    # given a membership in `source` and an organisation with one administrator
    membership = _membership(source)
    audit_before = AuditEntry.objects.count()
    # when staff move it to `target`
    with django_capture_on_commit_callbacks(execute=True):
        moved = _move(staff, membership, target)
    # then the status changed, one audit row records it, and the administrator is told
    membership.refresh_from_db()
    assert (moved.pk, membership.status) == (membership.pk, target)
    entry = AuditEntry.objects.filter(action=ACTIONS[target]).get()
    assert entry.actor == staff
    assert entry.changes["status"] == [source, target]
    assert ADMIN_EMAIL in [address for mail in mailoutbox for address in mail.to]
    expected_rows = 2 if target == S.APPROVED else 1  # approval also issues the invoice
    assert AuditEntry.objects.count() == audit_before + expected_rows


@pytest.mark.parametrize(("source", "target"), REFUSED)
def test_a_refused_transition_writes_nothing_and_sends_nothing(
    source, target, staff, mailoutbox, django_capture_on_commit_callbacks
):
    # given a membership in `source`
    membership = _membership(source)
    before = snapshot(membership)
    audit_before = AuditEntry.objects.count()
    # when staff try to move it to `target`
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as raised:
        _move(staff, membership, target)
    # then the refusal names the field, and nothing changed: no row, no invoice, no mail
    assert set(raised.value.message_dict) == ({"year"} if target == S.APPLIED else {"status"})
    membership.refresh_from_db()
    assert snapshot(membership) == before
    assert AuditEntry.objects.count() == audit_before
    assert Invoice.objects.count() == 0
    assert mailoutbox == []


@pytest.mark.parametrize("target", [S.APPROVED, S.REFUSED, S.ACTIVE, S.LAPSED])
def test_only_staff_move_a_membership(target, org_admin, member_org, mailoutbox):
    # given the member organisation's own application, and its administrator
    membership = _membership(S.APPLIED if target in {S.APPROVED, S.REFUSED} else S.APPROVED)
    before = snapshot(membership)
    # when the administrator tries to decide on it themselves, then it is forbidden
    with pytest.raises(PermissionDenied):
        _move(org_admin, membership, target)
    membership.refresh_from_db()
    assert snapshot(membership) == before
    assert mailoutbox == []


def test_approval_keeps_the_decision_and_issues_the_invoice(
    staff, mailoutbox, django_capture_on_commit_callbacks
):
    # given an application
    membership = _membership(S.APPLIED)
    decided = timezone.make_aware(dt.datetime(_year(), 3, 3, 18, 0))
    # when staff admit it on the board's decision of 3 March
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_approve(
            actor=staff, membership=membership, body=DecisionBody.BOARD,
            note="Board of 3 March", decided_at=decided,
        )  # fmt: skip
    # then the decision is kept with the invoice, sent as a PDF to the administrator
    membership.refresh_from_db()
    assert (membership.decided_at, membership.decided_by) == (decided, staff)
    assert (membership.decision_body, membership.decision_note) == ("board", "Board of 3 March")
    invoice = membership.invoice
    assert invoice.amount_net == Decimal("1100.00")
    assert invoice.status == InvoiceStatus.ISSUED
    [mail] = mailoutbox
    assert mail.to == [ADMIN_EMAIL]
    [(filename, content, mimetype)] = mail.attachments
    assert (filename, mimetype) == (f"{invoice.number}.pdf", "application/pdf")
    assert content[:5] == b"%PDF-"


def test_a_refusal_needs_a_reason(staff, mailoutbox):
    membership = _membership(S.APPLIED)
    with pytest.raises(ValidationError) as raised:
        services.membership_refuse(actor=staff, membership=membership, note="  ")
    assert list(raised.value.message_dict) == ["note"]
    membership.refresh_from_db()
    assert membership.status == S.APPLIED
    assert mailoutbox == []


def test_ending_keeps_the_date_and_reason_within_the_year(staff):
    # given an active membership of 2025
    membership = _membership(S.ACTIVE, year=2025)
    # when staff record a resignation on 31 March 2025
    services.membership_end(
        actor=staff, membership=membership, status=S.RESIGNED, on=dt.date(2025, 3, 31),
        reason="Letter of 2 March",
    )  # fmt: skip
    # then the membership ends that day
    membership.refresh_from_db()
    assert (membership.status, membership.ended_at, membership.end) == (
        S.RESIGNED, dt.date(2025, 3, 31), dt.date(2025, 3, 31),
    )  # fmt: skip
    assert membership.end_reason == "Letter of 2 March"


def test_an_ending_date_outside_the_year_is_brought_within_it(staff):
    membership = _membership(S.ACTIVE, year=2025)
    services.membership_end(
        actor=staff, membership=membership, status=S.LAPSED, on=dt.date(2026, 2, 1)
    )
    membership.refresh_from_db()
    assert membership.end == dt.date(2025, 12, 31)


def test_ending_with_a_status_that_is_not_an_ending_is_refused(staff):
    membership = _membership(S.ACTIVE)
    with pytest.raises(ValidationError) as raised:
        services.membership_end(actor=staff, membership=membership, status=S.REFUSED)
    assert list(raised.value.message_dict) == ["status"]
    membership.refresh_from_db()
    assert membership.status == S.ACTIVE


# --- Applying -------------------------------------------------------------------------------


def test_applying_keeps_the_quote_and_tells_the_organisation_and_staff(
    org_admin, member_org, staff, mailoutbox, django_capture_on_commit_callbacks
):
    # given the member organisation, with 3 M€ of turnover, applying for next year
    year = _year() + 1
    fee_schedule(year)
    FiguresFactory(organisation=member_org, year=_year() - 1, turnover=Decimal("3000000"))
    # when its administrator applies, joining on 15 July
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.membership_apply(
            actor=org_admin, organisation=member_org, year=year, start=dt.date(year, 7, 15),
            motivation="We build lasers.",
        )  # fmt: skip
    # then the application keeps the quote: 6 months of the 1,100 € band
    assert (membership.status, membership.college, membership.months) == (S.APPLIED, "sme", 6)
    assert (membership.fee_full, membership.fee) == (Decimal("1100.00"), Decimal("550.00"))
    assert (membership.start, membership.end) == (dt.date(year, 7, 15), dt.date(year, 12, 31))
    assert (membership.applied_by, membership.motivation) == (org_admin, "We build lasers.")
    # and its administrator and the staff are told
    recipients = sorted(address for mail in mailoutbox for address in mail.to)
    assert recipients == sorted([org_admin.email, staff.email])


def test_applying_for_a_year_already_over_is_refused(org_admin, member_org):
    with pytest.raises(ValidationError) as raised:
        services.membership_apply(
            actor=org_admin, organisation=member_org, year=2020, start=dt.date(2021, 1, 1)
        )
    assert list(raised.value.message_dict) == ["year"]


def test_applying_without_figures_is_refused_naming_them(registered, staff, mailoutbox):
    # given an SME with no figures declared
    fee_schedule(_year())
    organisation = OrganisationFactory()
    # when staff apply on its behalf, then the figures are asked for and nothing is written
    with pytest.raises(ValidationError) as raised:
        services.membership_apply(actor=staff, organisation=organisation, year=_year())
    assert list(raised.value.message_dict) == ["figures"]
    assert Membership.objects.filter(organisation=organisation).count() == 0
    assert mailoutbox == []


def test_a_refused_organisation_may_apply_again(staff):
    # given a refused application
    membership = _membership(S.REFUSED, decision_note="Out of scope")
    # when it applies again
    again = services.membership_apply(
        actor=staff, organisation=membership.organisation, year=membership.year
    )
    # then the same record is an application again, the old decision cleared
    assert again.pk == membership.pk
    assert (again.status, again.decision_note, again.decided_at) == (S.APPLIED, "", None)


# --- Renewals ---------------------------------------------------------------------------------


def test_renewing_creates_next_year_active_membership_with_its_invoice(
    staff, mailoutbox, django_capture_on_commit_callbacks
):
    # given an active membership of 2025 and the 2026 schedule
    membership = _membership(S.ACTIVE, year=2025)
    fee_schedule(2026)
    # when staff renew it
    with django_capture_on_commit_callbacks(execute=True):
        renewal = services.membership_renew(actor=staff, membership=membership)
    # then 2026 is active for the whole year, at the full band, and invoiced
    assert (renewal.year, renewal.status, renewal.renewal_of) == (2026, S.ACTIVE, membership)
    assert (renewal.start, renewal.end) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert (renewal.fee, renewal.months) == (Decimal("1100.00"), 12)
    assert renewal.invoice.amount_gross == Decimal("1320.00")
    assert AuditEntry.objects.filter(action="membership.renew", object_id=str(renewal.pk)).exists()
    assert [mail.to for mail in mailoutbox] == [[ADMIN_EMAIL]]


@pytest.mark.parametrize("status", [S.APPLIED, S.REFUSED, S.LAPSED, S.RESIGNED, S.EXCLUDED])
def test_only_a_current_membership_is_renewed(status, staff, mailoutbox):
    membership = _membership(status, year=2025)
    fee_schedule(2026)
    with pytest.raises(ValidationError) as raised:
        services.membership_renew(actor=staff, membership=membership)
    assert list(raised.value.message_dict) == ["status"]
    assert Membership.objects.filter(year=2026).count() == 0
    assert mailoutbox == []


def test_renewing_twice_is_refused(staff):
    membership = _membership(S.ACTIVE, year=2025)
    fee_schedule(2026)
    services.membership_renew(actor=staff, membership=membership)
    with pytest.raises(ValidationError) as raised:
        services.membership_renew(actor=staff, membership=membership)
    assert list(raised.value.message_dict) == ["year"]
    assert Membership.objects.filter(year=2026).count() == 1


def test_renewing_without_next_year_schedule_is_refused(staff):
    membership = _membership(S.ACTIVE, year=2025)
    with pytest.raises(ValidationError) as raised:
        services.membership_renew(actor=staff, membership=membership)
    assert list(raised.value.message_dict) == ["year"]
    assert Membership.objects.filter(year=2026).count() == 0
    assert Invoice.objects.count() == 0


def test_renewing_a_year_renews_every_current_membership_not_yet_renewed(staff):
    # given 2025 memberships in every status, one already renewed, one without figures
    fee_schedule(2026)
    active = _membership(S.ACTIVE, year=2025, organisation=_organisation(name="A"))
    approved = _membership(S.APPROVED, year=2025, organisation=_organisation(name="B"))
    for status in [S.APPLIED, S.REFUSED, S.LAPSED]:
        _membership(status, year=2025, organisation=_organisation(name=f"C {status}"))
    renewed = _membership(S.ACTIVE, year=2025, organisation=_organisation(name="D"))
    services.membership_renew(actor=staff, membership=renewed)
    no_figures = _membership(S.ACTIVE, year=2025, organisation=OrganisationFactory(name="E"))
    # when staff look at the plan, then renew the year
    with translation.override("en"):
        plan = memberships_renewal_plan(year=2025)
    result = services.memberships_renew_year(actor=staff, year=2025)
    # then the plan listed the two renewable ones and the one without figures, with the reason
    assert [(i.membership, i.quote is not None) for i in plan] == [
        (active, True), (approved, True), (no_figures, False),
    ]  # fmt: skip
    assert "turnover" in plan[2].problem
    # and exactly those two were renewed
    assert sorted(m.renewal_of_id for m in result) == sorted([active.pk, approved.pk])
    assert Membership.objects.filter(year=2026).count() == 3
    assert not Membership.objects.filter(year=2026, organisation=no_figures.organisation).exists()


def test_renewing_a_year_is_all_or_nothing(staff, monkeypatch):
    # given two renewable memberships, and an invoice that fails for the second one
    fee_schedule(2026)
    for name in ["A", "B"]:
        _membership(S.ACTIVE, year=2025, organisation=_organisation(name=name))
    from grappe.members.services import memberships as module

    real_issue, calls = module.invoice_issue, []

    def failing_issue(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("printer on fire")
        return real_issue(**kwargs)

    monkeypatch.setattr(module, "invoice_issue", failing_issue)
    # when staff renew the year, then it fails and no renewal is left behind
    with pytest.raises(RuntimeError):
        services.memberships_renew_year(actor=staff, year=2025)
    assert Membership.objects.filter(year=2026).count() == 0
    assert Invoice.objects.count() == 0


def test_renewing_a_year_takes_staff(org_admin):
    with pytest.raises(PermissionDenied):
        services.memberships_renew_year(actor=org_admin, year=2025)


# --- Reminders ------------------------------------------------------------------------------


def _invoice(membership: Membership, due_on: dt.date, status: str = InvoiceStatus.ISSUED):
    return Invoice.objects.create(
        number=f"{due_on.year}-{membership.pk:05d}", membership=membership,
        organisation=membership.organisation, issued_on=due_on - dt.timedelta(days=30),
        due_on=due_on, label="2026|12|", amount_net=Decimal("1100.00"),
        vat_rate=Decimal("20.00"), vat_amount=Decimal("220.00"),
        amount_gross=Decimal("1320.00"), status=status,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("day", "expected"), [(dt.date(2026, 12, 1), 1), (dt.date(2026, 12, 15), 1),
                          (dt.date(2026, 12, 2), 0), (dt.date(2026, 11, 1), 0)],
)  # fmt: skip
def test_renewal_reminders_go_out_on_1_and_15_december(
    day, expected, staff, mailoutbox, django_capture_on_commit_callbacks
):
    # given an active membership of 2026 not yet renewed, one renewed, and one lapsed
    _membership(S.ACTIVE, year=2026)
    renewed = _membership(
        S.ACTIVE, year=2026, organisation=_organisation(admin_email="b@x.example")
    )
    MembershipFactory(organisation=renewed.organisation, year=2027, renewal_of=renewed)
    _membership(S.LAPSED, year=2026, organisation=_organisation(admin_email="c@x.example"))
    # when the daily job runs on `day`
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.membership_send_reminders(today=day)
    # then only the membership still to renew is reminded, on the two December days
    assert counts == {"renewal": expected, "unpaid": 0}
    assert [mail.to for mail in mailoutbox] == [[ADMIN_EMAIL]] * expected


@pytest.mark.parametrize(
    ("days_late", "reminded"),
    [(-1, False), (0, False), (1, True), (2, False), (15, False), (16, True), (31, True)],
)
def test_unpaid_invoices_are_reminded_every_15_days_after_the_due_date(
    days_late, reminded, staff, mailoutbox, django_capture_on_commit_callbacks
):
    # given an unpaid invoice due on 1 March 2026 and a paid one due the same day
    due = dt.date(2026, 3, 1)
    _invoice(_membership(S.APPROVED, year=2026), due)
    paid = _membership(S.ACTIVE, year=2026, organisation=_organisation(admin_email="p@x.example"))
    _invoice(paid, due, status=InvoiceStatus.PAID)
    # when the daily job runs `days_late` days after the due date
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.membership_send_reminders(today=due + dt.timedelta(days=days_late))
    # then the unpaid invoice is reminded on the 1st, 16th, 31st... day late only
    assert counts == {"renewal": 0, "unpaid": int(reminded)}
    assert [mail.to for mail in mailoutbox] == ([[ADMIN_EMAIL]] if reminded else [])


def test_research_bodies_are_quoted_flat(staff):
    # given a lab with no figures and the flat research band
    fee_schedule(2026)
    lab = OrganisationFactory(kind=OrgKind.LAB, college="research")
    # when it applies for 2026 from January (in English)
    with translation.override("en"):
        membership = services.membership_apply(
            actor=staff, organisation=lab, year=2026, start=dt.date(2026, 1, 1)
        )
    # then it pays the research collège's flat fee
    assert (membership.college, membership.fee, membership.band_label) == (
        "research", Decimal("1100.00"), "Flat fee",
    )  # fmt: skip
