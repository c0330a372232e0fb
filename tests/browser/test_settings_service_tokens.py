"""API tokens in a real Chromium: issue one (the secret shown once, with a copy button), use it
over real HTTP, revoke it and see the API refuse it; a dispatcher sees only their own."""
from tests.browser.settings_forms import (fill, send_refused, sign_in_admin, sign_in_staff, tag,
                                          wait_replaced)
from tests.integration.suite_process import Api


def issue(browser, name):
    fill(browser, {"name": name, "expires_in_days": "30"}, form="form.token")
    send_refused(browser, form="form.token")
    return browser.find("#issued-token").get_attribute("value")


def test_a_token_is_shown_once_works_over_http_and_stops_when_revoked(browser, acme, suite,
                                                                      screenshot):
    name = f"Обмен с 1С {tag()}"
    sign_in_admin(browser)
    browser.click_through("nav.menu a[href='/settings']")
    browser.click_through(".settings-pages a[href='/settings/api-tokens']")
    secret = issue(browser, name)
    assert "показывается один раз" in browser.text(".issued")
    browser.find("button[data-copy]").click()
    browser.wait_until(lambda: browser.text("button[data-copy]") == "Скопировано")
    screenshot("settings-token-issued-desktop")
    with browser.phone():
        screenshot("settings-token-issued-phone")

    program = Api(suite.url, secret)
    assert program.get("/api/v1/account").status_code == 200
    token = [t for t in acme.get("/api/v1/tokens", params={"limit": 100}).json()["items"] if t["name"] == name][0]
    assert token["expires_at"] > token["created_at"]

    browser.open("/settings/api-tokens")  # once: the list never shows the secret again
    assert secret not in browser.driver.page_source
    row = f"tr[data-token='{token['id']}']"
    assert name in browser.text(row) and "Действует" in browser.text(row)
    listed = browser.find(row)
    browser.find(f"{row} button").click()
    browser.driver.switch_to.alert.accept()   # "Revoke this token?"
    wait_replaced(browser, listed)
    assert "Отозван" in browser.text(row)
    screenshot("settings-tokens-desktop")
    assert program.get("/api/v1/account").status_code == 401


def test_a_dispatcher_issues_and_sees_only_their_own_tokens(browser, acme, suite, screenshot):
    admins = f"Токен админа {tag()}"
    assert acme.post("/api/v1/tokens", json={"name": admins}).status_code == 201
    _, dispatcher = sign_in_staff(browser, acme, "dispatcher")
    assert "Настройки" not in browser.text("nav.menu")
    browser.click_through("nav.menu a[href='/settings/api-tokens']")
    assert admins not in browser.text()
    secret = issue(browser, "Мой скрипт")
    assert Api(suite.url, secret).get("/api/v1/tickets").status_code == 200
    assert [t["name"] for t in dispatcher.get("/api/v1/tokens", params={"limit": 100}).json()["items"]] == ["Мой скрипт"]
    assert not browser.find_all("select[name=employee_id]")  # an admin may pick the owner
    screenshot("settings-tokens-dispatcher-desktop")


def test_a_token_without_a_name_is_refused_in_russian(browser, acme):
    sign_in_admin(browser)
    browser.open("/settings/api-tokens")
    fill(browser, {"name": "", "expires_in_days": "1000"}, form="form.token")
    send_refused(browser, form="form.token")
    shown = {p.get_attribute("data-field"): p.text for p in browser.find_all("form.token .reason")}
    assert shown == {"name": "Длина должна быть от 1 до 100 символов.",
                     "expires_in_days": "Должно быть от 1 до 366."}, shown
    assert browser.find("form.token input[name=expires_in_days]").get_attribute("value") == "1000"
