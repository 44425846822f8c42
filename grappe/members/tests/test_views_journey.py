"""The whole way in, with the test client: sign up, confirm the e-mail address, declare the
organisation and its figures, apply after seeing the dues, get admitted with the invoice."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grappe.members.models import (
    Affiliation,
    Consent,
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationFigures,
    Person,
)
from grappe.members.services import membership_approve
from grappe.members.services.dues import months_charged
from grappe.members.tests.factories import fee_schedule

pytestmark = pytest.mark.django_db


def test_from_sign_up_to_admission(client, staff, mailoutbox, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    fee_schedule(today.year)

    # 1. a visitor signs up, with their name, language and newsletter consent
    response = client.post(
        reverse("account_signup"),
        {
            "email": "claire.roux@photons-azur.example",
            "password1": "Lumière-cohérente-42",
            "password2": "Lumière-cohérente-42",
            "first_name": "Claire",
            "last_name": "Roux",
            "language": "fr",
            "newsletter": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    person = Person.objects.get(email="claire.roux@photons-azur.example")
    assert (person.first_name, person.last_name, person.user.language) == ("Claire", "Roux", "fr")
    assert list(Consent.objects.filter(person=person).values_list("channel", "granted")) == [
        ("newsletter", True)
    ]

    # 2. they follow the link of the verification mail, and are logged in
    [verification] = mailoutbox
    assert verification.to == ["claire.roux@photons-azur.example"]
    link = re.search(r"https?://testserver(/accounts/confirm-email/[^/\s]+/)", verification.body)
    assert link is not None
    confirm = link.group(1)
    assert client.get(confirm).status_code == 200
    response = client.post(confirm)
    assert response.status_code == 302
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 200
    assert [s["code"] for s in response.context["next_steps"]] == ["find_or_declare"]

    # 3. they declare their organisation and become its administrator
    response = client.post(
        reverse("members:organisation_declare"),
        {
            "name": "Photons Azur",
            "legal_name": "Photons Azur SAS",
            "kind": "sme",
            "legal_form": "sas",
            "siren": "552032534",
            "street": "12 avenue de la Lumière",
            "postcode": "06000",
            "city": "Nice",
            "region": "FRL0",
            "country": "FR",
        },
    )
    organisation = Organisation.objects.get(name="Photons Azur")
    assert response["Location"] == reverse(
        "members:organisation_figures", kwargs={"slug": organisation.slug}
    )
    assert Affiliation.objects.get(organisation=organisation).is_admin is True

    # 4. they declare last year's figures
    response = client.post(
        reverse("members:organisation_figures", kwargs={"slug": organisation.slug}),
        {
            "year": today.year - 1,
            "headcount": "14",
            "turnover": "1200000",
            "export_share": "35",
            "rnd_spend": "180000",
        },
    )
    assert response.status_code == 302
    assert OrganisationFigures.objects.get(organisation=organisation).size_class == "small"

    # 5. the application page shows the dues before anything is sent
    apply_url = reverse("members:membership_apply", kwargs={"slug": organisation.slug})
    response = client.get(apply_url)
    quote = response.context["quote"]
    months = months_charged(today.year, today)
    expected = (Decimal(550) * months / 12).quantize(Decimal("0.01"))
    assert (quote.band_label, quote.full, quote.months, quote.amount) == (
        "500\xa0000 € à moins de 2 M€",
        Decimal(550),
        months,
        expected,
    )
    assert "500\xa0000 € à moins de 2 M€" in response.content.decode()

    # 6. they apply
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            apply_url,
            {
                "year": today.year,
                "amount": str(quote.amount),
                "motivation": "Optique adaptative pour le spatial.",
                "accept": "on",
            },
        )
    assert response.status_code == 302
    membership = Membership.objects.get(organisation=organisation)
    assert (membership.status, membership.fee) == (MembershipStatus.APPLIED, expected)
    subjects = {m.to[0]: m.subject for m in mailoutbox[1:]}
    assert subjects == {
        "claire.roux@photons-azur.example": f"Candidature de Photons Azur pour {today.year} reçue",
        staff.email: f"Candidature à examiner : Photons Azur ({today.year})",
    }

    # 7. staff approve it: the administrator receives the welcome with the invoice attached
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        membership_approve(actor=staff, membership=membership)
    [welcome] = mailoutbox
    assert welcome.to == ["claire.roux@photons-azur.example"]
    assert welcome.subject == "Bienvenue dans Grappe : l’adhésion de Photons Azur est acceptée"
    [(filename, content, mimetype)] = welcome.attachments
    assert filename == f"{membership.invoice.number}.pdf"
    assert mimetype == "application/pdf"
    assert content.startswith(b"%PDF")

    # 8. My space now shows the invoice to pay
    response = client.get(reverse("core:dashboard"))
    assert [s["code"] for s in response.context["next_steps"]] == ["pay_invoice"]
