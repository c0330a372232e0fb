"""Admin settings pages in a real Chromium: a PBX integration with its mappings, rules and
webhook URL; the 1C connection (its password never shown back, a failing and a working test
connection against the 1C OData double); a dead letter seen and replayed; the audit log's
filters. Another account's ids are 404; a dispatcher gets 403 where the API says 403."""
import uuid

import pytest
from selenium.webdriver.support.ui import Select

from tests.browser.page_moves import fill, sign_in_admin
from tests.browser.test_console import STAFF_PASSWORD, sign_in_as_new
from tests.doubles.onec_odata import OneCOData
from tests.doubles.onec_seed import seed
from tests.integration.dead_letters import dead_letter, queue_webhook
from tests.integration.suite_process import ADMIN_PASSWORD, Api

ONEC_PASSWORD = "very-secret-1c-password"


@pytest.fixture(scope="module")
def onec():
    """The 1C OData double the integration tests use, seeded: 1C:Accounting 3.0."""
    served = seed(OneCOData("bp30")).start()
    yield served
    served.stop()


def test_a_pbx_is_connected_with_its_mappings_and_its_webhook_url_shown(browser, acme, suite,
                                                                        screenshot):
    tag = uuid.uuid4().hex[:6]
    sign_in_admin(browser, "acme")
    browser.click_through("nav.menu a[href='/settings']")
    browser.click_through(".settings-pages a[href='/settings/telephony']")
    assert browser.text("h1") == "Интеграции с АТС"
    browser.click_through("a.button.primary")

    fill(browser, "name", f"АТС офиса {tag}")
    fill(browser, "region", "Russia")
    fill(browser, "lines-0-number", "+7 495 123-45-67")
    fill(browser, "lines-0-name", "Основная")
    fill(browser, "extensions-0-extension", "101")
    Select(browser.find("select[name='extensions-0-employee_id']")).select_by_visible_text("Администратор")
    browser.click_through("form.settings-form button[type=submit]")
    assert browser.text(".reason[data-field=region]") == "Двухбуквенный код страны, например RU."
    assert browser.find("[name='lines-0-name']").get_attribute("value") == "Основная"  # kept

    fill(browser, "region", "RU")
    browser.click_through("form.settings-form button[type=submit]")
    integration_id = browser.driver.current_url.rstrip("/").rsplit("/", 1)[1]
    stored = acme.get(f"/api/v1/telephony/integrations/{integration_id}").json()
    assert browser.text("code.webhook-url") == suite.url + stored["webhook_path"]
    assert stored["lines"] == [{"number": "+74951234567", "name": "Основная"}]
    assert [e["extension"] for e in stored["extensions"]] == ["101"]
    screenshot("pbx-desktop")

    # A rule changed; the stored token stays (the secret fields were left empty).
    Select(browser.find("select[name=missed_call]")).select_by_value("ignore")
    browser.click_through("form.settings-form button[type=submit]")
    assert browser.text(".notice") == "Сохранено."
    changed = acme.get(f"/api/v1/telephony/integrations/{integration_id}").json()
    assert changed["rules"]["missed_call"] == "ignore"
    assert changed["webhook_path"] == stored["webhook_path"]
    assert changed["extensions"] == stored["extensions"]
    with browser.phone():
        browser.open(f"/settings/telephony/{integration_id}")
        screenshot("pbx-phone")
    browser.open("/settings/telephony")
    assert f"АТС офиса {tag}" in browser.text("table.integrations")


