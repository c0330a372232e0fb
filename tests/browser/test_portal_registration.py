"""A new request on the portal in a real Chromium: the contact picks among their own company's
sites and equipment only, sees knowledge-base suggestions while typing ("this solved it" is a
deflection), and on uncovered equipment is told before sending that the visit is paid, at what
price, and accepts it or withdraws (docs/portal.md)."""
import re

import requests
from selenium.webdriver.support.ui import Select

from tests.browser.portal_pages import axe_violations, checked_at_phone_size, portal_sign_in
from tests.portal_world import PASSWORD, made, other, world  # noqa: F401  (fixtures)


def options(browser, name):
    return browser.driver.execute_script(
        "return Array.from(document.querySelectorAll(`select[name=${arguments[0]}] option`),"
        " o => o.value).filter(Boolean)", name)


def verdict(browser):
    return browser.driver.execute_script(
        "const v = document.querySelector('[data-verdict]');"
        " return v ? [v.dataset.action, v.dataset.checked] : null")


def choose_item(browser, item_id):
    Select(browser.find("select[name=equipment_id]")).select_by_value(item_id)
    browser.wait_until(lambda: (verdict(browser) or [None, ""])[1].endswith(item_id))


def tickets_of(world, key):
    return {t["id"] for t in made(world.contacts[key].get("/api/v1/tickets"), 200)["items"]}


def test_uncovered_equipment_is_announced_as_a_paid_visit_which_the_client_accepts(browser, world, screenshot):
    with browser.phone():
        portal_sign_in(browser, world, "a_own")
        browser.open(f"/p/{world.slug}/new")
        browser.wait_for("select[name=site_id]")
        assert set(options(browser, "site_id")) == {world.ids["site_a1"], world.ids["site_a2"]}
        assert set(options(browser, "equipment_id")) == {world.ids["item_a1"], world.ids["item_a2"]}
        browser.find("#field-title").send_keys("Турникет скрипит")
        browser.wait_for(".suggestions li")  # the knowledge base answers while typing
        choose_item(browser, world.ids["item_a2"])
        assert verdict(browser)[0] == "paid_work"
        assert "2 500,00 ₽" in browser.text(".verdict").replace("\xa0", " ")
        assert checked_at_phone_size(browser) == []
        assert axe_violations(browser) == []
        screenshot("portal-new-paid-phone")
        browser.click_through("button[name=send]")
        assert "отметьте" in browser.text(".reason[data-field=paid_accepted]")
        browser.find("input[name=paid_accepted]").click()
        browser.click_through("button[name=send]")
        assert "/requests/" in browser.driver.current_url
        assert "Платный выезд" in browser.text("main")
        screenshot("portal-new-sent-phone")
    ticket_id = browser.driver.current_url.rsplit("/", 1)[1]
    ticket = made(world.admin.get(f"/api/v1/tickets/{ticket_id}"), 200)
    assert ticket["channel"] == "portal" and ticket["billing"] == "paid_one_off"
    assert ticket["equipment_id"] == world.ids["item_a2"] and ticket["contact_id"] == world.ids["a_own"]


def test_covered_equipment_is_free_and_sent_at_once(browser, world):
    portal_sign_in(browser, world, "a_company")
    browser.open(f"/p/{world.slug}/new?equipment_id={world.ids['item_a1']}")
    browser.wait_for("[data-verdict]")
    assert verdict(browser)[0] == "accept" and "бесплатны" in browser.text(".verdict")
    assert not browser.find_all("input[name=paid_accepted]") and not browser.find_all("button[name=withdraw]")
    browser.find("#field-title").send_keys("Не горит индикатор")
    browser.click_through("button[name=send]")
    assert "/requests/" in browser.driver.current_url


def test_withdrawing_sends_nothing(browser, world):
    before = tickets_of(world, "a_own")
    portal_sign_in(browser, world, "a_own")
    browser.open(f"/p/{world.slug}/new?equipment_id={world.ids['item_a2']}")
    browser.wait_for("[data-verdict]")
    browser.find("#field-title").send_keys("Скрипит дверь")
    browser.click_through("button[name=withdraw]")
    assert browser.find("[data-outcome=withdrawn]")
    assert tickets_of(world, "a_own") == before


def test_another_clients_or_accounts_equipment_is_never_offered_or_accepted(browser, world, other):
    portal_sign_in(browser, world, "a_own")
    for foreign in (world.ids["item_b1"], other.ids["item_a1"]):
        browser.open(f"/p/{world.slug}/new?equipment_id={foreign}")
        browser.wait_for("select[name=equipment_id]")
        assert foreign not in options(browser, "equipment_id")
        assert browser.driver.execute_script(
            "return document.querySelector('select[name=equipment_id]').value") == ""
    browser.open(f"/p/{world.slug}/new?site_id={world.ids['site_b1']}")
    assert world.ids["site_b1"] not in options(browser, "site_id")


def test_this_solved_it_records_a_deflection(browser, world):
    before = made(world.admin.get("/api/v1/kb/reports/deflection"), 200)["total"]["deflected"]
    with browser.phone():
        portal_sign_in(browser, world, "a_company")
        browser.open(f"/p/{world.slug}/new")
        browser.wait_for("#field-title").send_keys("турникет скрипит")
        browser.wait_for(f".suggestions li[data-article='{world.ids['article']}'] a")
        browser.click_through(f".suggestions li[data-article='{world.ids['article']}'] a")
        assert "Турникет скрипит" in browser.text("h1")
        browser.click_through("#solved button")
        assert browser.find("[data-outcome=solved]")
    after = made(world.admin.get("/api/v1/kb/reports/deflection"), 200)["total"]["deflected"]
    assert after == before + 1


def test_the_form_works_without_javascript(world, suite):
    """What a browser with JavaScript off sends: the "check" button shows the conditions, a paid
    request without consent is refused (409) with the reason, with consent it is sent."""
    import re

    import requests
    from tests.portal_world import PASSWORD
    http = requests.Session()
    page = http.get(f"{suite.url}/p/{world.slug}/login", timeout=10).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    signed = http.post(f"{suite.url}/p/{world.slug}/login", timeout=10, allow_redirects=False, data={
        "csrf_token": token, "login": world.emails["a_own"], "password": PASSWORD})
    assert signed.status_code == 303
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      http.get(f"{suite.url}/p/{world.slug}/new", timeout=10).text)[1]
    form = {"csrf_token": token, "title": "Не работает турникет", "equipment_id": world.ids["item_a2"]}
    checked = http.post(f"{suite.url}/p/{world.slug}/new", data=dict(form, check="1"), timeout=10)
    assert checked.status_code == 200 and 'data-action="paid_work"' in checked.text
    refused = http.post(f"{suite.url}/p/{world.slug}/new", data=dict(form, send="1"), timeout=10)
    assert refused.status_code == 409 and 'data-field="paid_accepted"' in refused.text
    sent = http.post(f"{suite.url}/p/{world.slug}/new", data=dict(form, send="1", paid_accepted="yes"),
                     timeout=10, allow_redirects=False)
    assert sent.status_code == 303 and "/requests/" in sent.headers["Location"]
    forged = http.post(f"{suite.url}/p/{world.slug}/new", timeout=10, allow_redirects=False,
                       data={k: v for k, v in form.items() if k != "csrf_token"})
    assert forged.status_code == 400  # no CSRF token, nothing sent
