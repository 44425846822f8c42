import re

from playwright.sync_api import expect

from grappe.events.models import PriceCategory, Registration, RegistrationStatus
from grappe.events.services.registrations import registration_create
from grappe.events.tests.factories import EventFactory, ticket_of
from grappe.members.tests.factories import PersonFactory, UserFactory
from tests.browser.helpers import log_in

S = RegistrationStatus


def _someone(first_name: str):
    user = UserFactory(first_name=first_name)
    PersonFactory(user=user, email=user.email, first_name=first_name)
    return user


def _register(user, event) -> Registration:
    return registration_create(
        actor=user,
        event=event,
        person=user.person,
        ticket=ticket_of(event, PriceCategory.NON_MEMBER),
    )


def test_a_member_takes_the_last_seat_cancels_and_the_waitlist_moves_on(
    page, member, member_org, mailoutbox
):
    # given an event of 2 seats, one already taken
    event = EventFactory(title_fr="Journée lasers", capacity=2)
    _register(_someone("Paul"), event)
    mailoutbox.clear()
    # when the member registers on the member ticket through the pages
    log_in(page, member)
    page.goto(page.base + event.get_absolute_url())
    expect(page.get_by_text("1 place restante")).to_be_visible()
    page.get_by_role("link", name="S'inscrire").click()
    page.get_by_role("radio", name=re.compile(r"Adhérent – 90,00")).check()
    page.get_by_role("button", name="S'inscrire").click()
    # then their ticket page shows the QR code, and the mail carries the QR code and the .ics
    expect(page.locator(".message.success")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("QR code du billet"))).to_be_visible()
    mine = Registration.objects.get(event=event, person=member.person)
    assert (mine.status, mine.amount) == (S.CONFIRMED, 90)
    (confirmation,) = mailoutbox
    assert confirmation.to == [member.email]
    assert [(name, kind) for name, _content, kind in confirmation.attachments] == [
        (f"ticket-{mine.code}.png", "image/png"),
        (f"{event.slug}.ics", "text/calendar"),
    ]
    # and the next person to register joins the waitlist
    claire = _someone("Claire")
    waiting = _register(claire, event)
    assert waiting.status == S.WAITLISTED
    # when the member cancels from the ticket page
    page.get_by_role("button", name="Annuler l'inscription").click()
    expect(page.locator(".message.success")).to_have_text("L'inscription est annulée.")
    # then the first on the waitlist is offered the seat by mail
    waiting.refresh_from_db()
    assert waiting.status == S.OFFERED
    assert [m.to for m in mailoutbox[-2:]] == [[member.email], [claire.email]]
    assert mailoutbox[-1].subject == "Une place s'est libérée pour vous : Journée lasers"
    # and confirms it from her ticket page
    page.context.clear_cookies()
    log_in(page, claire)
    page.goto(page.base + f"/events/registrations/{waiting.pk}/")
    page.get_by_role("button", name="Confirmer ma place").click()
    expect(page.locator(".message.success")).to_be_visible()
    waiting.refresh_from_db()
    assert waiting.status == S.CONFIRMED
    assert len(mailoutbox[-1].attachments) == 2
