"""The directory in a real Chromium: clients (search, the card with contacts, sites, equipment,
contracts with their payment state, service level, personal manager, open tickets, SLA
overrides), sites and equipment (the digital twin, history of works, the QR label sheet),
employees and groups (lists, cards, the admins' forms: 422 in Russian, 403 for an agent), and
another account's ids answering 404 on every page."""
import re

import pytest

from tests.browser.directory_world import (STAFF_PASSWORD, build_twin, foreign_ids, made,
                                           signed_in_http)
from tests.integration.suite_process import ADMIN_PASSWORD


@pytest.fixture(scope="module")
def twin(suite):
    return build_twin(suite)


def test_the_client_card_shows_its_twin_contracts_and_open_tickets(browser, twin, screenshot):
    ticket = twin.admin.create_ticket(title=f"Не открывается турникет {twin.tag}",
                                      equipment_id=twin.ids["outside"])
    twin.sign_in(browser)
    browser.open("/clients")
    browser.find("input[name=q]").send_keys(f"Радуга {twin.tag}")
    browser.wait_until(lambda: len(browser.find_all("tr[data-client]")) == 1)
    assert "q=" in browser.driver.current_url
    browser.click_through(f"tr[data-client='{twin.ids['client']}'] a")
    assert browser.text("h1") == f"ТЦ Радуга {twin.tag}"
    assert browser.text(".manager") == "Ирина Менеджерова"
    contracts = {c.get_attribute("data-contract"): c for c in browser.find_all("article.contract")}
    assert contracts[twin.ids["contract"]].get_attribute("data-payment") == "paid"
    assert "Оплачен" in contracts[twin.ids["contract"]].text
    assert "Золото" in contracts[twin.ids["contract"]].text
    assert "Просрочен" in contracts[twin.ids["old_contract"]].text
    assert "12 000,00 ₽" in contracts[twin.ids["old_contract"]].text
    assert "Особые сроки SLA" in browser.text(".contracts") and "120" in browser.text("table.sla")
    assert [c.get_attribute("data-contact") for c in browser.find_all("[data-contact]")] == [twin.ids["contact"]]
    assert {s.get_attribute("data-site") for s in browser.find_all("[data-site]")} == {twin.ids["site1"], twin.ids["site2"]}
    assert "Оборудования: 2" in browser.text(f"[data-site='{twin.ids['site2']}']")
    assert [t.get_attribute("data-ticket") for t in browser.find_all(".open-tickets [data-ticket]")] == [ticket["id"]]
    assert "Пётр Чужой" not in browser.text("main")  # the other client's contact
    screenshot("directory-client-desktop")
    with browser.phone():
        screenshot("directory-client-phone")


def test_a_site_lists_its_equipment_and_prints_its_qr_labels(browser, twin, screenshot):
    twin.sign_in(browser)
    browser.open(f"/clients/{twin.ids['client']}/sites/{twin.ids['site2']}")
    assert browser.text("h1") == "Корпус 2"
    assert "Пропуск на охране" in browser.text(".facts")
    assert {r.get_attribute("data-equipment") for r in browser.find_all("tr[data-equipment]")} == {
        twin.ids["outside"], twin.ids["outside2"]}
    browser.click_through("a.print-labels")
    labels = browser.find_all("figure.label")
    assert {label.get_attribute("data-equipment") for label in labels} == {twin.ids["outside"], twin.ids["outside2"]}
    assert all(label.find_elements("css selector", "svg") for label in labels)
    item = twin.admin.get(f"/api/v1/equipment/{twin.ids['outside']}").json()
    title = browser.find(f"figure[data-equipment='{item['id']}'] svg title").get_attribute("textContent")
    assert title.endswith(f"/q/{item['public_code']}")  # the link the API's label.svg carries
    caption = browser.text(f"figure[data-equipment='{item['id']}'] figcaption")
    company = twin.admin.get("/api/v1/account").json()["name"]
    assert company in caption and f"Код {item['public_code'][:8]}" in caption  # the short code
    screenshot("directory-labels-desktop")
    # Printed, the sheet is the labels alone, three across.
    browser.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not browser.find(".sheet-head").is_displayed()
        columns = browser.driver.execute_script(
            "return getComputedStyle(document.querySelector('.labels')).gridTemplateColumns")
        assert len(columns.split()) == 3, columns
    finally:
        browser.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    with browser.phone():
        screenshot("directory-labels-phone")


