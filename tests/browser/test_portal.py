"""The client portal in a real Chromium, at phone and desktop sizes: sign-in at the account's
own address, a contact with "own" and one with "company" access see exactly their requests,
another client's or account's ids are 404, the request page shows the public timeline only and
takes a reply, a confirmation and a rating; the portal's pages fit a 360 px phone with 44 px
touch targets, stay under 150 KB and pass axe-core (docs/portal.md)."""
import re

import requests

from tests.browser.portal_pages import (PAGE_BUDGET, axe_violations, checked_at_phone_size,
                                        page_weight, portal_sign_in)
from tests.portal_world import made, other, world  # noqa: F401  (fixtures)


def listed(browser):
    return set(browser.driver.execute_script(
        "return Array.from(document.querySelectorAll('[data-ticket]'), e => e.dataset.ticket)"))


def test_the_portal_shows_the_accounts_name_before_sign_in_and_an_unknown_one_is_404(browser, world, screenshot):
    with browser.phone():
        browser.open(f"/p/{world.slug}/")
        browser.wait_for("input[name=login]")
        assert f"Сервисная компания {world.slug}" in browser.text(".portal-brand")
        assert browser.find("html").get_attribute("lang") == "ru"
        assert checked_at_phone_size(browser) == []
        assert axe_violations(browser) == []
        screenshot("portal-login-phone")
    browser.open("/p/no-such-account/")
    assert browser.wait_for("section.error").get_attribute("data-status") == "404"


def test_a_wrong_password_is_refused_in_russian_and_the_login_is_kept(browser, world):
    browser.open(f"/p/{world.slug}/login")
    browser.wait_for("input[name=login]").send_keys(world.emails["a_own"])
    browser.find("input[name=password]").send_keys("wrong-password-1")
    browser.click_through("form[action*='/login'] button[type=submit]")
    assert "Неверная организация, логин или пароль" in browser.text(".alert")
    assert browser.find("input[name=login]").get_attribute("value") == world.emails["a_own"]


def test_an_own_contact_sees_their_requests_and_not_a_colleagues(browser, world, screenshot):
    with browser.phone():
        portal_sign_in(browser, world, "a_own")
        browser.wait_for(".requests")
        shown = listed(browser)
        assert world.ids["ticket_a_own"] in shown
        assert world.ids["ticket_a_company"] not in shown and world.ids["ticket_b_company"] not in shown
        assert checked_at_phone_size(browser) == []
        assert page_weight(browser) < PAGE_BUDGET
        assert axe_violations(browser) == []
        screenshot("portal-requests-phone")
        browser.open(f"/p/{world.slug}/requests/{world.ids['ticket_a_company']}")
        assert browser.wait_for("section.error").get_attribute("data-status") == "404"
        assert browser.find(".portal-brand")  # the portal's layout, not the console's


def test_a_company_contact_sees_the_whole_company_but_not_another_client(browser, world):
    portal_sign_in(browser, world, "a_company")
    browser.wait_for(".requests")
    shown = listed(browser)
    assert {world.ids["ticket_a_own"], world.ids["ticket_a_company"]} <= shown
    assert world.ids["ticket_b_company"] not in shown
    browser.open(f"/p/{world.slug}/requests/{world.ids['ticket_b_company']}")
    assert browser.wait_for("section.error").get_attribute("data-status") == "404"


def test_another_accounts_portal_and_ids_are_404_to_a_contact(browser, world, other):
    portal_sign_in(browser, world, "a_company")
    browser.wait_for(".requests")
    for path in (f"/p/{other.slug}/", f"/p/{other.slug}/requests/{other.ids['ticket_a_company']}",
                 f"/p/{world.slug}/requests/{other.ids['ticket_a_company']}",
                 f"/p/{world.slug}/kb/articles/{other.ids['article']}"):
        browser.open(path)
        assert browser.wait_for("section.error").get_attribute("data-status") == "404", path


