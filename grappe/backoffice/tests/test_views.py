"""Wiring of the back-office pages: who gets in, what a form writes, how many queries a list
costs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grappe.core.models import AuditEntry
from grappe.members.models import (
    Affiliation,
    AffiliationStatus,
    ClusterProfile,
    College,
    FeeSchedule,
    Invoice,
    InvoiceStatus,
    Membership,
    MembershipStatus,
)
from grappe.members.tests.factories import (
    AffiliationFactory,
    FiguresFactory,
    MembershipFactory,
    OrganisationFactory,
    fee_schedule,
)

pytestmark = pytest.mark.django_db
S = MembershipStatus


def _year() -> int:
    return timezone.localdate().year


def _application(**kwargs):
    organisation = OrganisationFactory(**kwargs)
    FiguresFactory(organisation=organisation)
    return MembershipFactory(
        organisation=organisation,
        status=S.APPLIED,
        applied_at=timezone.now(),
        motivation="Nous concevons des lasers.",
        band_label="2 M€ to below 5 M€",
    )


PAGES = [
    ("backoffice:home", {}),
    ("backoffice:applications", {}),
    ("backoffice:memberships", {}),
    ("backoffice:invoices", {}),
    ("backoffice:schedules", {}),
    ("backoffice:schedule_create", {}),
    ("backoffice:organisations", {}),
    ("backoffice:people", {}),
    ("backoffice:affiliations", {}),
    ("backoffice:cluster_profile", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_visitors_are_sent_to_the_login_page(client, name, kwargs):
    # when a visitor opens a back-office page
    response = client.get(reverse(name, kwargs=kwargs))
    # then they are asked to log in first
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("role", ["registered", "member", "org_admin", "expert"])
@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_people_who_are_not_staff_are_refused(request, login, role, name, kwargs):
    # given a logged-in person who is not staff
    client = login(request.getfixturevalue(role))
    # when they open a back-office page, then it is forbidden
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 403


@pytest.mark.parametrize("role", ["member", "org_admin"])
def test_non_staff_cannot_post_a_decision(request, login, role, mailoutbox):
    # given an application and a logged-in member or organisation administrator
    membership = _application()
    client = login(request.getfixturevalue(role))
    # when they post an approval
    response = client.post(
        reverse("backoffice:membership_approve", args=[membership.pk]),
        {"body": "staff", "decided_on": timezone.localdate().isoformat(), "note": ""},
    )
    # then it is forbidden and nothing changed
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.status == S.APPLIED
    assert Invoice.objects.count() == 0
    assert mailoutbox == []


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_staff_open_every_page(login, staff, name, kwargs):
    assert login(staff).get(reverse(name, kwargs=kwargs)).status_code == 200


def test_home_lists_what_needs_doing(login, staff):
    # given an application, an overdue invoice and a join request left for ten days
    membership = _application(name="Laser Provence")
    approved = MembershipFactory(status=S.APPROVED)
    Invoice.objects.create(
        number=f"{_year()}-00001", membership=approved, organisation=approved.organisation,
        issued_on=timezone.localdate() - dt.timedelta(days=60),
        due_on=timezone.localdate() - dt.timedelta(days=30), label="x",
        amount_net=Decimal("550.00"), vat_rate=Decimal("20.00"), vat_amount=Decimal("110.00"),
        amount_gross=Decimal("660.00"),
    )  # fmt: skip
    request = AffiliationFactory(status=AffiliationStatus.PENDING)
    Affiliation.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - dt.timedelta(days=10)
    )
    # when staff open the back office
    response = login(staff).get(reverse("backoffice:home"), HTTP_ACCEPT_LANGUAGE="en")
    # then each item is listed
    assert response.context["applications_count"] == 1
    assert response.context["overdue"].count == 1
    assert response.context["overdue"].gross == Decimal("660.00")
    assert response.context["stale_requests_count"] == 1
    assert "Laser Provence" in response.content.decode()
    assert reverse("backoffice:membership", args=[membership.pk]) in response.content.decode()


# --- Happy paths ------------------------------------------------------------------------------


def test_the_decision_page_shows_the_application(login, staff):
    membership = _application(name="Laser Provence")
    response = login(staff).get(
        reverse("backoffice:membership", args=[membership.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nous concevons des lasers." in page
    assert "2 M€ to below 5 M€" in page
    assert reverse("backoffice:membership_approve", args=[membership.pk]) in page
    assert response.context["can_approve"] is True


def test_staff_admit_an_application(login, staff, mailoutbox, django_capture_on_commit_callbacks):
    # given an application
    fee_schedule(_year())
    membership = _application()
    # when staff admit it on the board's decision of 2 January
    with django_capture_on_commit_callbacks(execute=True):
        response = login(staff).post(
            reverse("backoffice:membership_approve", args=[membership.pk]),
            {"body": "board", "decided_on": f"{_year()}-01-02", "note": "Board #12"},
        )
    # then it is approved with the decision and the invoice
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.status, membership.decision_body, membership.decision_note) == (
        S.APPROVED, "board", "Board #12",
    )  # fmt: skip
    assert membership.decided_at.date() == dt.date(_year(), 1, 2)
    assert Invoice.objects.get(membership=membership).status == InvoiceStatus.ISSUED


def test_a_decision_date_in_the_future_is_refused(login, staff):
    membership = _application()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = login(staff).post(
        reverse("backoffice:membership_approve", args=[membership.pk]),
        {"body": "staff", "decided_on": tomorrow.isoformat()},
    )
    assert response.status_code == 400
    assert "decided_on" in response.context["approve_form"].errors
    membership.refresh_from_db()
    assert membership.status == S.APPLIED


def test_staff_refuse_an_application_with_a_reason(login, staff):
    membership = _application()
    client = login(staff)
    url = reverse("backoffice:membership_refuse", args=[membership.pk])
    # without a reason: refused, the form says why
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "reason" in response.context["refuse_form"].errors
    membership.refresh_from_db()
    assert membership.status == S.APPLIED
    # with a reason
    assert client.post(url, {"reason": "Outside photonics"}).status_code == 302
    membership.refresh_from_db()
    assert (membership.status, membership.decision_note) == (S.REFUSED, "Outside photonics")


def test_a_refused_transition_is_explained_not_crashed(login, staff):
    membership = MembershipFactory(status=S.LAPSED)
    response = login(staff).post(
        reverse("backoffice:membership_activate", args=[membership.pk]), follow=True
    )
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    membership.refresh_from_db()
    assert membership.status == S.LAPSED


def test_staff_activate_an_approved_membership(login, staff):
    membership = MembershipFactory(status=S.APPROVED)
    login(staff).post(reverse("backoffice:membership_activate", args=[membership.pk]))
    membership.refresh_from_db()
    assert membership.status == S.ACTIVE


def test_staff_end_a_membership(login, staff):
    membership = MembershipFactory(year=2025)
    client = login(staff)
    url = reverse("backoffice:membership_end", args=[membership.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"status": "resigned", "on": "2025-03-31", "reason": "Letter"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.status, membership.end, membership.end_reason) == (
        S.RESIGNED, dt.date(2025, 3, 31), "Letter",
    )  # fmt: skip


def test_staff_renew_one_membership(login, staff):
    organisation = OrganisationFactory()
    FiguresFactory(organisation=organisation, year=2025)
    membership = MembershipFactory(organisation=organisation, year=2025)
    fee_schedule(2026)
    response = login(staff).post(reverse("backoffice:membership_renew", args=[membership.pk]))
    renewal = Membership.objects.get(organisation=organisation, year=2026)
    assert response["Location"] == reverse("backoffice:membership", args=[renewal.pk])
    assert (renewal.status, renewal.renewal_of) == (S.ACTIVE, membership)


def test_renewing_a_year_is_confirmed_first(login, staff):
    # given two 2025 members, one without figures
    fee_schedule(2026)
    ready = OrganisationFactory(name="Alpha")
    FiguresFactory(organisation=ready, year=2025)
    MembershipFactory(organisation=ready, year=2025)
    blocked = OrganisationFactory(name="Beta")
    MembershipFactory(organisation=blocked, year=2025)
    client = login(staff)
    url = reverse("backoffice:memberships_renew_year", args=[2025])
    # when staff open the confirmation page, then it lists both, nothing is written yet
    response = client.get(url)
    assert [i.membership.organisation for i in response.context["ready"]] == [ready]
    assert [i.membership.organisation for i in response.context["blocked"]] == [blocked]
    assert response.context["total"] == Decimal("1100.00")
    assert Membership.objects.filter(year=2026).count() == 0
    # when they confirm, then the ready one is renewed
    response = client.post(url)
    assert response.status_code == 302
    assert list(Membership.objects.filter(year=2026).values_list("organisation", flat=True)) == [
        ready.pk
    ]


def _invoiced(status=S.APPROVED, **kwargs):
    membership = MembershipFactory(status=status, **kwargs)
    return Invoice.objects.create(
        number=f"2026-{membership.pk:05d}", membership=membership,
        organisation=membership.organisation, issued_on=dt.date(2026, 1, 10),
        due_on=dt.date(2026, 2, 10), label="2026|12|", amount_net=Decimal("1100.00"),
        vat_rate=Decimal("20.00"), vat_amount=Decimal("220.00"), amount_gross=Decimal("1320.00"),
    )  # fmt: skip


def test_invoices_are_filtered_and_totalled(login, staff):
    _invoiced()
    paid = _invoiced(status=S.ACTIVE)
    Invoice.objects.filter(pk=paid.pk).update(status=InvoiceStatus.PAID)
    Invoice.objects.filter(pk=_invoiced().pk).update(
        issued_on=dt.date(2025, 12, 1), status=InvoiceStatus.CANCELLED
    )
    client = login(staff)
    response = client.get(reverse("backoffice:invoices"), {"year": "2026"})
    totals = response.context["totals"]
    assert (totals["all"].count, totals["all"].gross) == (2, Decimal("2640.00"))
    assert (totals["paid"].count, totals["unpaid"].count) == (1, 1)
    response = client.get(reverse("backoffice:invoices"), {"status": "paid"})
    assert [i.pk for i in response.context["page"]] == [paid.pk]
    response = client.get(reverse("backoffice:invoices"), {"overdue": "on"})
    assert response.context["totals"]["all"].count == (
        1 if timezone.localdate() > dt.date(2026, 2, 10) else 0
    )
    response = client.get(reverse("backoffice:invoices"), {"year": "2025"})
    assert response.context["totals"]["all"].count == 1
    assert response.context["totals"]["unpaid"].count == 0


def test_staff_download_the_invoice_pdf(login, staff):
    invoice = _invoiced()
    response = login(staff).get(reverse("backoffice:invoice_pdf", args=[invoice.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{invoice.number}.pdf"'
    assert response.content[:5] == b"%PDF-"


def test_staff_record_a_payment(login, staff):
    invoice = _invoiced()
    client = login(staff)
    url = reverse("backoffice:invoice_mark_paid", args=[invoice.pk])
    assert client.get(url).status_code == 200
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert client.post(url, {"paid_on": tomorrow}).status_code == 400
    response = client.post(url, {"paid_on": "2026-02-01", "reference": "VIR-88"})
    assert response["Location"] == reverse("backoffice:invoices")
    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid_on, invoice.payment_reference) == (
        InvoiceStatus.PAID, dt.date(2026, 2, 1), "VIR-88",
    )  # fmt: skip
    assert invoice.membership.status == S.ACTIVE


def test_the_payment_form_does_not_redirect_off_site(login, staff):
    invoice = _invoiced()
    response = login(staff).post(
        reverse("backoffice:invoice_mark_paid", args=[invoice.pk]),
        {"paid_on": "2026-02-01", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("backoffice:invoices")


def test_staff_create_copy_and_edit_a_schedule(login, staff):
    client = login(staff)
    response = client.post(
        reverse("backoffice:schedule_create"), {"year": "2030", "vat_rate": "20", "notes": ""}
    )
    assert response["Location"] == reverse("backoffice:schedule", args=[2030])
    response = client.post(
        reverse("backoffice:schedule_edit", args=[2030]), {"vat_rate": "5.5", "notes": "AGM"}
    )
    assert FeeSchedule.objects.get(year=2030).vat_rate == Decimal("5.50")
    assert client.get(reverse("backoffice:schedule_copy", args=[2030])).status_code == 200
    client.post(reverse("backoffice:schedule_copy", args=[2030]))
    assert FeeSchedule.objects.get(year=2031).vat_rate == Decimal("5.50")


def _bands_post(basis, rows, extra=2):
    data = {
        "basis": basis, "bands-TOTAL_FORMS": str(len(rows) + extra),
        "bands-INITIAL_FORMS": "0", "bands-MIN_NUM_FORMS": "0", "bands-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"bands-{index}-{key}"] = value
    return data


def test_staff_edit_the_bands_of_a_college(login, staff):
    schedule = FeeSchedule.objects.create(year=2030)
    client = login(staff)
    url = reverse("backoffice:bands_edit", args=[2030, "sme"])
    assert client.get(url).status_code == 200
    rows = [
        {"minimum": "0", "maximum": "500000", "amount": "220"},
        {"minimum": "500000", "maximum": "", "amount": "550"},
    ]
    response = client.post(url, _bands_post("turnover", rows))
    assert response["Location"] == reverse("backoffice:schedule", args=[2030])
    assert list(schedule.bands.order_by("minimum").values_list("minimum", "amount")) == [
        (Decimal("0.00"), Decimal("220.00")), (Decimal("500000.00"), Decimal("550.00")),
    ]  # fmt: skip
    # deleting the top band leaves the first without an upper end: refused, said on the page
    rows[1]["DELETE"] = "on"
    response = client.post(url, _bands_post("turnover", rows), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "must have no upper limit" in response.content.decode()
    assert schedule.bands.count() == 2


def test_an_unknown_college_is_not_found(login, staff):
    FeeSchedule.objects.create(year=2030)
    assert (
        login(staff).get(reverse("backoffice:bands_edit", args=[2030, "pirates"])).status_code
        == 404
    )


def test_staff_edit_the_cluster_profile(login, staff):
    client = login(staff)
    data = {
        "name": "Pôle", "legal_name": "Pôle SUD", "street": "", "postcode": "", "city": "Marseille",
        "siret": "552 100 554 00013", "vat_number": "fr40303265045", "email": "", "iban": "",
        "bic": "", "payment_days": "45", "resignation_deadline": "",
    }  # fmt: skip
    assert client.post(reverse("backoffice:cluster_profile"), data).status_code == 302
    profile = ClusterProfile.objects.get()
    assert (profile.siret, profile.vat_number, profile.payment_days) == (
        "55210055400013", "FR40303265045", 45,
    )  # fmt: skip
    response = client.post(reverse("backoffice:cluster_profile"), {**data, "siret": "123"})
    assert response.status_code == 400
    assert "siret" in response.context["form"].errors


def test_staff_make_a_person_an_expert(login, staff, member):
    person = member.person
    client = login(staff)
    page = client.get(reverse("backoffice:person", args=[person.pk]))
    assert page.status_code == 200
    client.post(reverse("backoffice:person_set_expert", args=[person.pk]), {"is_expert": "1"})
    member.refresh_from_db()
    assert member.is_expert is True
    assert AuditEntry.objects.filter(action="user.expert").count() == 1


def test_a_person_page_shows_consents_with_history(login, staff, member):
    from grappe.members.services import consent_record

    person = member.person
    consent_record(person=person, channel="newsletter", granted=True, source="signup",
                   at=timezone.now() - dt.timedelta(days=3))  # fmt: skip
    consent_record(person=person, channel="newsletter", granted=False, source="profile")
    response = login(staff).get(reverse("backoffice:person", args=[person.pk]))
    assert [c.granted for c in response.context["consents"]] == [False, True]
    assert response.context["consents_in_force"]["newsletter"].granted is False


def test_staff_answer_a_request_to_join(login, staff, member_org):
    request = AffiliationFactory(organisation=member_org, status=AffiliationStatus.PENDING)
    response = login(staff).post(reverse("backoffice:affiliation_confirm", args=[request.pk]))
    assert response["Location"] == reverse("backoffice:affiliations")
    request.refresh_from_db()
    assert request.status == AffiliationStatus.CONFIRMED


# --- Lists: filters and a fixed number of queries --------------------------------------------


def _crowd(size: int) -> None:
    for index in range(size):
        organisation = OrganisationFactory(kind="lab" if index % 2 else "sme")
        MembershipFactory(organisation=organisation, status=S.APPLIED if index % 3 else S.ACTIVE)
        AffiliationFactory(organisation=organisation, is_admin=True)
        AffiliationFactory(organisation=organisation)


LISTS = ["backoffice:organisations", "backoffice:people", "backoffice:memberships",
         "backoffice:applications", "backoffice:invoices", "backoffice:home",
         "backoffice:affiliations"]  # fmt: skip


@pytest.mark.parametrize("name", LISTS)
def test_a_list_costs_the_same_queries_for_5_or_40_rows(
    login, staff, name, django_assert_max_num_queries
):
    client = login(staff)
    _crowd(5)
    client.get(reverse(name))  # warm the caches (content types, session)
    with django_assert_max_num_queries(20) as small:
        client.get(reverse(name))
    _crowd(35)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse(name)).status_code == 200


def test_organisations_are_filtered(login, staff):
    member = OrganisationFactory(name="Alpha Lasers", kind="sme")
    MembershipFactory(organisation=member)
    OrganisationFactory(name="Beta Lab", kind="lab", college=College.RESEARCH)
    never = OrganisationFactory(name="Gamma Optics")
    client = login(staff)
    url = reverse("backoffice:organisations")

    def names(**params):
        return [o.name for o, _edit in client.get(url, params).context["rows"]]

    assert names(q="beta") == ["Beta Lab"]
    assert names(kind="lab") == ["Beta Lab"]
    assert names(college="research") == ["Beta Lab"]
    assert names(member="member") == ["Alpha Lasers"]
    assert names(member="never") == ["Beta Lab", "Gamma Optics"]
    page = client.get(url, {"q": "alpha"}).content.decode()
    assert reverse("directory:profile", kwargs={"slug": member.slug}) in page
    assert "/audit/" in page
    assert never.slug not in page


def test_people_are_filtered(login, staff, member, org_admin, expert):
    client = login(staff)
    url = reverse("backoffice:people")

    def people(**params):
        return {p.pk for p in client.get(url, params).context["page"]}

    assert people(member="yes") == {member.person.pk, org_admin.person.pk}
    assert people(role="expert") == {expert.person.pk}
    assert people(role="staff") == {staff.person.pk}
    assert people(q=member.person.last_name) >= {member.person.pk}


def test_memberships_are_filtered_by_year_and_status(login, staff):
    MembershipFactory(year=2025, status=S.ACTIVE)
    lapsed = MembershipFactory(year=2025, status=S.LAPSED)
    MembershipFactory(year=2026, status=S.LAPSED)
    response = login(staff).get(
        reverse("backoffice:memberships"), {"year": "2025", "status": "lapsed"}
    )
    assert [m.pk for m in response.context["page"]] == [lapsed.pk]


def test_pages_speak_french_by_default_and_english_on_request(login, staff):
    client = login(staff)
    assert (
        "<h1>Back-office : ce qui reste à faire</h1>"
        in client.get(reverse("backoffice:home")).content.decode()
    )
    assert (
        "<h1>Back office: what needs doing</h1>"
        in client.get(reverse("backoffice:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )


@pytest.mark.parametrize(
    ("page", "current"),
    [
        ("backoffice:home", "To do"),
        ("events_staff:list", "Events"),
        ("projects:staff_sessions", "Labelling"),
        ("projects:staff_portfolio", "Labelling"),
    ],
)
def test_the_staff_menu_reaches_events_and_labelling_and_marks_the_section(
    login, staff, page, current
):
    # when staff open a page of the back office, of events or of labelling
    html = login(staff).get(reverse(page), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    menu = html.split('class="bo-nav">', 1)[1].split("</nav>", 1)[0]
    # then the menu links to the events and to the labelling sessions
    assert f'<a href="{reverse("events_staff:list")}"' in menu
    assert f'<a href="{reverse("projects:staff_sessions")}"' in menu
    # and marks the section the page belongs to, and that one only
    marked = menu.split('aria-current="page">')
    assert len(marked) == 2
    assert marked[1].startswith(f"{current}</a>")
