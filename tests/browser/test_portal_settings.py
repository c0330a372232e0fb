"""The client portal's settings page (admins) in a real Chromium: the portal's address, the logo
the portal then shows, the confirm/reopen window, and the service's reasons in Russian."""
from tests.browser.portal_pages import portal_sign_in
from tests.integration.suite_process import ADMIN_PASSWORD
from tests.portal_world import made, world  # noqa: F401  (the fixture)

LOGO = "https://cdn.example/logo.png"


def test_an_admin_sets_the_portals_logo_and_window(browser, world):
    browser.sign_in(world.slug, f"admin@{world.slug}.example", ADMIN_PASSWORD)
    browser.wait_for("header.topbar")
    browser.open("/settings/portal")
    assert browser.find("a[data-portal]").text.endswith(f"/p/{world.slug}/")
    browser.find("#field-portal_logo_url").send_keys("http://insecure.example/logo.png")
    browser.click_through("form[action='/settings/portal'] button")
    assert "https://" in browser.text(".reason[data-field=portal_logo_url]")
    field = browser.find("#field-portal_logo_url")
    field.clear()
    field.send_keys(LOGO)
    days = browser.find("#field-portal_reopen_days")
    days.clear()
    days.send_keys("14")
    browser.click_through("form[action='/settings/portal'] button")
    assert browser.find(".notice[role=status]")
    settings = made(world.admin.get("/api/v1/account"), 200)["settings"]
    assert settings["portal_logo_url"] == LOGO and settings["portal_reopen_days"] == 14
    browser.click_through("header.topbar form button")  # sign out of the console
    portal_sign_in(browser, world, "a_own")
    assert browser.wait_for(".portal-brand img").get_attribute("src") == LOGO
