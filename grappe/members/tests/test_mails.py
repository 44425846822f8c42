"""Every mail the members services send, rendered in French and in English."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.template.defaultfilters import floatformat
from django.template.loader import get_template
from django.utils import timezone, translation

from grappe.core.mail import render_mail
from grappe.members.models import (
    AffiliationRole,
    AffiliationStatus,
    ClusterProfile,
    InvoiceStatus,
    MembershipStatus,
    Person,
)
from grappe.members.services import (
    affiliation_confirm,
    affiliation_refuse,
    affiliation_request,
    contact_add,
    invoice_mark_paid,
    membership_apply,
    membership_approve,
    membership_end,
    membership_refuse,
    membership_renew,
    membership_send_reminders,
)
from grappe.members.tests.factories import (
    AffiliationFactory,
    FiguresFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    fee_schedule,
)

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"
TEMPLATES = [
    "affiliation_requested", "affiliation_confirm", "affiliation_refuse", "contact_added",
    "affiliation_left",
    "membership_applied", "membership_to_decide", "membership_approved", "membership_refused",
    "membership_active", "membership_ended", "membership_renewed", "membership_renewal_reminder",
    "invoice_reminder",
]  # fmt: skip


@pytest.fixture
def applicant(db, staff):
    """A small firm with its administrator (French) and figures, and a published schedule;
    the cluster's bank details are set."""
    year = timezone.localdate().year
    fee_schedule(year)
    fee_schedule(year + 1)
    ClusterProfile.objects.create(
        name="POP Sud", legal_name="POP Sud", iban="FR7630006000011234567890189", bic="AGRIFRPP"
    )
    organisation = OrganisationFactory(name="Photons du Sud", slug="photons-du-sud")
    FiguresFactory(organisation=organisation, year=year - 1, turnover=Decimal("3000000"))
    user = UserFactory(email="admin@photons.example", first_name="Anne", last_name="Roche")
    person = PersonFactory(
        user=user, email=user.email, first_name="Anne", last_name="Roche", language="fr"
    )
    AffiliationFactory(person=person, organisation=organisation, is_admin=True)
    return organisation, user


def _speak(user, language):
    Person.objects.filter(user=user).update(language=language)


def _by_recipient(mailoutbox):
    return {message.to[0]: message for message in mailoutbox}


def test_every_service_template_exists_in_both_parts():
    # given the templates the services name
    services = Path(__file__).resolve().parent.parent / "services"
    source = "".join(path.read_text() for path in services.glob("*.py"))
    # then each has a subject and a body
    for name in TEMPLATES:
        assert f'"{name}"' in source or name in {"affiliation_confirm", "affiliation_refuse"}
        get_template(f"mail/{name}_subject.txt")
        get_template(f"mail/{name}_body.txt")


def test_affiliation_requested_tells_the_administrators(
    applicant, registered, mailoutbox, django_capture_on_commit_callbacks
):
    # given an organisation with a French-speaking administrator
    organisation, admin = applicant
    registered.person.first_name, registered.person.last_name = "Jean", "Dupont"
    registered.person.save()
    # when a registered person asks to join it
    with django_capture_on_commit_callbacks(execute=True):
        affiliation_request(
            actor=registered, organisation=organisation, role=AffiliationRole.TECHNICAL
        )
    # then the administrator is asked to answer, in French
    message = _by_recipient(mailoutbox)["admin@photons.example"]
    assert message.subject == "Jean Dupont demande à rejoindre Photons du Sud"
    assert "Bonjour Anne," in message.body
    assert "« Technique / R&D »" in message.body
    assert f"{SITE}/dashboard/" in message.body


