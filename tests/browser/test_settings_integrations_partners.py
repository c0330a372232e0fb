"""Partner links in a real Chromium: one account invites (the code shown once), another accepts
it on its own page, changes its sharing rules, pauses, resumes and revokes the link; reasons in
Russian; another account's link is 404."""
import uuid

from selenium.webdriver.support.ui import Select

from tests.browser.page_moves import fill, sign_in_admin


def test_a_partner_is_invited_accepted_ruled_paused_and_revoked(browser, suite, acme,
                                                                 screenshot):
    inviter, invitee = (f"{side}{uuid.uuid4().hex[:6]}" for side in ("maker", "partner"))
    suite.admin(inviter)  # the two accounts, each with its first admin
    partner = suite.admin(invitee)

    sign_in_admin(browser, inviter)
    browser.open("/settings")
    browser.click_through(".settings-pages a[href='/settings/partners']")
    fill(browser, "validity_days", "0")
    browser.click_through("form.invite button[type=submit]")
    assert browser.text(".reason[data-field=validity_days]") == "Должно быть от 1 до 30."
    fill(browser, "validity_days", "3")
    browser.click_through("form.invite button[type=submit]")
    code = browser.text("code.invitation-code")
    assert code and browser.text("code.invitation-url").startswith("http")
    assert "Приглашён" in browser.text("table.links")
    screenshot("partners-invited-desktop")

    sign_in_admin(browser, invitee)
    browser.open("/settings/partners")
    fill(browser, "code", "not a code")
    browser.click_through("form.accept button[type=submit]")
    assert browser.text(".reason[data-field=code]") == "Это не код приглашения."
    fill(browser, "code", code)
    browser.click_through("form.accept button[type=submit]")
    link_id = browser.driver.current_url.rsplit("/", 1)[1]
    assert browser.text("h1") == f"Сервисная компания {inviter}"
    assert browser.find(".facts .badge").get_attribute("data-state") == "active"

    # This side's rules: no description out, the contact's name out, "held" taken as in progress.
    browser.find("input[name=outgoing_fields][value=description]").click()
    browser.find("input[name=personal_data][value=contact_name]").click()
    Select(browser.find("select[name='status_map-held']")).select_by_value("in_progress")
    browser.click_through("form.rules button[type=submit]")
    assert browser.text(".notice") == "Сохранено."
    rules = partner.get(f"/api/v1/partner-links/{link_id}").json()["rules"]
    assert "description" not in rules["outgoing"]["fields"] and "title" in rules["outgoing"]["fields"]
    assert rules["outgoing"]["personal_data"] == ["contact_name"]
    assert rules["incoming"]["status_map"]["held"] == "in_progress"
    assert browser.find("input[name=outgoing_fields][value=description]").is_selected() is False
    screenshot("partners-link-desktop")
    with browser.phone():
        screenshot("partners-link-phone")

    for target in ("paused", "active", "revoked"):
        browser.click_through(f"button[data-state={target}]")
        assert browser.find(".facts .badge").get_attribute("data-state") == target
    assert not browser.find_all(".settings-head .actions button")  # revoked is final
    assert partner.get(f"/api/v1/partner-links/{link_id}").json()["state"] == "revoked"

    # Another account's link is a 404 page, as on the API.
    sign_in_admin(browser, "acme")
    browser.open(f"/settings/partners/{link_id}")
    assert browser.find("section.error").get_attribute("data-status") == "404"
    assert acme.get(f"/api/v1/partner-links/{link_id}").status_code == 404