def test_an_item_shows_its_history_of_works_and_its_label(browser, twin, screenshot):
    ticket = twin.admin.create_ticket(title=f"Замена считывателя {twin.tag}", equipment_id=twin.ids["covered"])
    twin.sign_in(browser)
    browser.open("/equipment")
    code = twin.admin.get(f"/api/v1/equipment/{twin.ids['covered']}").json()["public_code"]
    browser.find("input[name=q]").send_keys(code[:8])  # the short code under its QR label
    browser.wait_until(lambda: len(browser.find_all("tr[data-equipment]")) == 1)
    browser.click_through("tr[data-equipment] a")
    assert browser.text("h1") == "PERCo TTR-10"
    assert "2.1" in browser.text(".facts")  # its parameters
    assert browser.find_all("figure.label.single svg")
    row = browser.find(f"tr[data-ticket='{ticket['id']}']")
    assert "Покрыто договором" in row.text
    screenshot("directory-item-desktop")
    with browser.phone():
        screenshot("directory-item-phone")


@pytest.fixture(scope="module")
def foreign(globex, twin):
    return foreign_ids(globex, twin.tag)


@pytest.mark.parametrize("path", [
    "/clients/{client}", "/clients/{client}/sites/{site}", "/clients/{client}/sites/{site}/labels",
    "/equipment/{item}", "/employees/{person}", "/groups/{group}"])
def test_another_accounts_ids_are_404(browser, twin, foreign, path):
    twin.sign_in(browser)
    browser.open(path.format(**foreign))
    assert browser.find("section.error").get_attribute("data-status") == "404"
    # Another client's site under this account's client is no site of it either.
    browser.open(f"/clients/{twin.ids['client']}/sites/{twin.ids['other_site']}")
    assert browser.find("section.error").get_attribute("data-status") == "404"


def test_an_admin_adds_and_edits_employees_with_reasons_in_russian(browser, twin, screenshot):
    twin.sign_in(browser)
    browser.open("/employees")
    browser.click_through("a.button")
    browser.find("input[name=name]").send_keys("Олег Новичков")
    browser.find("input[name=email]").send_keys("не-почта")
    browser.find("input[value=agent]").click()  # the new form offers the agent's role; not this one
    browser.find("input[value=field_engineer]").click()
    browser.click_through("form.employee-form button[type=submit]")
    reason = browser.find(".reason[data-field=email]")
    assert reason.text and not re.search("[A-Za-z]", reason.text), reason.text
    assert browser.find("input[name=name]").get_attribute("value") == "Олег Новичков"
    assert browser.find("input[value=field_engineer]").is_selected()
    screenshot("directory-employee-422")
    email = browser.find("input[name=email]")
    email.clear()
    email.send_keys(f"oleg-{twin.tag}@{twin.slug}.example")
    browser.click_through("form.employee-form button[type=submit]")
    assert browser.text("h1") == "Олег Новичков"
    assert browser.text(".roles") == "Выездной инженер"

    name = browser.find("input[name=name]")
    name.clear()
    name.send_keys("Олег Бывалов")
    browser.click_through("form.employee-form button[type=submit]")
    assert browser.text("h1") == "Олег Бывалов"
    person_id = browser.driver.current_url.rsplit("/", 1)[1]
    assert twin.admin.get(f"/api/v1/employees/{person_id}").json()["name"] == "Олег Бывалов"
    with browser.phone():
        screenshot("directory-employee-phone")


def test_an_agent_reads_people_but_may_not_change_them(browser, twin, suite, screenshot):
    twin.ids["group"] = made(twin.admin.post("/api/v1/groups", json={"name": f"Диспетчеры {twin.tag}"}))["id"]
    email = twin.staff("agent")
    twin.sign_in(browser, email, STAFF_PASSWORD)
    browser.open(f"/employees/{twin.ids['manager']}")
    assert browser.text("h1") == "Ирина Менеджерова"
    assert not browser.find_all("form.employee-form")
    browser.open("/groups")
    assert not browser.find_all("form.group-form")
    screenshot("directory-employee-agent")
    # The forms' posts, sent anyway, are refused by the RPC as on the API.
    http, token = signed_in_http(suite.url, twin.slug, email, STAFF_PASSWORD)
    for path, form in ((f"/employees/{twin.ids['manager']}", {"name": "Взлом", "roles": "admin"}),
                       ("/employees/new", {"name": "Взлом", "email": "x@y.example", "roles": "admin"}),
                       ("/groups", {"name": "Взлом"}),
                       (f"/groups/{twin.ids['group']}", {"name": "Взлом"})):
        refused = http.post(f"{suite.url}{path}", data={"csrf_token": token, **form}, timeout=10)
        assert refused.status_code == 403, path
        assert 'data-status="403"' in refused.text
    assert twin.admin.get(f"/api/v1/employees/{twin.ids['manager']}").json()["name"] == "Ирина Менеджерова"