def test_affiliation_requested_in_english(
    applicant, registered, mailoutbox, django_capture_on_commit_callbacks
):
    organisation, admin = applicant
    _speak(admin, "en")
    registered.person.first_name, registered.person.last_name = "Jean", "Dupont"
    registered.person.save()
    with django_capture_on_commit_callbacks(execute=True):
        affiliation_request(actor=registered, organisation=organisation)
    message = _by_recipient(mailoutbox)["admin@photons.example"]
    assert message.subject == "Jean Dupont asks to join Photons du Sud"
    assert "Hello Anne," in message.body
    assert "Answer the request in your space:" in message.body


@pytest.mark.parametrize(
    ("service", "language", "subject", "phrase"),
    [
        (affiliation_confirm, "fr", "Vous êtes désormais contact de Photons du Sud",
         "ont confirmé votre demande"),
        (affiliation_confirm, "en", "You are now a contact of Photons du Sud",
         "have confirmed your request"),
        (affiliation_refuse, "fr", "Votre demande pour rejoindre Photons du Sud n’a pas été acceptée",
         f"{SITE}/members/organisations/find/"),
        (affiliation_refuse, "en", "Your request to join Photons du Sud was not accepted",
         f"{SITE}/members/organisations/find/"),
    ],
)  # fmt: skip
def test_the_answer_to_a_join_request_is_sent_to_the_requester(
    applicant, service, language, subject, phrase, mailoutbox, django_capture_on_commit_callbacks
):
    # given a pending request of a person speaking `language`
    organisation, admin = applicant
    person = PersonFactory(email="jean@example.org", first_name="Jean", language=language)
    request = AffiliationFactory(
        person=person, organisation=organisation, status=AffiliationStatus.PENDING
    )
    # when the administrator answers
    with django_capture_on_commit_callbacks(execute=True):
        service(actor=admin, affiliation=request)
    # then the requester is told in their language
    message = _by_recipient(mailoutbox)["jean@example.org"]
    assert message.subject == subject
    assert phrase in message.body


@pytest.mark.parametrize(
    ("language", "subject", "phrase"),
    [
        ("fr", "Vous êtes contact de Photons du Sud sur Grappe", "Anne Roche vous a enregistré"),
        ("en", "You are a contact of Photons du Sud on Grappe", "Anne Roche has recorded you"),
    ],
)
def test_contact_added_tells_the_new_contact_how_to_sign_up(
    applicant, language, subject, phrase, mailoutbox, django_capture_on_commit_callbacks
):
    organisation, admin = applicant
    admin.language = language
    admin.save()
    with django_capture_on_commit_callbacks(execute=True):
        contact_add(
            actor=admin,
            organisation=organisation,
            first_name="Paul",
            last_name="Durand",
            email="paul@photons.example",
        )
    message = _by_recipient(mailoutbox)["paul@photons.example"]
    assert message.subject == subject
    assert phrase in message.body
    assert f"{SITE}/accounts/signup/" in message.body


def test_membership_applied_and_to_decide(
    applicant, staff, mailoutbox, django_capture_on_commit_callbacks
):
    # given an organisation whose administrator speaks French and a staff member speaking English
    organisation, admin = applicant
    staff.language = "en"
    staff.save()
    year = timezone.localdate().year
    # when it applies for membership
    with django_capture_on_commit_callbacks(execute=True):
        membership = membership_apply(
            actor=admin, organisation=organisation, motivation="Projets en imagerie."
        )
    # then the administrators get a receipt in French and staff a request to decide in English
    mails = _by_recipient(mailoutbox)
    receipt = mails["admin@photons.example"]
    assert receipt.subject == f"Candidature de Photons du Sud pour {year} reçue"
    assert "Collège : PME et start-up – tranche : 2 M€ à moins de 5 M€" in receipt.body
    assert f"{SITE}/members/organisations/photons-du-sud/membership/" in receipt.body
    decide = mails[staff.email]
    assert decide.subject == f"Membership application to decide: Photons du Sud ({year})"
    assert "Projets en imagerie." in decide.body
    assert f"{SITE}/staff/memberships/{membership.pk}/" in decide.body