def test_the_1c_connection_keeps_its_password_hidden_and_is_tested(browser, suite, onec,
                                                                   screenshot):
    slug = f"onec{uuid.uuid4().hex[:6]}"
    admin = suite.admin(slug)
    sign_in_admin(browser, slug)
    browser.open("/settings")
    browser.click_through(".settings-pages a[href='/settings/1c']")
    browser.click_through("a.button.primary")

    # Unreachable 1C first: the password is required, then the test shows 1C's error.
    fill(browser, "url", "http://127.0.0.1:9/base/odata/standard.odata/")
    fill(browser, "user", "odata")
    browser.click_through("form.settings-form button[type=submit]")
    assert browser.text(".reason[data-field=password]") == "Нужен пароль пользователя 1С."
    fill(browser, "password", ONEC_PASSWORD)
    browser.click_through("form.settings-form button[type=submit]")
    connection_id = browser.driver.current_url.rsplit("/", 1)[1]
    assert ONEC_PASSWORD not in browser.driver.page_source
    assert browser.find("input[name=password]").get_attribute("value") == ""
    assert "сохранён" in browser.text("label[for=field-password]")
    browser.click_through("button[name=check]")
    assert browser.find(".check").get_attribute("data-ok") == "false"
    assert "1С ответила не так, как ожидалось" in browser.text(".alert.check")
    screenshot("onec-check-failed")

    # Pointed at the double with its password: the test connection passes.
    fill(browser, "url", onec.url)
    fill(browser, "password", onec.password)
    browser.click_through("form.settings-form button[type=submit]")
    assert browser.text(".notice") == "Сохранено."
    assert admin.get(f"/api/v1/billing/connections/{connection_id}").json()["url"] == onec.url
    # 1C answers, but the sale settings name nothing yet: each is named beside its field.
    browser.click_through("button[name=check]")
    assert browser.find(".check").get_attribute("data-ok") == "false"
    assert browser.find("[data-sale-settings=lacking]")
    assert browser.text("[data-field='sale.organisation_ref']") == \
        "Укажите Ref_Key элемента Catalog_Организации."
    screenshot("onec-check-sale-settings")
    fill(browser, "sale.organisation_ref", onec.refs["organisation"])
    fill(browser, "sale.currency_ref", onec.refs["rub"])
    fill(browser, "sale.nomenclature_group_ref", onec.refs["nomenclature_group"])
    Select(browser.find("select[name='sale.vat_rate']")).select_by_value("НДС22")
    browser.click_through("form.settings-form button[type=submit]")
    sale = admin.get(f"/api/v1/billing/connections/{connection_id}").json()["sale"]
    assert (sale["organisation_ref"], sale["currency_ref"], sale["vat_rate"]) == (
        onec.refs["organisation"], onec.refs["rub"], "НДС22")
    browser.click_through("button[name=check]")
    assert browser.find(".check").get_attribute("data-ok") == "true", browser.text(".check")
    assert onec.password not in browser.driver.page_source
    assert browser.text("h2") == "История запусков" and browser.find(".runs .empty")
    screenshot("onec-check-ok")
    with browser.phone():
        browser.open(f"/settings/1c/{connection_id}")
        screenshot("onec-phone")

    # A bad schedule is named beside its field.
    fill(browser, "schedule_minutes", "1")
    browser.click_through("form.settings-form button[type=submit]")
    assert browser.text(".reason[data-field=schedule_minutes]") == (
        "Должно быть от 5 до 1440.")


def test_dead_letters_are_seen_replayed_once_and_discarded(browser, suite, acme, screenshot):
    slug = f"letters{uuid.uuid4().hex[:6]}"
    admin = suite.admin(slug)
    account_id = admin.get("/api/v1/account").json()["id"]
    pbx = admin.post("/api/v1/telephony/integrations",
                     json={"name": "АТС", "dialect": "generic"}).json()
    token = pbx["webhook_path"].rsplit("/", 1)[1]
    for enabled in (False, True):  # disabled, two messages are buried; then the cause is fixed
        assert admin.patch(f"/api/v1/telephony/integrations/{pbx['id']}", json={
            "enabled": enabled}).status_code == 200
        if not enabled:
            letters = [queue_webhook(suite, pbx["id"], account_id, token=token) for _ in range(2)]
            for letter_id in letters:
                dead_letter(admin, letter_id)

    sign_in_admin(browser, slug)
    browser.open("/settings")
    browser.click_through(".settings-pages a[href='/settings/dead-letters']")
    browser.click_through("nav.tabs a[href$='service=telephony']")
    assert browser.text("table.letters").count("telephony_webhook") == 2
    browser.open(f"/settings/dead-letters/telephony/{letters[0]}")
    assert browser.text(".letter-error") == "The integration is disabled."
    assert "[hidden]" in browser.text("pre.payload")
    screenshot("dead-letter-desktop")
    browser.click_through("button[name=replay]")
    assert browser.find(".facts .badge").get_attribute("data-state") == "replayed"
    assert "обработано" in browser.text(".replays")
    assert not browser.find_all("button[name=replay]")  # once
    with browser.phone():
        screenshot("dead-letter-phone")

    browser.open(f"/settings/dead-letters/telephony/{letters[1]}")
    browser.click_through("button[name=discard]")
    assert browser.find(".facts .badge").get_attribute("data-state") == "discarded"
    browser.open("/settings/dead-letters?service=telephony&state=dead")
    assert browser.text(".empty") == "Необработанных сообщений нет."

    # Another account's admin reaches neither letter.
    sign_in_admin(browser, "acme")
    browser.open(f"/settings/dead-letters/telephony/{letters[0]}")
    assert browser.find("section.error").get_attribute("data-status") == "404"
    browser.open("/settings/dead-letters?service=telephony")
    assert letters[0] not in browser.driver.page_source


