"""The staff event pages: wiring (each page renders, forms post to their service, refusals
show on the field), and the list pages' fixed number of queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from grappe.events.models import (
    Event,
    EventMailing,
    EventStatus,
    PriceCategory,
    RegistrationStatus,
)
from grappe.events.tests.factories import (
    EventFactory,
    MissionFactory,
    PavilionFactory,
    RegistrationFactory,
)
from grappe.members.models import Person
from grappe.members.tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"events_staff:{name}", args=args)


def local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def staff_client(login, staff):
    return login(staff)


@pytest.fixture
def event():
    return EventFactory()


def test_every_page_of_an_event_renders_for_staff(staff_client, event):
    # given a published event with a registration, a question and a programme item
    registration = RegistrationFactory(event=event)
    question = event.questions.create(label_fr="Régime", kind="text")
    item = event.programme.create(kind="talk", title_fr="Ouverture", starts_at=event.starts_at)
    ticket = event.tickets.first()
    price = ticket.prices.first()
    pages = [
        url("list"), url("create"), url("statistics"), url("detail", event.pk),
        url("edit", event.pk), url("cancel", event.pk), url("tickets", event.pk),
        url("ticket_edit", event.pk, ticket.pk), url("price_create", event.pk, ticket.pk),
        url("price_edit", event.pk, price.pk), url("questions", event.pk),
        url("question_edit", event.pk, question.pk), url("programme", event.pk),
        url("programme_edit", event.pk, item.pk), url("attendees", event.pk),
        url("attendee_register", event.pk), url("attendee_cancel", event.pk, registration.pk),
        url("mailing", event.pk), url("check_in", event.pk),
    ]  # fmt: skip
    # when staff open each page, then it answers 200
    for page in pages:
        response = staff_client.get(page)
        assert response.status_code == 200, page


def test_a_row_of_another_event_is_not_found(staff_client, event):
    other = EventFactory()
    ticket = other.tickets.first()
    assert staff_client.get(url("ticket_edit", event.pk, ticket.pk)).status_code == 404
    assert staff_client.get(url("pavilion", event.pk)).status_code == 404
    assert staff_client.get(url("mission", event.pk)).status_code == 404


def test_staff_create_an_event_through_the_form(staff_client):
    # given the new event form
    start = timezone.now() + dt.timedelta(days=20)
    data = {
        "kind": "workshop", "visibility": "public", "title_fr": "Atelier optique",
        "summary_fr": "Un atelier.", "starts_at": local(start),
        "ends_at": local(start + dt.timedelta(hours=3)), "time_zone": "Europe/Paris",
        "country": "FR", "city": "Marseille", "offer_hours": "48", "pricing_basis": "cost",
    }  # fmt: skip
    # when staff post it
    response = staff_client.post(url("create"), data)
    # then the draft exists and they land on its page
    event = Event.objects.get(title_fr="Atelier optique")
    assert response.status_code == 302
    assert response["Location"] == url("detail", event.pk)
    assert event.status == EventStatus.DRAFT
    assert timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M") == local(start)


def test_times_are_typed_in_the_events_time_zone(staff_client):
    # given a mission in Tokyo typed as 9:00 to 18:00 local time
    data = {
        "kind": "trade_mission", "visibility": "public", "title_fr": "Mission Japon",
        "starts_at": "2031-04-07T09:00", "ends_at": "2031-04-11T18:00",
        "time_zone": "Asia/Tokyo", "country": "JP", "city": "Tokyo", "offer_hours": "48",
        "pricing_basis": "cost",
    }  # fmt: skip
    staff_client.post(url("create"), data)
    # then the stored instant is 9:00 in Tokyo (0:00 UTC), and the edit form shows 09:00
    event = Event.objects.get(title_fr="Mission Japon")
    assert event.starts_at == dt.datetime(2031, 4, 7, 0, 0, tzinfo=dt.UTC)
    page = staff_client.get(url("edit", event.pk)).content.decode()
    assert 'value="2031-04-07T09:00"' in page


def test_a_refused_event_shows_the_reason_next_to_the_field(staff_client):
    data = {
        "kind": "workshop", "visibility": "public", "title_fr": "Atelier",
        "starts_at": "2031-05-07T09:00", "ends_at": "2031-05-06T18:00",
        "time_zone": "Europe/Paris", "country": "FR", "offer_hours": "48",
        "pricing_basis": "cost",
    }  # fmt: skip
    response = staff_client.post(url("create"), data)
    assert response.status_code == 400
    assert response.context["form"].errors["ends_at"] == [
        "L'événement ne peut pas finir avant de commencer."
    ]
    assert Event.objects.count() == 0


def test_publish_and_its_refusal(staff_client):
    # given a draft missing its summary, then complete
    event = EventFactory(status=EventStatus.DRAFT, published_at=None, summary_fr="",
                         pricing_note_fr="Les cotisations financent la journée.")  # fmt: skip
    response = staff_client.post(url("publish", event.pk), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Rédigez un résumé en français : le calendrier l'affiche."
    ]
    event.summary_fr = "Une journée."
    event.save()
    staff_client.post(url("publish", event.pk))
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED


def test_cancel_calls_the_registration_core_and_tells_registrants(
    staff_client, event, django_capture_on_commit_callbacks
):
    registration = RegistrationFactory(event=event)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url("cancel", event.pk), {"reason": "Salle indisponible"})
    assert response.status_code == 302
    event.refresh_from_db()
    registration.refresh_from_db()
    assert (event.status, registration.status) == (
        EventStatus.CANCELLED,
        RegistrationStatus.CANCELLED,
    )
    assert [m.to for m in mail.outbox] == [[registration.person.email]]


def test_price_list_pages_post_to_their_services(staff_client, event):
    # when staff add a student ticket, then a price with a refused overlap, then a good one
    staff_client.post(url("tickets", event.pk), {"category": "student", "position": "5"})
    ticket = event.tickets.get(category=PriceCategory.STUDENT)
    refused = staff_client.post(
        url("price_create", event.pk, ticket.pk),
        {"amount": "20", "vat_rate": "20", "valid_until": "2031-01-10"},
    )
    staff_client.post(
        url("price_create", event.pk, ticket.pk),
        {"amount": "30", "vat_rate": "20", "valid_from": "2031-01-11"},
    )
    overlapping = staff_client.post(
        url("price_create", event.pk, ticket.pk),
        {"amount": "25", "vat_rate": "20", "valid_from": "2031-01-05"},
    )
    # then the overlap is shown on its field and only two prices exist
    assert refused.status_code == 302
    assert overlapping.status_code == 400
    assert overlapping.context["form"].errors["valid_from"] == [
        "Ces dates chevauchent un autre prix du même billet (… – 2031-01-10)."
    ]
    assert [p.amount for p in ticket.prices.order_by("pk")] == [Decimal("20.00"), Decimal("30.00")]


def test_delete_a_ticket_with_registrations_is_refused_with_a_message(staff_client, event):
    registration = RegistrationFactory(event=event)
    response = staff_client.post(
        url("ticket_delete", event.pk, registration.ticket.pk), follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Des personnes sont inscrites sur ce billet : il ne peut pas être supprimé."
    ]
    assert event.tickets.count() == 4


def test_questions_and_programme_are_added(staff_client, event):
    staff_client.post(
        url("questions", event.pk),
        {"label_fr": "Atelier", "kind": "choice", "choices_fr": "Matin\nSoir", "position": "0"},
    )
    start = timezone.localtime(event.starts_at)
    staff_client.post(
        url("programme", event.pk),
        {"kind": "talk", "title_fr": "Ouverture", "starts_at": start.strftime("%Y-%m-%dT%H:%M")},
    )
    assert [q.options for q in event.questions.all()] == [[("Matin", "Matin"), ("Soir", "Soir")]]
    assert event.programme.get().starts_at == start


def test_attendee_list_filters_and_queries(staff_client, event, django_assert_max_num_queries):
    # given 30 registrations of various statuses
    organisation = OrganisationFactory(name="Photon Lyon")
    for n in range(25):
        RegistrationFactory(
            event=event, person__last_name=f"Martin{n:02d}", organisation=organisation
        )
    RegistrationFactory.create_batch(
        5, event=event, status=RegistrationStatus.CANCELLED, cancelled_at=timezone.now()
    )
    # when staff open the list (and search)
    with django_assert_max_num_queries(14):
        response = staff_client.get(url("attendees", event.pk))
    searched = staff_client.get(url("attendees", event.pk), {"q": "martin07"})
    cancelled = staff_client.get(url("attendees", event.pk), {"status": "cancelled"})
    # then the counts are fixed whatever the volume
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 25
    assert [r.person.last_name for r in searched.context["page"]] == ["Martin07"]
    assert cancelled.context["page"].paginator.count == 5


def test_event_list_queries_do_not_grow(staff_client, django_assert_max_num_queries):
    for _n in range(12):
        RegistrationFactory.create_batch(2, event=EventFactory())
    with django_assert_max_num_queries(10):
        response = staff_client.get(url("list"))
    assert len(response.context["page"].object_list) == 12


def test_staff_register_a_known_person_on_an_invitation_ticket(
    staff_client, event, django_capture_on_commit_callbacks
):
    # given a speaker known to the platform
    speaker = PersonFactory(email="intervenante@example.org")
    guest = event.tickets.get(category=PriceCategory.GUEST)
    # when staff register her on the guest ticket
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            url("attendee_register", event.pk),
            {"email": "Intervenante@example.org", "ticket": guest.pk, "language": "fr"},
        )
    # then she is confirmed and receives her ticket
    assert response.status_code == 302
    registration = event.registrations.get()
    assert (registration.person, registration.status, registration.ticket) == (
        speaker, RegistrationStatus.CONFIRMED, guest,
    )  # fmt: skip
    assert [m.to for m in mail.outbox] == [["intervenante@example.org"]]


def test_staff_register_a_new_person_with_an_organisation(staff_client, event, member_org):
    # when staff register someone unknown, for a member organisation, on the member ticket
    member_ticket = event.tickets.get(category=PriceCategory.MEMBER)
    response = staff_client.post(
        url("attendee_register", event.pk),
        {"email": "nouveau@example.org", "first_name": "Noé", "last_name": "Durand",
         "ticket": member_ticket.pk, "organisation": member_org.pk, "language": "fr"},
    )  # fmt: skip
    # then the person is recorded as a contact and registered at the member price
    assert response.status_code == 302
    person = Person.objects.get(email="nouveau@example.org")
    registration = event.registrations.get(person=person)
    assert (registration.organisation, registration.amount) == (member_org, Decimal("90.00"))


def test_registering_someone_unknown_needs_a_name(staff_client, event):
    response = staff_client.post(
        url("attendee_register", event.pk),
        {"email": "nouveau@example.org", "ticket": event.tickets.first().pk, "language": "fr"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["first_name"] == [
        "Personne n'a encore cette adresse : donnez le nom pour enregistrer la personne."
    ]
    assert not Person.objects.filter(email="nouveau@example.org").exists()


def test_staff_cancel_a_registration_at_any_time(staff_client, event):
    registration = RegistrationFactory(event=event)
    response = staff_client.post(
        url("attendee_cancel", event.pk, registration.pk), {"reason": "Doublon"}
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.status, registration.cancel_reason) == (
        RegistrationStatus.CANCELLED, "Doublon",
    )  # fmt: skip


def test_mail_page_sends_and_records(staff_client, event, django_capture_on_commit_callbacks):
    RegistrationFactory.create_batch(2, event=event)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            url("mailing", event.pk),
            {"audience": "confirmed", "subject": "Plan d'accès", "body": "Le plan est joint."},
        )
    assert response.status_code == 302
    assert EventMailing.objects.get().recipients == 2
    assert len(mail.outbox) == 2


def test_statistics_page_for_a_year(staff_client, django_assert_max_num_queries):
    for _n in range(5):
        RegistrationFactory.create_batch(2, event=EventFactory())
    with django_assert_max_num_queries(12):
        response = staff_client.get(url("statistics"), {"year": timezone.localdate().year})
    assert response.status_code == 200


def test_fair_and_mission_staff_pages_render(staff_client):
    pavilion = PavilionFactory()
    mission = MissionFactory()
    for page in [
        url("pavilion", pavilion.event.pk), url("booth_create", pavilion.event.pk),
        url("mission", mission.event.pk),
    ]:  # fmt: skip
        assert staff_client.get(page).status_code == 200, page


def test_a_member_is_refused_the_staff_pages(login, member, event):
    client = login(member)
    assert client.get(url("list")).status_code == 403
    assert client.get(url("attendees", event.pk)).status_code == 403


def test_the_back_office_links_to_the_events(staff_client):
    page = staff_client.get(reverse("backoffice:home")).content.decode()
    assert f'href="{url("list")}"' in page


# --- The Django admin ------------------------------------------------------------------------


def test_every_events_model_has_an_admin_page(staff_client):
    # given one row of each model
    from grappe.events.tests.factories import ExhibitorApplicationFactory, MissionApplicationFactory

    RegistrationFactory()
    ExhibitorApplicationFactory()
    MissionApplicationFactory()
    models = [
        "event", "ticketcategory", "price", "question", "programmeitem", "eventmailing",
        "registration", "pavilion", "booth", "exhibitorapplication", "mission",
        "missionapplication",
    ]  # fmt: skip
    # then each list and each first row's page opens
    for model in models:
        response = staff_client.get(reverse(f"admin:events_{model}_changelist"))
        assert response.status_code == 200, model
    application = ExhibitorApplicationFactory()
    page = staff_client.get(
        reverse("admin:events_exhibitorapplication_change", args=[application.pk])
    )
    assert page.status_code == 200


def test_an_event_edited_in_the_admin_goes_through_the_service(staff_client):
    from grappe.core.audit import audit_for

    event = EventFactory(status=EventStatus.DRAFT, published_at=None, capacity=50)
    page = staff_client.get(reverse("admin:events_event_change", args=[event.pk]))
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.pop("image", None)
    for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at",
                 "cancellation_deadline"):  # fmt: skip
        value = getattr(event, name)
        data.pop(name, None)
        if value:
            local_value = timezone.localtime(value)
            data[f"{name}_0"], data[f"{name}_1"] = (
                f"{local_value:%Y-%m-%d}",
                f"{local_value:%H:%M:%S}",
            )
    data.update({"capacity": "2", "tickets-TOTAL_FORMS": "4", "tickets-INITIAL_FORMS": "4",
                 "programme-TOTAL_FORMS": "0", "programme-INITIAL_FORMS": "0"})  # fmt: skip
    data = {k: v for k, v in data.items() if not isinstance(v, list) or v}
    response = staff_client.post(reverse("admin:events_event_change", args=[event.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event.refresh_from_db()
    assert event.capacity == 2
    assert audit_for(event).get().action == "event.update"


def test_the_admin_publishes_through_the_service(staff_client):
    event = EventFactory(status=EventStatus.DRAFT, published_at=None,
                         pricing_note_fr="Les cotisations.")  # fmt: skip
    staff_client.post(
        reverse("admin:events_event_changelist"),
        {"action": "publish_events", "_selected_action": [event.pk]},
    )
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
