def test_home_page_renders_in_chromium(page, db):
    page.goto(page.base + "/")
    assert page.locator("h1").count() == 1
    assert page.locator("html").get_attribute("lang") == "fr"