def test_a_page_without_a_session_leads_to_the_portals_sign_in_and_back(browser, world):
    target = f"/p/{world.slug}/requests/{world.ids['ticket_a_own']}"
    browser.open(target)
    browser.wait_for("input[name=login]")
    assert f"/p/{world.slug}/login" in browser.driver.current_url
    browser.find("input[name=login]").send_keys(world.emails["a_own"])
    browser.find("input[name=password]").send_keys("Portal-password-2026")
    browser.click_through("form[action*='/login'] button[type=submit]")
    assert browser.driver.current_url.endswith(target)


def test_an_employee_is_not_let_in_and_keeps_the_console(browser, world):
    browser.open(f"/p/{world.slug}/login")
    browser.wait_for("input[name=login]").send_keys(f"admin@{world.slug}.example")
    browser.find("input[name=password]").send_keys("Admin-password-2026")
    browser.click_through("form[action*='/login'] button[type=submit]")
    assert browser.wait_for(".alert").text.startswith("Это клиентский портал")


def resolved(world):
    ticket = made(world.contacts["a_company"].post("/api/v1/tickets", json={
        "title": "Турникет скрипит на проходной", "channel": "portal"}))
    made(world.admin.post(f"/api/v1/tickets/{ticket['id']}/comments", json={
        "body": "Внутреннее: заменить плату за счёт гарантии", "visibility": "internal"}))
    made(world.admin.post(f"/api/v1/tickets/{ticket['id']}/answers", json={
        "article_id": world.ids["article"]}))
    made(world.admin.post(f"/api/v1/tickets/{ticket['id']}/status", json={"status": "resolved"}), 200)
    return ticket


def test_the_request_page_shows_the_public_timeline_and_takes_a_reply_confirmation_and_rating(browser, world, screenshot):
    ticket = resolved(world)
    with browser.phone():
        portal_sign_in(browser, world, "a_company")
        browser.open(f"/p/{world.slug}/requests/{ticket['id']}")
        browser.wait_for("#timeline")
        page = browser.text("main")
        assert "Внутреннее" not in page and "Турникет скрипит и тяжело" in page
        # The console's article link in the answer opens this portal's article.
        link = browser.find(f".timeline a[href='/p/{world.slug}/kb/articles/{world.ids['article']}']")
        assert link
        assert checked_at_phone_size(browser) == []
        assert axe_violations(browser) == []
        screenshot("portal-request-phone")
        browser.find("textarea[name=body]").send_keys("Спасибо, сейчас проверим")
        browser.click_through("form[action$='/reply'] button")
        assert "Спасибо, сейчас проверим" in browser.text(".timeline")
        browser.click_through("button[name=confirm]")
        assert browser.find(".status").get_attribute("data-status") == "closed"
        browser.find(".stars label:nth-of-type(4)").click()
        browser.find("#rating-comment").send_keys("Быстро приехали")
        browser.click_through("form#rating button[type=submit]")
        assert browser.find("#rating").get_attribute("data-score") == "4"
        screenshot("portal-rated-phone")
    rating = made(world.admin.get(f"/api/v1/tickets/{ticket['id']}"), 200)["rating"]
    assert rating["score"] == 4 and rating["comment"] == "Быстро приехали"
    # The agent sees it on the console's ticket page.
    browser.click_through(".portal-foot form button")  # the contact signs out
    browser.sign_in(world.slug, f"admin@{world.slug}.example", "Admin-password-2026")
    browser.wait_for("header.topbar")
    browser.open(f"/tickets/{ticket['id']}")
    assert "Оценка клиента: 4 из 5" in browser.wait_for(".client-rating").text


def test_the_console_refuses_a_contact_politely_and_its_article_links_open_the_portal(browser, world):
    portal_sign_in(browser, world, "a_company")
    browser.wait_for(".requests")
    browser.open("/tickets")
    assert browser.wait_for("section.error").get_attribute("data-status") == "403"
    browser.open(f"/kb/articles/{world.ids['article']}")
    browser.wait_until(lambda: f"/p/{world.slug}/kb/articles/{world.ids['article']}" in browser.driver.current_url)
    assert "Турникет скрипит" in browser.text("h1")


