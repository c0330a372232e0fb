"""Registering a call at /tickets/new in a real Chromium: cascading pickers, the coverage verdict
before saving (the issue's acceptance test: uncovered equipment shows the warning), knowledge-base
suggestions while the title is typed, ?phone= prefilling the caller, 422 reasons in Russian with
the typed values kept, the form without JavaScript, another account's ids answering 404."""
import re

import pytest
from selenium.webdriver.support.ui import Select

from tests.browser.directory_world import build_twin, made, signed_in_http
from tests.integration.suite_process import ADMIN_PASSWORD


@pytest.fixture(scope="module")
def twin(suite):
    return build_twin(suite)


def options(browser, name):
    """The picker's choices, read in one script: htmx may swap the pickers between two reads."""
    return browser.driver.execute_script(
        "return Array.from(document.querySelectorAll(`select[name=${arguments[0]}] option`),"
        " o => o.value).filter(Boolean)", name)


def chosen(browser, name):
    return browser.driver.execute_script(
        "return document.querySelector(`select[name=${arguments[0]}]`).value", name)


def checked(browser):
    """(verdict, "client/site/equipment" it was checked for) of the banner on screen."""
    return browser.driver.execute_script(
        "const v = document.querySelector('[data-verdict]');"
        " return v ? [v.dataset.verdict, v.dataset.checked] : null")


def choose(browser, name, value):
    """Picks an option and waits for htmx's new pickers, whose verdict was checked with it."""
    Select(browser.find(f"select[name={name}]")).select_by_value(value)
    browser.wait_until(lambda: (checked(browser) or ["", ""])[1].split("/")[
        ("client_id", "site_id", "equipment_id").index(name)] == value)


def pick_client(browser, twin):
    browser.find("input[name=client_q]").send_keys(f"Радуга {twin.tag}")
    browser.wait_until(lambda: options(browser, "client_id") == [twin.ids["client"]])
    choose(browser, "client_id", twin.ids["client"])


def test_uncovered_equipment_shows_the_warning_before_saving_then_the_ticket_opens(
        browser, twin, screenshot):
    article = made(twin.admin.post("/api/v1/kb/articles", json={
        "title": f"Турникет не пускает по карте {twin.tag}", "state": "published",
        "body": "Проверьте считыватель турникета и срок действия карты.", "visibility": "all_clients"}))
    twin.sign_in(browser)
    browser.open("/tickets/new")
    assert browser.text("h1") == "Новая заявка"
    pick_client(browser, twin)
    choose(browser, "site_id", twin.ids["site2"])
    assert set(options(browser, "equipment_id")) == {twin.ids["outside"], twin.ids["outside2"]}
    choose(browser, "equipment_id", twin.ids["outside"])
    verdict = browser.find("[data-verdict]")
    assert verdict.get_attribute("data-verdict") == "not_covered"
    assert "Не покрыто договорами" in verdict.text
    assert "Платная работа" in verdict.text and "2 500,00 ₽" in verdict.text
    assert verdict.get_attribute("data-action") == "paid_work"

    browser.find("input[name=title]").send_keys(f"Турникет не пускает {twin.tag}")
    browser.wait_for(f".suggestions li[data-article='{article['id']}']")
    shown = browser.find("input[name=suggestion_id]").get_attribute("value")
    browser.find("textarea[name=description]").send_keys("Проход закрыт с утра")
    screenshot("registration-uncovered-desktop")
    browser.click_through("button.save")
    ticket_id = re.search(r"/tickets/([^/?#]+)$", browser.driver.current_url)[1]
    ticket = twin.admin.get(f"/api/v1/tickets/{ticket_id}").json()
    assert ticket["coverage"]["verdict"] == "not_covered" and ticket["billing"] == "paid_one_off"
    assert ticket["equipment_id"] == twin.ids["outside"] and ticket["site_id"] == twin.ids["site2"]
    assert ticket["channel"] == "phone" and ticket["description"] == "Проход закрыт с утра"
    assert ticket["suggestion_id"] == shown  # the knowledge service settles its outcome


def test_choices_cascade_and_the_verdict_follows_them(browser, twin, screenshot):
    twin.sign_in(browser)
    browser.open("/tickets/new")
    assert options(browser, "site_id") == [] and options(browser, "equipment_id") == []
    pick_client(browser, twin)
    # Only this client's contacts and sites, all its equipment until a site is chosen.
    assert options(browser, "contact_id") == [twin.ids["contact"]]
    assert set(options(browser, "site_id")) == {twin.ids["site1"], twin.ids["site2"]}
    assert set(options(browser, "equipment_id")) == {twin.ids[k] for k in ("covered", "outside", "outside2")}
    # The client alone: its contract covers one site only, and nothing says which object the
    # request is about: to be checked, not a paid-work quote (issue 23, point 10).
    assert checked(browser)[0] == "to_check"

    choose(browser, "site_id", twin.ids["site1"])
    assert options(browser, "equipment_id") == [twin.ids["covered"]]
    assert checked(browser)[0] == "covered"
    assert "Покрыто договором" in browser.text("[data-verdict]")
    with browser.phone():
        screenshot("registration-covered-phone")

    # Another site: the equipment narrows to it and the verdict turns.
    choose(browser, "site_id", twin.ids["site2"])
    assert twin.ids["covered"] not in options(browser, "equipment_id")
    assert checked(browser)[0] == "not_covered"


