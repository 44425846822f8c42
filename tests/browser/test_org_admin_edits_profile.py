import re

from playwright.sync_api import expect

from tests.browser.helpers import log_in


def test_org_admin_edits_the_description_and_sees_it_on_the_profile(page, org_admin, member_org):
    # given the administrator of a member organisation, logged in
    log_in(page, org_admin)
    # when they edit the French description of their organisation and save
    page.goto(page.base + f"/members/organisations/{member_org.slug}/")
    page.fill("textarea[name=description_fr]", "Nous fabriquons des lasers à fibre femtoseconde.")
    page.get_by_role("button", name="Enregistrer la fiche").click()
    expect(page.locator(".message.success")).to_be_visible()
    # then the public profile shows the new description
    page.goto(page.base + f"/directory/{member_org.slug}/")
    expect(page.get_by_text("Nous fabriquons des lasers à fibre femtoseconde.")).to_be_visible()
    member_org.refresh_from_db()
    assert member_org.description_fr == "Nous fabriquons des lasers à fibre femtoseconde."
    assert re.search(r"/directory/", page.url)