def test_password_change_and_reset_with_an_admins_token(browser, world, suite):
    issued = made(world.admin.post(
        f"/api/v1/clients/{world.ids['client_b']}/contacts/{world.ids['b_own']}/password-reset"))
    browser.open(f"/p/{world.slug}/reset")
    browser.wait_for("input[name=token]").send_keys(issued["token"])
    browser.find("input[name=new_password]").send_keys("Reset-password-2026")
    browser.click_through("form[action$='/reset'] button")
    assert browser.find(".notice")
    portal_sign_in(browser, world, "b_own", password="Reset-password-2026")
    browser.wait_for(".portal-menu")
    browser.open(f"/p/{world.slug}/password")
    browser.wait_for("input[name=current_password]").send_keys("Reset-password-2026")
    browser.find("input[name=new_password]").send_keys("Portal-password-2026")
    browser.click_through("form[action$='/password'] button")
    assert browser.find(".notice[role=status]")
    browser.click_through(".portal-foot form button")  # sign out
    assert "/login" in browser.driver.current_url
    browser.open(f"/p/{world.slug}/")
    browser.wait_for("input[name=login]")


def test_a_used_reset_token_is_refused_beside_the_field(browser, world):
    browser.open(f"/p/{world.slug}/reset")
    browser.wait_for("input[name=token]").send_keys("x" * 30)
    browser.find("input[name=new_password]").send_keys("Reset-password-2026")
    browser.click_through("form[action$='/reset'] button")
    assert "попросите" in browser.text(".reason[data-field=token]")


def test_the_portal_is_an_installable_app(browser, world, suite):
    manifest = requests.get(f"{suite.url}/p/{world.slug}/manifest.webmanifest", timeout=10)
    assert manifest.headers["Content-Type"].startswith("application/manifest+json")
    body = manifest.json()
    assert body["start_url"] == f"/p/{world.slug}/" and body["display"] == "standalone"
    for icon in body["icons"]:
        png = requests.get(suite.url + icon["src"], timeout=10)
        assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
        size = int.from_bytes(png.content[16:20], "big")
        assert f"{size}x{size}" == icon["sizes"]
    browser.open(f"/p/{world.slug}/login")
    browser.wait_for("input[name=login]")
    scope = browser.driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        navigator.serviceWorker.ready.then(r => done(r.scope)).catch(e => done('failed ' + e));
    """)
    assert scope == f"{suite.url}/p/{world.slug}/"
    links = re.findall(r'(?:src|href)="([^"]+)"', browser.driver.page_source)
    assert links and all(link.startswith(("/", "#")) for link in links), links  # nothing from a CDN


def test_the_agents_reply_appears_on_the_open_request_page(browser, world, other):
    ticket = made(world.contacts["a_own"].post("/api/v1/tickets", json={
        "title": "Не открывается шлагбаум", "channel": "portal"}))
    with browser.phone():
        portal_sign_in(browser, world, "a_own")
        browser.open(f"/p/{world.slug}/requests/{ticket['id']}")
        browser.wait_until(lambda: browser.find(".live").get_attribute("data-live") == "open")
        made(world.admin.post(f"/api/v1/tickets/{ticket['id']}/comments", json={
            "body": "Внутреннее: вызвать подрядчика", "visibility": "internal"}))
        made(world.admin.post(f"/api/v1/tickets/{ticket['id']}/comments", json={
            "body": "Инженер выехал, будет через час"}))
        browser.wait_until(lambda: "Инженер выехал" in browser.text("#conversation"))
        assert "Внутреннее" not in browser.text("#conversation")
    # Another client's or account's ticket has no stream for this contact.
    for foreign in (world.ids["ticket_a_company"], other.ids["ticket_a_own"]):
        answer = browser.driver.execute_async_script("""
            const done = arguments[arguments.length - 1];
            fetch(arguments[0]).then(r => done(r.status));
        """, f"/p/{world.slug}/requests/{foreign}/events")
        assert answer == 404