def test_a_refused_form_names_the_field_in_russian_and_keeps_what_was_typed(browser, twin, screenshot):
    twin.sign_in(browser)
    browser.open(f"/tickets/new?client_id={twin.ids['client']}")
    choose(browser, "site_id", twin.ids["site1"])
    browser.find("textarea[name=description]").send_keys("Без темы")
    Select(browser.find("select[name=priority]")).select_by_value("high")
    browser.click_through("button.save")
    reason = browser.find(".reason[data-field=title]")
    assert reason.text and not re.search("[A-Za-z]", reason.text), reason.text
    assert browser.find("textarea[name=description]").get_attribute("value") == "Без темы"
    assert browser.find("select[name=priority]").get_attribute("value") == "high"
    assert chosen(browser, "client_id") == twin.ids["client"]
    assert chosen(browser, "site_id") == twin.ids["site1"]
    screenshot("registration-422")


def test_the_phone_of_a_call_prefills_the_caller(browser, twin):
    twin.sign_in(browser)
    browser.open("/tickets/new?phone=89125550101")
    assert "Анна Охранова" in browser.text(".caller")
    assert chosen(browser, "client_id") == twin.ids["client"]
    assert chosen(browser, "contact_id") == twin.ids["contact"]
    assert browser.find("select[name=channel]").get_attribute("value") == "phone"

    browser.open("/tickets/new?phone=89990001122")
    assert browser.find(".caller").get_attribute("data-known") == "false"
    browser.open("/tickets/new?phone=abc")
    assert browser.find(".reason[data-field=phone]").text


def test_without_javascript_the_check_button_shows_the_verdict_and_save_works(suite, twin):
    http, token = signed_in_http(suite.url, twin.slug, f"admin@{twin.slug}.example", ADMIN_PASSWORD)
    form = {"csrf_token": token, "client_id": twin.ids["client"], "site_id": twin.ids["site2"],
            "equipment_id": twin.ids["outside2"], "title": "Не работает турникет", "check": "1"}
    checked = http.post(f"{suite.url}/tickets/new", data=form, timeout=10)
    assert checked.status_code == 200
    assert 'data-verdict="not_covered"' in checked.text
    form.pop("check")
    saved = http.post(f"{suite.url}/tickets/new", data=form, timeout=10, allow_redirects=False)
    assert saved.status_code == 303 and re.fullmatch(r"/tickets/[^/]+", saved.headers["Location"])
    # A typed client search narrows the client picker by the list RPC's text filter.
    found = http.get(f"{suite.url}/tickets/new", params={"client_q": f"Восток {twin.tag}"}, timeout=10)
    assert twin.ids["other"] in found.text and twin.ids["client"] not in found.text


def test_another_accounts_client_is_404_and_its_items_are_refused(browser, twin, globex, screenshot):
    foreign = made(globex.post("/api/v1/clients", json={"name": "Чужой клиент"}))
    twin.sign_in(browser)
    browser.open(f"/tickets/new?client_id={foreign['id']}")
    assert browser.find("section.error").get_attribute("data-status") == "404"
    screenshot("registration-404")
    site = made(globex.post(f"/api/v1/clients/{foreign['id']}/sites", json={"name": "Чужой объект"}))
    item = made(globex.post("/api/v1/equipment", json={"site_id": site["id"], "manufacturer": "X", "model": "Y"}))
    http, token = signed_in_http(browser.url, twin.slug, f"admin@{twin.slug}.example", ADMIN_PASSWORD)
    refused = http.post(f"{browser.url}/tickets/new", timeout=10, data={
        "csrf_token": token, "title": "Чужое оборудование", "equipment_id": item["id"]})
    assert refused.status_code in (404, 422)
    assert twin.admin.get("/api/v1/tickets", params={"q": "Чужое оборудование"}).json()["items"] == []


def test_a_policy_that_refuses_shows_its_message_on_the_form(browser, twin):
    stranger = made(twin.admin.post("/api/v1/clients", json={"name": f"Без договора {twin.tag}"}))
    policy = {"paid_work_code": "CALL", "actions": {"no_contract": "reject"}, "sales_group_id": None,
              "messages": {"no_contract": "Без договора заявки не принимаем: предложите договор."}}
    assert twin.admin.put("/api/v1/coverage-policy", json=policy).status_code == 200
    try:
        twin.sign_in(browser)
        browser.open(f"/tickets/new?client_id={stranger['id']}")
        assert browser.find("[data-verdict]").get_attribute("data-action") == "reject"
        assert "Заявку не примут" in browser.text("[data-verdict]")
        browser.find("input[name=title]").send_keys("Сломался кондиционер")
        browser.click_through("button.save")
        assert "предложите договор" in browser.text(".alert")
        assert browser.find("input[name=title]").get_attribute("value") == "Сломался кондиционер"
    finally:
        twin.admin.put("/api/v1/coverage-policy", json={"paid_work_code": "CALL", "actions": {},
                                                         "messages": {}, "sales_group_id": None})
    assert twin.admin.get("/api/v1/tickets", params={"client_id": stranger["id"]}).json()["items"] == []


def test_the_form_speaks_english_when_the_person_chooses_it(browser, twin):
    twin.sign_in(browser)
    browser.open(f"/tickets/new?client_id={twin.ids['client']}&site_id={twin.ids['site1']}")
    browser.click_through("form.language button[value=en]")
    assert browser.text("h1") == "New ticket"
    assert "Covered by a contract" in browser.text("[data-verdict]")
    assert chosen(browser, "site_id") == twin.ids["site1"]  # back on the same address
