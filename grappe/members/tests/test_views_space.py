"""A person's own pages: My space, declaring or finding an organisation, join requests, profile."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from grappe.members.models import (
    Affiliation,
    AffiliationStatus,
    Consent,
    Invoice,
    Membership,
    Organisation,
    Person,
)
from grappe.members.tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

OWN_PAGES = [
    "core:dashboard",
    "members:my_profile",
    "members:organisation_declare",
    "members:organisation_find",
]


@pytest.mark.parametrize("page", OWN_PAGES)
def test_a_visitor_is_sent_to_log_in(client, page):
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("page", OWN_PAGES)
@pytest.mark.parametrize("role", ["registered", "member", "org_admin", "other_member", "staff"])
def test_every_logged_in_person_opens_their_pages(request, login, page, role):
    response = login(request.getfixturevalue(role)).get(reverse(page))
    assert response.status_code == 200
    assert response.content.decode().count("<h1>") == 1


# My space


def test_my_space_of_a_newcomer_says_to_find_or_declare(login, registered):
    response = login(registered).get(reverse("core:dashboard"))
    assert [s["code"] for s in response.context["next_steps"]] == ["find_or_declare"]
    html = response.content.decode()
    assert reverse("members:organisation_find") in html
    assert reverse("members:organisation_declare") in html


def test_my_space_of_an_administrator_lists_what_to_do(login, org_admin, member_org):
    # given a request to join, an unpaid invoice, and no recent figures
    requester = PersonFactory(first_name="Jean", last_name="Dupont")
    AffiliationFactory(person=requester, organisation=member_org, status=AffiliationStatus.PENDING)
    membership = Membership.objects.get(organisation=member_org)
    today = timezone.localdate()
    Invoice.objects.create(
        number=f"{today.year}-00001", membership=membership, organisation=member_org,
        issued_on=today, due_on=today, label="x", amount_net=1100, vat_rate=20,
        vat_amount=220, amount_gross=1320,
    )  # fmt: skip
    # when the administrator opens My space
    response = login(org_admin).get(reverse("core:dashboard"))
    # then the steps are listed, the request can be answered there
    assert [s["code"] for s in response.context["next_steps"]] == [
        "answer_requests",
        "pay_invoice",
        "declare_figures",
    ]
    html = response.content.decode()
    assert "Jean Dupont" in html
    assert (
        reverse("members:affiliation_answer", kwargs={"pk": requester.affiliations.get().pk})
        in html
    )
    assert reverse("members:organisation_edit", kwargs={"slug": member_org.slug}) in html


def test_my_space_stays_within_a_fixed_number_of_queries(
    login, org_admin, member_org, django_assert_max_num_queries
):
    person = org_admin.person
    for _ in range(12):
        organisation = OrganisationFactory()
        MembershipFactory(organisation=organisation)
        AffiliationFactory(person=person, organisation=organisation, is_admin=True)
        AffiliationFactory(organisation=organisation, status=AffiliationStatus.PENDING)
    client = login(org_admin)
    with django_assert_max_num_queries(18):
        response = client.get(reverse("core:dashboard"))
    assert len(response.context["organisations"]) == 13


# Declaring an organisation


def test_a_registered_person_declares_their_organisation(login, registered):
    response = login(registered).post(
        reverse("members:organisation_declare"),
        {
            "name": "Photonique Azur",
            "legal_name": "Photonique Azur SAS",
            "kind": "startup",
            "siren": "552 032 534",
            "country": "FR",
            "city": "Nice",
            "region": "FRL0",
        },
    )
    organisation = Organisation.objects.get(name="Photonique Azur")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "members:organisation_figures", kwargs={"slug": organisation.slug}
    )
    assert (organisation.slug, organisation.siren, organisation.college) == (
        "photonique-azur",
        "552032534",
        "sme",
    )
    affiliation = Affiliation.objects.get(organisation=organisation)
    assert (affiliation.person.user, affiliation.is_admin) == (registered, True)


def test_declaring_an_organisation_already_registered_points_to_it(login, registered):
    OrganisationFactory(name="Déjà Là", siren="552032534")
    response = login(registered).post(
        reverse("members:organisation_declare"),
        {"name": "Doublon", "legal_name": "Doublon SAS", "kind": "sme", "siren": "552032534",
         "country": "FR"},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["siren"] == [
        "Déjà Là est déjà enregistrée avec ce SIREN : demandez à la rejoindre plutôt que de la déclarer à nouveau."
    ]
    assert Organisation.objects.filter(name="Doublon").exists() is False


def test_a_login_without_a_person_completes_its_profile_first(login):
    user = UserFactory()
    response = login(user).get(reverse("members:organisation_declare"))
    assert response.status_code == 302
    assert response["Location"] == "/members/me/?next=%2Fmembers%2Forganisations%2Fnew%2F"


# Finding an organisation and asking to join it


def test_a_person_finds_their_organisation_and_asks_to_join(
    login, registered, member_org, org_admin, mailoutbox, django_capture_on_commit_callbacks
):
    client = login(registered)
    # when they search by part of the name
    response = client.get(reverse("members:organisation_find"), {"q": "lumière"})
    # then the organisation is found with a button to ask
    assert [r["organisation"] for r in response.context["results"]] == [member_org]
    request_url = reverse("members:affiliation_request", kwargs={"slug": member_org.slug})
    assert request_url in response.content.decode()
    # when they ask to join as a researcher
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(request_url, {"role": "researcher"})
    # then a pending request exists and the administrators are told
    assert response.status_code == 302
    affiliation = Affiliation.objects.get(person__user=registered, organisation=member_org)
    assert (affiliation.status, affiliation.role) == (AffiliationStatus.PENDING, "researcher")
    assert [m.to for m in mailoutbox] == [[org_admin.person.email]]
    # and the search now says the request awaits
    response = client.get(reverse("members:organisation_find"), {"q": "lumi"})
    assert response.context["results"][0]["relation"] == "pending"


def test_a_contact_cannot_ask_to_join_their_own_organisation(login, member, member_org, mailoutbox):
    response = login(member).post(
        reverse("members:affiliation_request", kwargs={"slug": member_org.slug}),
        {"role": "other"},
    )
    assert response.status_code == 403
    assert Affiliation.objects.filter(status=AffiliationStatus.PENDING).count() == 0
    assert mailoutbox == []


def test_an_administrator_confirms_a_request_from_my_space(
    login, org_admin, member_org, mailoutbox, django_capture_on_commit_callbacks
):
    requester = PersonFactory(email="jean@example.org")
    pending = AffiliationFactory(
        person=requester, organisation=member_org, status=AffiliationStatus.PENDING
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = login(org_admin).post(
            reverse("members:affiliation_answer", kwargs={"pk": pending.pk}),
            {"decision": "confirm"},
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")
    pending.refresh_from_db()
    assert pending.status == AffiliationStatus.CONFIRMED
    assert [m.to for m in mailoutbox] == [["jean@example.org"]]


def test_an_administrator_refuses_a_request_from_the_contacts_page(login, org_admin, member_org):
    pending = AffiliationFactory(
        person=PersonFactory(), organisation=member_org, status=AffiliationStatus.PENDING
    )
    contacts = reverse("members:organisation_contacts", kwargs={"slug": member_org.slug})
    response = login(org_admin).post(
        reverse("members:affiliation_answer", kwargs={"pk": pending.pk}),
        {"decision": "refuse", "next": contacts},
    )
    assert response["Location"] == contacts
    pending.refresh_from_db()
    assert pending.status == AffiliationStatus.REFUSED


@pytest.mark.parametrize("role", ["registered", "member", "other_member"])
def test_others_cannot_answer_a_request(request, login, member_org, role, mailoutbox):
    pending = AffiliationFactory(
        person=PersonFactory(), organisation=member_org, status=AffiliationStatus.PENDING
    )
    response = login(request.getfixturevalue(role)).post(
        reverse("members:affiliation_answer", kwargs={"pk": pending.pk}), {"decision": "confirm"}
    )
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == AffiliationStatus.PENDING
    assert mailoutbox == []


def test_a_person_withdraws_their_request(login, registered, member_org):
    pending = AffiliationFactory(
        person=registered.person, organisation=member_org, status=AffiliationStatus.PENDING
    )
    client = login(registered)
    assert pending in client.get(reverse("core:dashboard")).context["my_requests"]
    response = client.post(reverse("members:affiliation_withdraw", kwargs={"pk": pending.pk}))
    assert response.status_code == 302
    assert Affiliation.objects.filter(pk=pending.pk).exists() is False


def test_a_request_cannot_be_withdrawn_by_someone_else(login, other_member, registered, member_org):
    pending = AffiliationFactory(
        person=registered.person, organisation=member_org, status=AffiliationStatus.PENDING
    )
    response = login(other_member).post(
        reverse("members:affiliation_withdraw", kwargs={"pk": pending.pk})
    )
    assert response.status_code == 403
    assert Affiliation.objects.filter(pk=pending.pk).exists() is True


# My profile


def test_a_person_edits_their_profile_and_consents(login, registered):
    client = login(registered)
    response = client.post(
        reverse("members:my_profile"),
        {
            "first_name": "Inès",
            "last_name": "Morel",
            "email": "ines@example.org",
            "phone": "+33 4 91 00 00 00",
            "job_title": "Chargée d’affaires",
            "language": "en",
            "consent_newsletter": "on",
        },
    )
    # then the profile and the consents are saved, and the site switches to English
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    person = Person.objects.get(user=registered)
    assert (person.first_name, person.job_title, person.language) == (
        "Inès",
        "Chargée d’affaires",
        "en",
    )
    assert list(
        Consent.objects.filter(person=person).order_by("channel").values_list("channel", "granted")
    ) == [("directory", False), ("newsletter", True)]
    page = client.get(reverse("members:my_profile")).content.decode()
    assert "Newsletter" in page and "Own profile" in page


def test_the_profile_page_links_to_the_account_pages(login, member):
    html = login(member).get(reverse("members:my_profile")).content.decode()
    for name in ("account_email", "account_change_password", "mfa_index"):
        assert reverse(name) in html
    assert "/accounts/2fa/" in html


def test_a_profile_without_a_last_name_is_refused(login, registered):
    before = registered.person.last_name
    response = login(registered).post(
        reverse("members:my_profile"), {"first_name": "X", "last_name": "", "language": "fr"}
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["last_name"]
    assert Person.objects.get(user=registered).last_name == before


def test_a_person_ticks_their_competences_on_their_profile(login, registered):
    # given the profile page offers technologies and markets of the current taxonomy
    from grappe.members.models import Competence

    current = Competence.objects.filter(version__is_current=True)
    fibre = current.get(code="tech.lasers.fibre")
    health = current.get(code="market.health")
    client = login(registered)
    page = client.get(reverse("members:my_profile")).content.decode()
    assert f'id="id_competences_technology_{fibre.pk}"' in page
    # when they tick one of each and save
    response = client.post(
        reverse("members:my_profile"),
        {
            "first_name": "Inès",
            "last_name": "Morel",
            "email": "ines@example.org",
            "language": "fr",
            "competences_technology": [fibre.pk],
            "competences_market": [health.pk],
        },
    )
    # then both are their competences
    assert response.status_code == 302
    person = Person.objects.get(user=registered)
    assert sorted(person.competences.values_list("code", flat=True)) == [
        "market.health",
        "tech.lasers.fibre",
    ]