def test_an_admin_creates_a_group_and_the_list_names_its_members(browser, twin, screenshot):
    twin.sign_in(browser)
    browser.open("/groups")
    browser.click_through("form.group-form button[type=submit]")
    assert browser.find(".reason[data-field=name]").text
    browser.find("input[name=name]").send_keys(f"Выездные {twin.tag}")
    browser.find(f"input[name=member_ids][value='{twin.ids['manager']}']").click()
    browser.click_through("form.group-form button[type=submit]")
    row = [r for r in browser.find_all("tr[data-group]") if f"Выездные {twin.tag}" in r.text][0]
    assert "Ирина Менеджерова" in row.text
    screenshot("directory-groups-desktop")
    browser.open("/employees")
    assert f"Выездные {twin.tag}" in browser.text(f"tr[data-employee='{twin.ids['manager']}']")

    # Its own page renames it and takes the member off.
    made_id = next(g["id"] for g in twin.admin.get("/api/v1/groups", params={"limit": 100}).json()["items"] if g["name"] == f"Выездные {twin.tag}")
    browser.open("/groups")
    browser.click_through(f"tr[data-group='{made_id}'] a")
    name = browser.find("input[name=name]")
    name.clear()
    browser.click_through("form.group-form button[type=submit]")
    assert browser.find(".reason[data-field=name]").text  # 422, the form again
    browser.find("input[name=name]").send_keys(f"Выездные-2 {twin.tag}")
    browser.find(f"input[name=member_ids][value='{twin.ids['manager']}']").click()
    browser.click_through("form.group-form button[type=submit]")
    row = [r for r in browser.find_all("tr[data-group]") if f"Выездные-2 {twin.tag}" in r.text][0]
    assert "Ирина Менеджерова" not in row.text


def test_a_dispatcher_adds_a_client_and_its_contact_with_reasons_in_russian(browser, twin, screenshot):
    twin.sign_in(browser, twin.staff("dispatcher"), STAFF_PASSWORD)
    browser.open("/clients")
    browser.click_through("a.button[href='/clients/new']")
    browser.find("input[name=name]").send_keys(f"Аптека Здоровье {twin.tag}")
    browser.find("input[name=inn]").send_keys("1234567890")
    browser.click_through("form.client-form button[type=submit]")
    reason = browser.find(".reason[data-field=inn]")
    assert reason.text and not re.search("[A-Za-z]", reason.text), reason.text
    assert browser.find("input[name=name]").get_attribute("value") == f"Аптека Здоровье {twin.tag}"
    screenshot("directory-client-422")
    inn = browser.find("input[name=inn]")
    inn.clear()
    inn.send_keys("7707083893")
    browser.click_through("form.client-form button[type=submit]")
    assert browser.text("h1") == f"Аптека Здоровье {twin.tag}"

    browser.find("details.add summary").click()
    browser.find("form.contact-form input[name=name]").send_keys("Мария Фармацевтова")
    browser.find("form.contact-form input[name=phone]").send_keys("не телефон")
    browser.click_through("form.contact-form button[type=submit]")
    reason = browser.find(".reason[data-field=phone]")
    assert reason.text and not re.search("[A-Za-z]", reason.text), reason.text
    phone = browser.find("form.contact-form input[name=phone]")
    phone.clear()
    phone.send_keys("+7 495 123-45-67")
    browser.click_through("form.contact-form button[type=submit]")
    assert "Мария Фармацевтова" in browser.text("section.contacts")
    assert "+74951234567" in browser.text("section.contacts")


def test_an_agent_may_not_add_clients_or_contacts(browser, twin, suite):
    email = twin.staff("agent")
    twin.sign_in(browser, email, STAFF_PASSWORD)
    browser.open(f"/clients/{twin.ids['client']}")
    assert not browser.find_all("form.contact-form")
    http, token = signed_in_http(suite.url, twin.slug, email, STAFF_PASSWORD)
    for path, form in (("/clients/new", {"name": "Взлом"}),
                       (f"/clients/{twin.ids['client']}/contacts", {"name": "Взлом"})):
        refused = http.post(f"{suite.url}{path}", data={"csrf_token": token, **form}, timeout=10)
        assert refused.status_code == 403, path
    names = [c["name"] for c in twin.admin.get(f"/api/v1/clients/{twin.ids['client']}/contacts").json()["items"]]
    assert "Взлом" not in names


def test_a_contact_for_another_accounts_client_is_404(suite, twin, foreign, globex):
    http, token = signed_in_http(suite.url, twin.slug, f"admin@{twin.slug}.example", ADMIN_PASSWORD)
    refused = http.post(f"{suite.url}/clients/{foreign['client']}/contacts", timeout=10,
                        data={"csrf_token": token, "name": "Подкидыш"})
    assert refused.status_code == 404 and 'data-status="404"' in refused.text
    assert globex.get(f"/api/v1/clients/{foreign['client']}/contacts").json()["items"] == []
