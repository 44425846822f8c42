from django.utils import timezone
from playwright.sync_api import expect

from grappe.members.models import Invoice, MembershipStatus
from grappe.members.tests.factories import MembershipFactory, OrganisationFactory, fee_schedule
from tests.browser.helpers import log_in


def test_staff_approve_a_membership_application(page, staff, mailoutbox):
    # given an application of this year from an organisation
    fee_schedule(timezone.localdate().year)
    applicant = OrganisationFactory(name="Candidate Laser", slug="candidate-laser")
    application = MembershipFactory(organisation=applicant, status=MembershipStatus.APPLIED)
    # when staff log in with their second factor and admit it from the applications page
    log_in(page, staff, totp_secret=staff.totp_secret)
    page.goto(page.base + "/staff/applications/")
    page.get_by_role("link", name="Candidate Laser").first.click()
    page.get_by_role("button", name="Admettre et envoyer la facture").click()
    # then the decision is shown, the membership is approved and its invoice issued
    expect(page.locator(".message.success")).to_be_visible()
    application.refresh_from_db()
    assert application.status == MembershipStatus.APPROVED
    assert Invoice.objects.filter(membership=application).count() == 1
