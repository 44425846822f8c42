"""An organisation's administration pages: who may open them, and one happy path per form."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from grappe.core.models import AuditEntry
from grappe.members.models import (
    Affiliation,
    AffiliationStatus,
    Competence,
    Invoice,
    Organisation,
    OrganisationFigures,
    Person,
)
from grappe.members.services import membership_apply, membership_approve
from grappe.members.tests.factories import (
    AffiliationFactory,
    FiguresFactory,
    OrganisationFactory,
    PersonFactory,
    fee_schedule,
)

pytestmark = pytest.mark.django_db

PAGES = [
    "members:organisation_edit",
    "members:organisation_visibility",
    "members:organisation_figures",
    "members:organisation_contacts",
    "members:organisation_membership",
    "members:membership_apply",
    "members:organisation_invoices",
]
ROLES = [
    ("registered", 403),
    ("member", 403),
    ("org_admin", 200),
    ("other_member", 403),
    ("staff", 200),
]


@pytest.fixture
def as_role(request, login):
    def _as(role):
        return login(request.getfixturevalue(role))

    return _as


@pytest.mark.parametrize("page", PAGES)
def test_a_visitor_is_sent_to_log_in(client, member_org, page):
    url = reverse(page, kwargs={"slug": member_org.slug})
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(("role", "status"), ROLES)
def test_only_administrators_and_staff_open_the_pages(as_role, member_org, page, role, status):
    # given a logged-in person in `role`
    client = as_role(role)
    # when they open an administration page of the member organisation
    response = client.get(reverse(page, kwargs={"slug": member_org.slug}))
    # then only its administrators and staff may
    assert response.status_code == status


def test_an_unknown_organisation_is_404(login, org_admin):
    response = login(org_admin).get(reverse("members:organisation_edit", kwargs={"slug": "nope"}))
    assert response.status_code == 404


def test_the_pages_show_the_sub_navigation(login, org_admin, member_org):
    response = login(org_admin).get(
        reverse("members:organisation_figures", kwargs={"slug": member_org.slug})
    )
    html = response.content.decode()
    assert html.count("<h1>") == 1
    assert f'href="/members/organisations/{member_org.slug}/figures/" aria-current="page"' in html
    assert "Chiffres annuels" in html


# Profile


def _png(size=(40, 20)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 92, 173)).save(buffer, "PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def _profile_data(organisation, **extra):
    data = {
        "legal_name": organisation.legal_name,
        "name": organisation.name,
        "kind": organisation.kind,
        "country": "FR",
        "city": "Marseille",
        "region": "FRL0",
        "description_fr": "Lasers pour l’industrie.",
        "description_en": "Lasers for industry.",
    }
    data.update(extra)
    return data


def test_an_administrator_edits_the_profile_with_logo_and_competences(login, org_admin, member_org):
    # given the current taxonomy's fibre lasers (under lasers) and the space market
    fibre = Competence.objects.get(version__is_current=True, code="tech.lasers.fibre")
    space = Competence.objects.get(version__is_current=True, code="market.space")
    client = login(org_admin)
    url = reverse("members:organisation_edit", kwargs={"slug": member_org.slug})
    # when the administrator saves the profile with a logo and two competences
    response = client.post(
        url,
        _profile_data(
            member_org,
            website="lumiere.example",
            siren="552 032 534",
            logo=_png(),
            competences_technology=[fibre.pk],
            competences_market=[space.pk],
        ),
    )
    # then it is saved, audited, and the page comes back
    assert response.status_code == 302
    assert response["Location"] == url
    member_org.refresh_from_db()
    assert member_org.website == "https://lumiere.example"
    assert member_org.siren == "552032534"
    assert member_org.description_en == "Lasers for industry."
    assert member_org.logo.name.startswith("logos/logo")
    assert set(member_org.competences.values_list("code", flat=True)) == {
        "tech.lasers.fibre",
        "market.space",
    }
    entry = AuditEntry.objects.filter(action="organisation.update").get()
    assert entry.changes["competences"] == [[], ["market.space", "tech.lasers.fibre"]]


def test_the_profile_shows_technologies_nested_under_their_branch(login, org_admin, member_org):
    response = login(org_admin).get(
        reverse("members:organisation_edit", kwargs={"slug": member_org.slug})
    )
    html = response.content.decode()
    lasers = Competence.objects.get(version__is_current=True, code="tech.lasers")
    fibre = Competence.objects.get(version__is_current=True, code="tech.lasers.fibre")
    branch = html.index(f'value="{lasers.pk}"')
    nested = html.index("<ul>", branch)
    assert branch < nested < html.index(f'value="{fibre.pk}"')
    assert "college_override" not in html


def test_staff_also_set_the_college_override(login, staff, member_org):
    response = login(staff).post(
        reverse("members:organisation_edit", kwargs={"slug": member_org.slug}),
        _profile_data(member_org, college_override="research"),
    )
    assert response.status_code == 302
    member_org.refresh_from_db()
    assert member_org.college_override == "research"


def test_an_administrator_cannot_set_the_college_override(login, org_admin, member_org):
    login(org_admin).post(
        reverse("members:organisation_edit", kwargs={"slug": member_org.slug}),
        _profile_data(member_org, college_override="research"),
    )
    member_org.refresh_from_db()
    assert member_org.college_override == ""


def test_a_file_that_is_not_an_image_is_refused_as_logo(login, org_admin, member_org):
    # given a text file posing as a logo
    fake = SimpleUploadedFile("logo.png", b"not an image", content_type="image/png")
    # when the administrator uploads it
    response = login(org_admin).post(
        reverse("members:organisation_edit", kwargs={"slug": member_org.slug}),
        _profile_data(member_org, logo=fake, description_en="Changed"),
    )
    # then the form says why and nothing is saved
    assert response.status_code == 200
    assert response.context["form"].errors["logo"] == [
        "Téléversez une image valide. Le fichier que vous avez transféré n’est pas une image ou bien est corrompu."
    ]
    member_org.refresh_from_db()
    assert (member_org.logo.name, member_org.description_en) == ("", "Design of optical systems.")
    assert AuditEntry.objects.filter(action="organisation.update").count() == 0


def test_a_logo_too_large_is_refused(login, org_admin, member_org):
    response = login(org_admin).post(
        reverse("members:organisation_edit", kwargs={"slug": member_org.slug}),
        _profile_data(member_org, logo=_png((4100, 10))),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["logo"] == ["Le logo dépasse 4000 pixels de côté."]
    member_org.refresh_from_db()
    assert member_org.logo.name == ""


def test_a_bad_siret_is_named_and_nothing_saved(login, org_admin, member_org):
    response = login(org_admin).post(
        reverse("members:organisation_edit", kwargs={"slug": member_org.slug}),
        _profile_data(member_org, siret="12345678901234", description_en="Changed"),
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["siret"]
    member_org.refresh_from_db()
    assert member_org.description_en == "Design of optical systems."


# Visibility


def test_an_administrator_sets_the_visibility_within_the_limits(login, org_admin, member_org):
    # when the administrator opens the phone to everyone and hides the headcount from members
    response = login(org_admin).post(
        reverse("members:organisation_visibility", kwargs={"slug": member_org.slug}),
        {
            "address": "public",
            "identifiers": "public",
            "email": "members",
            "phone": "public",
            "contacts": "members",
            "headcount": "staff",
            "turnover": "staff",
            "founded_year": "public",
        },
    )
    # then the choices are saved
    assert response.status_code == 302
    member_org.refresh_from_db()
    assert member_org.visibility["phone"] == "public"
    assert member_org.visibility["headcount"] == "staff"


def test_a_level_more_open_than_staff_allow_is_not_offered(login, org_admin, member_org):
    # given that staff never let the turnover be public
    client = login(org_admin)
    url = reverse("members:organisation_visibility", kwargs={"slug": member_org.slug})
    html = client.get(url).content.decode()
    assert 'name="turnover" value="public"' not in html
    assert 'name="turnover" value="members"' in html
    # when a crafted request tries it anyway
    response = client.post(url, {"turnover": "public"})
    # then it is refused and nothing changes
    assert response.status_code == 200
    assert "turnover" in response.context["form"].errors
    member_org.refresh_from_db()
    assert member_org.visibility == {}


# Figures


def test_an_administrator_declares_figures_and_the_size_follows(login, org_admin, member_org):
    year = timezone.localdate().year - 1
    response = login(org_admin).post(
        reverse("members:organisation_figures", kwargs={"slug": member_org.slug}),
        {
            "year": year,
            "headcount": "320",
            "turnover": "80000000",
            "export_share": "55",
            "rnd_spend": "9000000",
        },
    )
    assert response.status_code == 302
    figures = OrganisationFigures.objects.get(organisation=member_org, year=year)
    assert (figures.headcount, figures.turnover, figures.size_class) == (
        320,
        Decimal("80000000.00"),
        "midsize",
    )
    member_org.refresh_from_db()
    assert (member_org.size_class, member_org.college) == ("midsize", "large")


def test_the_figures_page_prefills_a_correction(login, org_admin, member_org):
    year = timezone.localdate().year - 2
    FiguresFactory(organisation=member_org, year=year, headcount=42)
    response = login(org_admin).get(
        reverse("members:organisation_figures", kwargs={"slug": member_org.slug}) + f"?year={year}"
    )
    assert response.context["form"].initial["headcount"] == 42
    assert response.context["correcting"] is True


def test_figures_out_of_range_are_refused(login, org_admin, member_org):
    response = login(org_admin).post(
        reverse("members:organisation_figures", kwargs={"slug": member_org.slug}),
        {"year": 1990, "headcount": "-1", "turnover": "1", "export_share": "120", "rnd_spend": "0"},
    )
    assert response.status_code == 200
    assert sorted(response.context["form"].errors) == ["export_share", "headcount", "year"]
    assert OrganisationFigures.objects.count() == 0


# Contacts


def test_an_administrator_adds_a_contact(
    login, org_admin, member_org, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(org_admin).post(
            reverse("members:organisation_contacts", kwargs={"slug": member_org.slug}),
            {
                "first_name": "Paul",
                "last_name": "Durand",
                "email": "paul@lumiere.example",
                "role": "technical",
                "is_admin": "on",
            },
        )
    assert response.status_code == 302
    affiliation = Affiliation.objects.get(person__email="paul@lumiere.example")
    assert (affiliation.organisation, affiliation.role, affiliation.is_admin) == (
        member_org,
        "technical",
        True,
    )
    assert [m.to for m in mailoutbox] == [["paul@lumiere.example"]]


def test_a_plain_contact_cannot_add_a_contact(login, member, member_org, mailoutbox):
    response = login(member).post(
        reverse("members:organisation_contacts", kwargs={"slug": member_org.slug}),
        {"first_name": "X", "last_name": "Y", "email": "x@example.org", "role": "other"},
    )
    assert response.status_code == 403
    assert Person.objects.filter(email="x@example.org").exists() is False
    assert mailoutbox == []


def test_an_administrator_makes_a_contact_administrator_then_ends_it(login, org_admin, member_org):
    # given a plain contact
    colleague = AffiliationFactory(person=PersonFactory(), organisation=member_org)
    client = login(org_admin)
    # when the administrator makes them administrator
    response = client.post(
        reverse("members:contact_set_admin", kwargs={"slug": member_org.slug, "pk": colleague.pk}),
        {"is_admin": "1"},
    )
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.is_admin is True
    # and then says they no longer work there
    client.post(
        reverse("members:contact_end", kwargs={"slug": member_org.slug, "pk": colleague.pk})
    )
    colleague.refresh_from_db()
    assert colleague.end == timezone.localdate()


def test_the_last_administrator_cannot_leave(login, org_admin, member_org):
    own = Affiliation.objects.get(person__user=org_admin)
    response = login(org_admin).post(
        reverse("members:contact_end", kwargs={"slug": member_org.slug, "pk": own.pk}),
        follow=True,
    )
    assert "Une organisation garde au moins un administrateur." in response.content.decode()
    own.refresh_from_db()
    assert own.end is None


def test_an_affiliation_of_another_organisation_is_404(login, org_admin, member_org):
    elsewhere = AffiliationFactory(organisation=OrganisationFactory())
    response = login(org_admin).post(
        reverse("members:contact_end", kwargs={"slug": member_org.slug, "pk": elsewhere.pk})
    )
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.end is None


def test_the_contacts_page_lists_contacts_and_requests(
    login, org_admin, member_org, django_assert_max_num_queries
):
    for _ in range(15):
        AffiliationFactory(person=PersonFactory(), organisation=member_org)
    AffiliationFactory(
        person=PersonFactory(last_name="Attente"),
        organisation=member_org,
        status=AffiliationStatus.PENDING,
    )
    client = login(org_admin)
    with django_assert_max_num_queries(20):
        response = client.get(
            reverse("members:organisation_contacts", kwargs={"slug": member_org.slug})
        )
    assert len(response.context["contacts"]) == 16
    assert [a.person.last_name for a in response.context["pending"]] == ["Attente"]


# Membership and invoices


@pytest.fixture
def invoiced(member_org, org_admin, staff):
    """An organisation without membership this year that applied and was approved."""
    organisation = OrganisationFactory(name="Nouvelle Optique", slug="nouvelle-optique")
    AffiliationFactory(person=org_admin.person, organisation=organisation, is_admin=True)
    year = timezone.localdate().year
    fee_schedule(year)
    FiguresFactory(organisation=organisation, year=year - 1, turnover=Decimal("800000"))
    membership = membership_apply(actor=org_admin, organisation=organisation)
    membership_approve(actor=staff, membership=membership)
    return organisation, Invoice.objects.get(membership=membership)


def test_the_membership_page_shows_the_history(login, org_admin, invoiced):
    organisation, invoice = invoiced
    response = login(org_admin).get(
        reverse("members:organisation_membership", kwargs={"slug": organisation.slug})
    )
    html = response.content.decode()
    assert response.context["current"].status == "approved"
    assert "Admis le" in html


def test_an_administrator_downloads_the_invoice_pdf(login, org_admin, invoiced):
    organisation, invoice = invoiced
    client = login(org_admin)
    listing = client.get(
        reverse("members:organisation_invoices", kwargs={"slug": organisation.slug})
    ).content.decode()
    url = reverse("members:invoice_pdf", kwargs={"pk": invoice.pk})
    assert url in listing
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{invoice.number}.pdf"'
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize(("role", "status"), ROLES)
def test_only_its_administrators_and_staff_download_an_invoice(as_role, invoiced, role, status):
    # org_admin administers the invoiced organisation too
    organisation, invoice = invoiced
    response = as_role(role).get(reverse("members:invoice_pdf", kwargs={"pk": invoice.pk}))
    assert response.status_code == status


def test_a_visitor_cannot_download_an_invoice(client, invoiced):
    organisation, invoice = invoiced
    response = client.get(reverse("members:invoice_pdf", kwargs={"pk": invoice.pk}))
    assert response.status_code == 302
    assert Organisation.objects.filter(pk=organisation.pk).exists()


@pytest.mark.parametrize(
    "page",
    [
        "members:organisation_figures",
        "members:organisation_membership",
        "members:organisation_invoices",
    ],
)
def test_the_history_pages_stay_within_a_fixed_number_of_queries(
    login, org_admin, member_org, page, django_assert_max_num_queries
):
    # given ten past years of figures, memberships and invoices
    from grappe.members.tests.factories import MembershipFactory

    this_year = timezone.localdate().year
    for year in range(this_year - 10, this_year):
        FiguresFactory(organisation=member_org, year=year, declared_by=org_admin)
        membership = MembershipFactory(organisation=member_org, year=year, decided_by=org_admin)
        Invoice.objects.create(
            number=f"{year}-00001", membership=membership, organisation=member_org,
            issued_on=membership.start, due_on=membership.start, label=f"{year}|12|",
            amount_net=1100, vat_rate=20, vat_amount=220, amount_gross=1320,
        )  # fmt: skip
    client = login(org_admin)
    # then the page costs the same few queries
    with django_assert_max_num_queries(16):
        response = client.get(reverse(page, kwargs={"slug": member_org.slug}))
    assert response.status_code == 200


def test_the_profile_form_offers_only_active_competences_and_keeps_deactivated_tags(
    login, org_admin, member_org, staff
):
    # given an organisation tagged with a competence staff have since deactivated
    from grappe.members.services import competence_update

    current = Competence.objects.filter(version__is_current=True)
    ultrafast = current.get(code="tech.lasers.ultrafast")
    fibre = current.get(code="tech.lasers.fibre")
    member_org.competences.add(ultrafast)
    competence_update(actor=staff, competence=ultrafast, data={"is_active": False})
    client = login(org_admin)
    url = reverse("members:organisation_edit", kwargs={"slug": member_org.slug})
    # when the administrator opens the form and ticks another technology
    html = client.get(url).content.decode()
    response = client.post(url, _profile_data(member_org, competences_technology=[fibre.pk]))
    # then the deactivated competence was not offered, and its tag is kept
    assert f'value="{ultrafast.pk}"' not in html
    assert f'value="{fibre.pk}"' in html
    assert response.status_code == 302
    assert set(member_org.competences.values_list("code", flat=True)) == {
        "tech.lasers.fibre",
        "tech.lasers.ultrafast",
    }
