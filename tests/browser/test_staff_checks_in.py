from playwright.sync_api import expect

from grappe.events.tests.factories import EventFactory, RegistrationFactory
from grappe.members.tests.factories import OrganisationFactory
from tests.browser.helpers import log_in


def test_staff_check_in_a_person_by_typing_the_ticket_code(page, staff):
    # given an event with a confirmed registration for an organisation
    event = EventFactory(title_fr="Journée lasers")
    registration = RegistrationFactory(
        event=event, code="K7M2Q9XR", person__first_name="Léa", person__last_name="Arnaud",
        organisation=OrganisationFactory(name="Photon Nice"),
    )  # fmt: skip
    # when staff log in with their second factor, open the check-in page and type the code
    log_in(page, staff, totp_secret=staff.totp_secret)
    page.goto(page.base + f"/staff/events/{event.pk}/check-in/")
    page.get_by_label("Code du billet").fill("k7m2q9xr")
    page.keyboard.press("Enter")
    # then the page says who came in, counts them and lists them; the field is ready again
    result = page.locator(".check-result.ok")
    expect(result).to_contain_text("Léa Arnaud")
    expect(result).to_contain_text("Photon Nice")
    expect(page.get_by_role("heading", name="1 entrés, sur 1 confirmés")).to_be_visible()
    expect(page.get_by_label("Code du billet")).to_have_value("")
    expect(page.get_by_label("Code du billet")).to_be_focused()
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
