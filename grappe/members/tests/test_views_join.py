"""The public page on joining, and the application with its dues quote."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grappe.members.models import Membership, MembershipStatus
from grappe.members.services.dues import months_charged
from grappe.members.tests.factories import (
    AffiliationFactory,
    FiguresFactory,
    OrganisationFactory,
    fee_schedule,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def schedule(db):
    return fee_schedule(timezone.localdate().year)


@pytest.fixture
def applicant_org(org_admin):
    """A second organisation of org_admin, with figures but no membership."""
    organisation = OrganisationFactory(name="Nouvelle Optique", slug="nouvelle-optique")
    AffiliationFactory(person=org_admin.person, organisation=organisation, is_admin=True)
    year = timezone.localdate().year
    FiguresFactory(organisation=organisation, year=year - 1, turnover=Decimal("3000000"))
    return organisation


def test_the_join_page_shows_the_dues_schedule_to_a_visitor(client, schedule):
    # when a visitor opens the page
    response = client.get(reverse("members:join"))
    # then it explains, shows the schedule with VAT, and invites to sign up
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1>") == 1
    assert f"Cotisations annuelles {schedule.year} (TVA 20 %)" in html
    assert "500\xa0000 € à moins de 2 M€" in html
    assert "1\xa0100,00 €" in html and "1\xa0320,00 €" in html
    assert reverse("account_signup") in html
    assert '<th scope="rowgroup" rowspan="5">PME et start-up</th>' in html


def test_the_join_page_without_a_schedule_says_so(client):
    response = client.get(reverse("members:join"))
    assert response.status_code == 200
    assert "Les cotisations" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("registered", "Trouver mon organisation"),
        ("member", "Adhérent pour"),
        ("other_member", "Adhérent pour"),
        ("staff", "Trouver mon organisation"),
    ],
)
def test_the_join_page_offers_the_next_step_of_each_viewer(
    request, login, schedule, role, expected
):
    client = login(request.getfixturevalue(role))
    response = client.get(reverse("members:join"))
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_the_join_page_offers_an_administrator_to_apply(login, org_admin, applicant_org, schedule):
    response = login(org_admin).get(reverse("members:join"))
    assert (
        reverse("members:membership_apply", kwargs={"slug": applicant_org.slug})
        in response.content.decode()
    )


def test_the_application_page_shows_the_quote(login, org_admin, applicant_org, schedule):
    # given an organisation of 3 M€ turnover, in the SME collège, joining today
    today = timezone.localdate()
    months = months_charged(today.year, today)
    amount = (Decimal(1100) * months / 12).quantize(Decimal("0.01"))
    # when its administrator opens the application page
    response = login(org_admin).get(
        reverse("members:membership_apply", kwargs={"slug": applicant_org.slug})
    )
    # then the dues are shown before anything is sent
    quote = response.context["quote"]
    assert (quote.college, quote.band_label, quote.full, quote.months, quote.amount) == (
        "sme",
        "2 M€ à moins de 5 M€",
        Decimal(1100),
        months,
        amount,
    )
    html = response.content.decode()
    assert "PME et start-up" in html
    assert f"{months} sur 12" in html
    assert "Total TTC" in html
    assert Membership.objects.filter(organisation=applicant_org).exists() is False


def test_an_administrator_applies_after_seeing_the_quote(
    login, org_admin, applicant_org, schedule, staff, mailoutbox, django_capture_on_commit_callbacks
):
    # given the quote shown on the page
    client = login(org_admin)
    url = reverse("members:membership_apply", kwargs={"slug": applicant_org.slug})
    quote = client.get(url).context["quote"]
    # when the administrator accepts and sends the application
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "year": quote.year,
                "amount": str(quote.amount),
                "motivation": "Imagerie hyperspectrale.",
                "accept": "on",
            },
        )
    # then the membership is applied for at the quoted amount, and both sides are told
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "members:organisation_membership", kwargs={"slug": applicant_org.slug}
    )
    membership = Membership.objects.get(organisation=applicant_org)
    assert (membership.status, membership.fee, membership.motivation) == (
        MembershipStatus.APPLIED,
        quote.amount,
        "Imagerie hyperspectrale.",
    )
    assert sorted(m.to[0] for m in mailoutbox) == sorted([org_admin.person.email, staff.email])


def test_an_application_without_accepting_the_dues_is_refused(
    login, org_admin, applicant_org, schedule, mailoutbox
):
    client = login(org_admin)
    url = reverse("members:membership_apply", kwargs={"slug": applicant_org.slug})
    quote = client.get(url).context["quote"]
    response = client.post(url, {"year": quote.year, "amount": str(quote.amount)})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["accept"]
    assert Membership.objects.filter(organisation=applicant_org).exists() is False
    assert mailoutbox == []


def test_an_application_with_a_stale_amount_shows_the_new_one(
    login, org_admin, applicant_org, schedule, mailoutbox
):
    client = login(org_admin)
    url = reverse("members:membership_apply", kwargs={"slug": applicant_org.slug})
    quote = client.get(url).context["quote"]
    response = client.post(
        url, {"year": quote.year, "amount": "1.00", "accept": "on", "motivation": ""}
    )
    assert response.status_code == 200
    assert response.context["form"]["amount"].value() == str(quote.amount)
    assert "Les cotisations ont changé" in response.content.decode()
    assert Membership.objects.filter(organisation=applicant_org).exists() is False
    assert mailoutbox == []


def test_the_application_page_asks_for_figures_first(login, org_admin, schedule):
    # given an organisation without figures
    organisation = OrganisationFactory(slug="sans-chiffres")
    AffiliationFactory(person=org_admin.person, organisation=organisation, is_admin=True)
    # when its administrator opens the application page
    response = login(org_admin).get(
        reverse("members:membership_apply", kwargs={"slug": organisation.slug})
    )
    # then the page explains what is missing and where to declare it
    assert response.context["quote"] is None
    html = response.content.decode()
    assert "Déclarez d’abord votre effectif et votre chiffre d’affaires" in html
    assert reverse("members:organisation_figures", kwargs={"slug": organisation.slug}) in html


def test_the_application_page_of_a_member_says_it_already_is(
    login, org_admin, member_org, schedule
):
    response = login(org_admin).get(
        reverse("members:membership_apply", kwargs={"slug": member_org.slug})
    )
    assert response.context["existing"].status == MembershipStatus.ACTIVE
    assert "a déjà une adhésion" in response.content.decode()


def test_next_year_is_offered_once_its_schedule_is_published(
    login, org_admin, applicant_org, schedule
):
    # given next year's schedule
    next_year = timezone.localdate().year + 1
    fee_schedule(next_year)
    client = login(org_admin)
    url = reverse("members:membership_apply", kwargs={"slug": applicant_org.slug})
    # then the page offers it, and its quote is for twelve months from 1 January
    assert client.get(url).context["other_year"] == next_year
    quote = client.get(f"{url}?year={next_year}").context["quote"]
    assert (quote.year, quote.months, quote.amount) == (next_year, 12, Decimal("1100.00"))
    response = client.post(
        url, {"year": next_year, "amount": "1100.00", "accept": "on", "motivation": ""}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(organisation=applicant_org)
    assert (membership.year, membership.start) == (next_year, dt.date(next_year, 1, 1))


def test_the_join_page_stays_within_a_fixed_number_of_queries(
    login, org_admin, applicant_org, schedule, django_assert_max_num_queries
):
    # given two published years and several organisations of the viewer
    fee_schedule(timezone.localdate().year + 1)
    for _ in range(6):
        organisation = OrganisationFactory()
        AffiliationFactory(person=org_admin.person, organisation=organisation, is_admin=True)
    client = login(org_admin)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("members:join"))
    assert len(response.context["schedules"]) == 2