@pytest.mark.parametrize("language", ["fr", "en"])
def test_membership_approved_attaches_the_invoice(
    applicant, staff, language, mailoutbox, django_capture_on_commit_callbacks
):
    # given an application
    organisation, admin = applicant
    _speak(admin, language)
    membership = membership_apply(actor=admin, organisation=organisation)
    mailoutbox.clear()
    # when staff approve it
    with django_capture_on_commit_callbacks(execute=True):
        membership_approve(actor=staff, membership=membership)
    # then the administrator receives the welcome with the invoice PDF attached
    message = _by_recipient(mailoutbox)["admin@photons.example"]
    invoice = membership.invoice
    expected = {
        "fr": "Bienvenue dans Grappe : l’adhésion de Photons du Sud est acceptée",
        "en": "Welcome to Grappe: Photons du Sud is admitted",
    }[language]
    assert message.subject == expected
    assert invoice.number in message.body
    assert "FR7630006000011234567890189" in message.body
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == (f"{invoice.number}.pdf", "application/pdf")
    assert content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("language", "subject"),
    [("fr", "Candidature de Photons du Sud pour {year} : décision"),
     ("en", "Application of Photons du Sud for {year}: decision")],
)  # fmt: skip
def test_membership_refused_gives_the_reason(
    applicant, staff, language, subject, mailoutbox, django_capture_on_commit_callbacks
):
    organisation, admin = applicant
    _speak(admin, language)
    membership = membership_apply(actor=admin, organisation=organisation)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        membership_refuse(actor=staff, membership=membership, note="Hors du périmètre du pôle.")
    message = _by_recipient(mailoutbox)["admin@photons.example"]
    assert message.subject == subject.format(year=membership.year)
    assert "Hors du périmètre du pôle." in message.body


@pytest.mark.parametrize(
    ("language", "subject"),
    [("fr", "L’adhésion {year} de Photons du Sud est active"),
     ("en", "Photons du Sud is a member for {year}")],
)  # fmt: skip
def test_membership_active_when_the_invoice_is_paid(
    applicant, staff, language, subject, mailoutbox, django_capture_on_commit_callbacks
):
    organisation, admin = applicant
    _speak(admin, language)
    membership = membership_apply(actor=admin, organisation=organisation)
    membership_approve(actor=staff, membership=membership)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        invoice_mark_paid(actor=staff, invoice=membership.invoice)
    message = _by_recipient(mailoutbox)["admin@photons.example"]
    assert message.subject == subject.format(year=membership.year)
    assert f"{SITE}/members/organisations/photons-du-sud/contacts/" in message.body


@pytest.mark.parametrize(
    ("language", "status", "phrase"),
    [
        ("fr", MembershipStatus.RESIGNED, "(démission)"),
        ("en", MembershipStatus.RESIGNED, "(resignation)"),
        ("fr", MembershipStatus.EXCLUDED, "(exclusion)"),
        ("en", MembershipStatus.LAPSED, "lapsed on"),
    ],
)
def test_membership_ended_says_why(
    applicant, staff, language, status, phrase, mailoutbox, django_capture_on_commit_callbacks
):
    organisation, admin = applicant
    _speak(admin, language)
    membership = membership_apply(actor=admin, organisation=organisation)
    membership_approve(actor=staff, membership=membership)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        membership_end(actor=staff, membership=membership, status=status, reason="Courrier reçu.")
    message = _by_recipient(mailoutbox)["admin@photons.example"]
    expected = {
        "fr": f"Fin de l’adhésion de Photons du Sud ({membership.year})",
        "en": f"End of the membership of Photons du Sud ({membership.year})",
    }[language]
    assert message.subject == expected
    assert phrase in message.body
    assert "Courrier reçu." in message.body


