"""Staff write to an event's registrants: audiences, one mail each in their language, recorded."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from grappe.core.audit import audit_for
from grappe.events.models import EventMailing, RegistrationStatus
from grappe.events.services.mailing import mailing_send
from grappe.events.tests.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
S = RegistrationStatus


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def event():
    """An event with one registration of each kind, and one person who came."""
    event = EventFactory(title_fr="Journée lasers", title_en="Laser day")
    now = timezone.now()
    RegistrationFactory(event=event, person__email="confirmed@example.org")
    RegistrationFactory(event=event, person__email="came@example.org", checked_in_at=now)
    RegistrationFactory(
        event=event, person__email="waiting@example.org", status=S.WAITLISTED, waitlisted_at=now
    )
    RegistrationFactory(
        event=event, person__email="offered@example.org", status=S.OFFERED, offered_at=now,
        offer_expires_at=now, confirmed_at=None,
    )  # fmt: skip
    RegistrationFactory(
        event=event, person__email="cancelled@example.org", status=S.CANCELLED, cancelled_at=now
    )
    return event


@pytest.mark.parametrize(
    ("audience", "recipients"),
    [
        ("confirmed", ["came@example.org", "confirmed@example.org"]),
        ("waitlisted", ["offered@example.org", "waiting@example.org"]),
        ("all", ["came@example.org", "confirmed@example.org", "offered@example.org",
                 "waiting@example.org"]),
        ("checked_in", ["came@example.org"]),
    ],
)  # fmt: skip
def test_each_audience_gets_one_mail_per_person(
    staff, event, audience, recipients, django_capture_on_commit_callbacks
):
    # when staff write to an audience
    with django_capture_on_commit_callbacks(execute=True):
        mailing = mailing_send(
            actor=staff, event=event, subject="Plan d'accès", body="Le plan est en ligne.",
            audience=audience,
        )  # fmt: skip
    # then each person of it receives the message alone; the mail is recorded
    assert sorted(m.to[0] for m in mail.outbox) == recipients
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert {m.subject for m in mail.outbox} == {"Plan d'accès"}
    assert (mailing.recipients, mailing.sent_by, mailing.audience) == (
        len(recipients), staff, audience,
    )  # fmt: skip
    assert audit_for(mailing).get().action == "event.mailing"


def test_the_mail_is_in_each_persons_language(staff, django_capture_on_commit_callbacks):
    # given two registrants, one reading English
    event = EventFactory(title_fr="Journée lasers", title_en="Laser day")
    RegistrationFactory(event=event, person__first_name="Ann", language="en")
    RegistrationFactory(event=event, person__first_name="Léa", language="fr")
    # when staff write to them
    with django_capture_on_commit_callbacks(execute=True):
        mailing_send(actor=staff, event=event, subject="Info", body="Texte.", audience="all")
    # then each mail greets them and names the event in their language
    bodies = {m.body.splitlines()[0]: m.body for m in mail.outbox}
    assert set(bodies) == {"Hello Ann,", "Bonjour Léa,"}
    assert "Laser day" in bodies["Hello Ann,"]
    assert "Journée lasers" in bodies["Bonjour Léa,"]
    assert "Texte." in bodies["Hello Ann,"]


def test_bad_mails_are_refused_and_nothing_is_sent(
    staff, event, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as refused,
    ):
        mailing_send(actor=staff, event=event, subject=" ", body="", audience="everyone")
    assert refused.value.message_dict == {
        "audience": ["Choose who receives the mail."],
        "subject": ["Give the mail a subject."],
        "body": ["Write the message."],
    }
    assert EventMailing.objects.count() == 0
    assert mail.outbox == []


def test_an_empty_audience_is_refused(staff):
    event = EventFactory()
    RegistrationFactory(event=event)
    with pytest.raises(ValidationError) as refused:
        mailing_send(
            actor=staff, event=event, subject="Merci", body="Merci !", audience="checked_in"
        )
    assert refused.value.message_dict == {
        "audience": ["Nobody in this audience has an e-mail address."]
    }
    assert EventMailing.objects.count() == 0


def test_only_staff_write_to_registrants(member, event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        mailing_send(actor=member, event=event, subject="Spam", body="Spam", audience="all")
    assert EventMailing.objects.count() == 0
    assert mail.outbox == []