def test_another_accounts_settings_are_404(browser, acme, globex, suite, onec, screenshot):
    pbx = globex.post("/api/v1/telephony/integrations",
                      json={"name": "Чужая АТС", "dialect": "generic"}).json()
    connections = globex.get("/api/v1/billing/connections").json()["items"]
    connection = connections[0] if connections else globex.post("/api/v1/billing/connections", json={
        "url": onec.url, "user": onec.user, "password": onec.password, "profile": "bp30"}).json()
    sign_in_admin(browser, "acme")
    for path in (f"/settings/telephony/{pbx['id']}", f"/settings/1c/{connection['id']}"):
        browser.open(path)
        assert browser.find("section.error").get_attribute("data-status") == "404", path
        assert "Чужая АТС" not in browser.text()
    screenshot("settings-404")
    assert acme.get(f"/api/v1/telephony/integrations/{pbx['id']}").status_code == 404
    assert acme.get(f"/api/v1/billing/connections/{connection['id']}").status_code == 404


def test_a_dispatcher_gets_403_on_settings_pages(browser, acme, suite, screenshot):
    email = sign_in_as_new(browser, acme, "acme", "dispatcher")
    assert "Настройки" not in browser.text("nav.menu")  # not offered...
    browser.open("/settings")
    # Only their own API tokens are theirs to set.
    assert browser.find_all(".settings-pages a") and all(
        "/settings/api-tokens" in link.get_attribute("href")
        for link in browser.find_all(".settings-pages a"))
    for path in ("/settings/telephony", "/settings/1c", "/settings/partners",
                 "/settings/dead-letters", "/audit"):
        browser.open(path)
        assert browser.find("section.error").get_attribute("data-status") == "403", path
    # A new integration's empty form holds nothing; sending it is refused as on the API.
    browser.open("/settings/telephony/new")
    fill(browser, "name", "Моя АТС")
    browser.click_through("form.settings-form button[type=submit]")
    assert browser.find("section.error").get_attribute("data-status") == "403"
    screenshot("settings-403")
    token = Api(suite.url).post("/api/v1/auth/login", json={
        "account": "acme", "login": email, "password": STAFF_PASSWORD}).json()["token"]
    api = Api(suite.url, token)
    for path in ("/api/v1/telephony/integrations", "/api/v1/billing/connections",
                 "/api/v1/partner-links", "/api/v1/dead-letters/telephony", "/api/v1/audit"):
        assert api.get(path).status_code == 403, path


def test_the_audit_log_filters_and_pages(browser, acme, screenshot):
    sign_in_admin(browser, "acme")
    browser.open("/audit?action=login.succeeded")
    actions = {row.text for row in browser.find_all("table.audit td code")}
    assert actions == {"login.succeeded"}
    browser.open("/audit?created_from=not-a-day")
    assert browser.find(".reason[data-field=created_from]").text == "Неверные дата и время."
    browser.open("/audit?created_from=2000-01-01&created_to=2000-01-02")
    assert browser.text(".empty") == "С такими условиями ничего не записано."
    browser.open("/audit")
    Select(browser.find("select[name=actor_id]")).select_by_visible_text("Администратор")
    browser.find(".audit-filters button").click()
    browser.wait_until(lambda: "actor_id=" in browser.driver.current_url)
    assert "Администратор" in browser.text("table.audit")
    screenshot("audit-desktop")


def test_the_audit_log_pages_on_with_its_filters_kept(browser, suite, screenshot):
    slug = f"audit{uuid.uuid4().hex[:6]}"
    suite.admin(slug)
    for _ in range(55):  # more sign-ins than one page holds (50)
        assert Api(suite.url).post("/api/v1/auth/login", json={
            "account": slug, "login": f"admin@{slug}.example", "password": ADMIN_PASSWORD,
        }).status_code == 201
    sign_in_admin(browser, slug)
    browser.open("/audit?action=login.succeeded")
    first = [row.text for row in browser.find_all("table.audit tbody tr")]
    assert len(first) == 50
    browser.find(".pager a").click()  # htmx: the results only, the address follows
    browser.wait_until(lambda: "cursor=" in browser.driver.current_url)
    browser.wait_until(lambda: len(browser.find_all("table.audit tbody tr")) < 50)
    assert "action=login.succeeded" in browser.driver.current_url
    assert {row.text for row in browser.find_all("table.audit td code")} == {"login.succeeded"}
    assert len(browser.find_all("table.audit tbody tr")) == 56 - 50  # 55 here, 1 in the browser
    assert not browser.find_all(".pager a")
    with browser.phone():
        screenshot("audit-phone")