@pytest.mark.parametrize(
    ("language", "subject", "phrase"),
    [("fr", "Adhésion de Photons du Sud renouvelée pour {year}", "TTC, à régler avant le"),
     ("en", "Membership of Photons du Sud renewed for {year}", "incl. VAT, to be paid by")],
)  # fmt: skip
def test_membership_renewed_gives_the_new_invoice(
    applicant, staff, language, subject, phrase, mailoutbox, django_capture_on_commit_callbacks
):
    organisation, admin = applicant
    _speak(admin, language)
    membership = membership_apply(actor=admin, organisation=organisation)
    membership = membership_approve(actor=staff, membership=membership)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        renewal = membership_renew(actor=staff, membership=membership)
    message = _by_recipient(mailoutbox)["admin@photons.example"]
    assert message.subject == subject.format(year=renewal.year)
    assert renewal.invoice.number in message.body
    assert phrase in message.body


@pytest.mark.parametrize(
    ("language", "subject"),
    [("fr", "Photons du Sud : votre adhésion est renouvelée le 1er janvier {next}"),
     ("en", "Photons du Sud: your membership renews on 1 January {next}")],
)  # fmt: skip
def test_membership_renewal_reminder_in_december(
    applicant, staff, language, subject, mailoutbox, django_capture_on_commit_callbacks
):
    organisation, admin = applicant
    _speak(admin, language)
    year = timezone.localdate().year
    membership = membership_apply(actor=admin, organisation=organisation)
    membership_approve(actor=staff, membership=membership)
    invoice_mark_paid(actor=staff, invoice=membership.invoice)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        counts = membership_send_reminders(today=dt.date(year, 12, 1))
    assert counts["renewal"] == 1
    message = _by_recipient(mailoutbox)["admin@photons.example"]
    assert message.subject == subject.format(next=year + 1)
    assert f"{SITE}/members/organisations/photons-du-sud/figures/" in message.body


@pytest.mark.parametrize(
    ("language", "subject", "phrase"),
    [("fr", "Relance : la facture {number} n’est pas réglée", "Montant dû : {gross} € TTC."),
     ("en", "Reminder: invoice {number} is unpaid", "Amount due: {gross} € incl. VAT.")],
)  # fmt: skip
def test_invoice_reminder_for_an_overdue_invoice(
    applicant, staff, language, subject, phrase, mailoutbox, django_capture_on_commit_callbacks
):
    organisation, admin = applicant
    _speak(admin, language)
    membership = membership_apply(actor=admin, organisation=organisation)
    membership_approve(actor=staff, membership=membership)
    invoice = membership.invoice
    assert invoice.status == InvoiceStatus.ISSUED
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        counts = membership_send_reminders(today=invoice.due_on + dt.timedelta(days=1))
    assert counts["unpaid"] == 1
    message = _by_recipient(mailoutbox)["admin@photons.example"]
    with translation.override(language):
        gross = floatformat(invoice.amount_gross, "2g")
    assert message.subject == subject.format(number=invoice.number)
    assert phrase.format(gross=gross) in message.body
    assert "IBAN FR7630006000011234567890189 (BIC AGRIFRPP)" in message.body


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("name", TEMPLATES)
def test_every_mail_renders_without_a_missing_value(applicant, staff, name, language):
    # given every object a mail may name
    organisation, admin = applicant
    membership = membership_apply(actor=admin, organisation=organisation, motivation="Photonique.")
    membership_approve(actor=staff, membership=membership, note="Bienvenue.")
    membership.refresh_from_db()
    person = PersonFactory(first_name="Jean", last_name="Dupont", email="jean@example.org")
    affiliation = AffiliationFactory(person=person, organisation=organisation)
    context = {
        "membership": membership,
        "invoice": membership.invoice,
        "affiliation": affiliation,
        "admin": admin.person,
        "added_by": admin.person,
    }
    # when the mail is rendered
    subject, body = render_mail(name, context, language)
    # then subject and body are filled, links are absolute, and it is signed
    assert subject and "{" not in subject and "None" not in subject
    assert "None" not in body and "{{" not in body and "&amp;" not in body
    assert f"{SITE}/" in body
    assert "Grappe" in body.rstrip().splitlines()[-2]
