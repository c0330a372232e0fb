"""The directory's forms in a real Chromium: a dispatcher edits a client, adds and edits a site,
adds and edits equipment; every refusal shows its reason in Russian beside the field with the
typed values kept; each form sends the whole record (what the form does not show survives);
an agent gets the 403 page and another account's ids the 404 page, also for the plain posts a
browser without JavaScript sends."""
import re

import pytest
from selenium.webdriver.support.ui import Select

from tests.browser.directory_world import (STAFF_PASSWORD, build_twin, foreign_ids, made,
                                           signed_in_http)
from tests.integration.suite_process import ADMIN_PASSWORD


@pytest.fixture(scope="module")
def twin(suite):
    return build_twin(suite)


@pytest.fixture(scope="module")
def dispatcher(twin):
    return twin.staff("dispatcher")


@pytest.fixture(scope="module")
def foreign(globex, twin):
    return foreign_ids(globex, twin.tag)


def retype(browser, css, value):
    field = browser.find(css)
    field.clear()
    field.send_keys(value)


def set_date(browser, css, value):
    # A date input takes keys in the browser's locale's order; the value is the ISO date it posts.
    browser.driver.execute_script("arguments[0].value = arguments[1]", browser.find(css), value)


def form_end(browser, screenshot, name):
    """A screenshot of the form's end (its button in view): the top one shows only its start."""
    browser.driver.execute_script("arguments[0].scrollIntoView({block: 'end', behavior: 'instant'})",
                                  browser.find("section.edit button[type=submit]"))
    screenshot(name)


def russian_reason(browser, field):
    """The reason beside the field, in Russian (a reason may quote a name such as Europe/Moscow)."""
    reason = browser.find(f".reason[data-field={field}]").text
    assert re.match("[А-ЯЁ]", reason), reason
    return reason


def test_a_dispatcher_edits_a_client_and_what_the_form_does_not_show_survives(browser, twin, dispatcher, screenshot):
    client = made(twin.admin.post("/api/v1/clients", json={
        "name": f"Кафе Ромашка {twin.tag}", "category": "silver", "inn": "7707083893", "kpp": "770701001",
        "manager_id": twin.ids["manager"], "notes": "Звонить после 10",
        "sla_targets": {"high": {"reaction_minutes": 45, "resolution_minutes": 300}}}))
    calendar = made(twin.admin.post("/api/v1/calendars", json={
        "name": f"Круглосуточно {twin.tag}", "time_zone": "Europe/Moscow", "week": {"always": True}}))
    twin.sign_in(browser, dispatcher, STAFF_PASSWORD)
    browser.open(f"/clients/{client['id']}")
    browser.click_through("p.actions a.button")
    assert browser.text("h1") == "Изменение клиента"
    assert browser.find("input[name=name]").get_attribute("value") == client["name"]
    assert browser.find("input[name=kpp]").get_attribute("value") == "770701001"
    assert Select(browser.find("select[name=manager_id]")).first_selected_option.text == "Ирина Менеджерова"
    assert browser.find("textarea[name=notes]").get_attribute("value") == "Звонить после 10"
    assert browser.find("input[name='sla_targets.high.reaction_minutes']").get_attribute("value") == "45"

    retype(browser, "input[name=name]", f"Кафе Василёк {twin.tag}")
    retype(browser, "input[name=inn]", "1234567890")
    browser.find("input[name='sla_targets.critical.reaction_minutes']").send_keys("60")
    browser.find("input[name='sla_targets.critical.resolution_minutes']").send_keys("30")
    browser.find("input[name='sla_targets.low.reaction_minutes']").send_keys("сутки")
    browser.click_through("form.client-form button[type=submit]")
    russian_reason(browser, "inn")
    assert russian_reason(browser, "'sla_targets.critical.resolution_minutes'") == \
        "Срок решения не может быть меньше срока реакции."
    assert russian_reason(browser, "'sla_targets.low.reaction_minutes'") == "Должно быть целым числом."
    assert russian_reason(browser, "'sla_targets.low.resolution_minutes'") == "Поле не может быть пустым."
    assert browser.find("input[name=name]").get_attribute("value") == f"Кафе Василёк {twin.tag}"
    assert browser.find("input[name=inn]").get_attribute("value") == "1234567890"
    screenshot("directory-client-edit-422")
    form_end(browser, screenshot, "directory-client-edit-422-end")
    with browser.phone():
        screenshot("directory-client-edit-phone")
        form_end(browser, screenshot, "directory-client-edit-phone-end")
    retype(browser, "input[name=inn]", "7707083893")
    retype(browser, "input[name='sla_targets.critical.resolution_minutes']", "240")
    browser.find("input[name='sla_targets.low.reaction_minutes']").clear()
    browser.find("input[name=category]").clear()
    Select(browser.find("select[name=calendar_id]")).select_by_visible_text(calendar["name"])
    browser.click_through("form.client-form button[type=submit]")
    assert browser.driver.current_url.endswith(f"/clients/{client['id']}")
    assert browser.text("h1") == f"Кафе Василёк {twin.tag}"

    saved = twin.admin.get(f"/api/v1/clients/{client['id']}").json()
    assert saved["name"] == f"Кафе Василёк {twin.tag}"
    assert saved["category"] is None  # a field emptied on the form is emptied
    assert saved["calendar_id"] == calendar["id"]  # its tickets' SLA clock runs on it
    assert (saved["kpp"], saved["manager_id"], saved["notes"]) == ("770701001", twin.ids["manager"], "Звонить после 10")
    assert saved["sla_targets"] == {"high": {"reaction_minutes": 45, "resolution_minutes": 300},
                                    "critical": {"reaction_minutes": 60, "resolution_minutes": 240}}


def test_a_dispatcher_adds_a_site_to_a_client_and_edits_it(browser, twin, dispatcher, screenshot):
    twin.sign_in(browser, dispatcher, STAFF_PASSWORD)
    browser.open(f"/clients/{twin.ids['client']}")
    browser.click_through("section.sites p.add a")
    assert browser.text("h1") == "Новый объект"
    retype(browser, "input[name=lat]", "55,75")
    retype(browser, "input[name=time_zone]", "Марс/Олимп")
    browser.find(f"input[name=contact_ids][value='{twin.ids['contact']}']").click()
    browser.click_through("form.site-form button[type=submit]")
    assert russian_reason(browser, "name") == "Поле не может быть пустым."
    assert russian_reason(browser, "lon") == "Поле не может быть пустым."
    assert "часового пояса" in russian_reason(browser, "time_zone")
    assert browser.find("input[name=lat]").get_attribute("value") == "55,75"
    assert browser.find(f"input[name=contact_ids][value='{twin.ids['contact']}']").is_selected()
    screenshot("directory-site-new-422")
    form_end(browser, screenshot, "directory-site-new-422-end")
    with browser.phone():
        screenshot("directory-site-new-phone")
        form_end(browser, screenshot, "directory-site-new-phone-end")

    retype(browser, "input[name=name]", f"Склад {twin.tag}")
    retype(browser, "input[name=address]", "Москва, ул. Складская, 5")
    retype(browser, "input[name=city]", "Москва")
    retype(browser, "input[name=lon]", "37.62")
    retype(browser, "input[name=time_zone]", "Europe/Moscow")
    browser.find("textarea[name=access_notes]").send_keys("Ворота 3")
    browser.click_through("form.site-form button[type=submit]")
    assert browser.text("h1") == f"Склад {twin.tag}"
    site_id = browser.driver.current_url.rsplit("/", 1)[1]
    site = twin.admin.get(f"/api/v1/clients/{twin.ids['client']}/sites/{site_id}").json()
    assert site["coordinates"] == {"lat": 55.75, "lon": 37.62}
    assert (site["time_zone"], site["contact_ids"]) == ("Europe/Moscow", [twin.ids["contact"]])

    browser.click_through("p.actions a.button[href$='/edit']")
    assert browser.text("h1") == "Изменение объекта"
    assert browser.find("input[name=lat]").get_attribute("value") == "55.75"
    assert browser.find(f"input[name=contact_ids][value='{twin.ids['contact']}']").is_selected()
    assert browser.find("textarea[name=access_notes]").get_attribute("value") == "Ворота 3"
    screenshot("directory-site-edit")
    retype(browser, "input[name=address]", "Москва, ул. Складская, 7")
    browser.click_through("form.site-form button[type=submit]")
    assert "ул. Складская, 7" in browser.text(".facts")
    after = twin.admin.get(f"/api/v1/clients/{twin.ids['client']}/sites/{site_id}").json()
    assert after == dict(site, address="Москва, ул. Складская, 7")  # nothing else changed
    browser.open(f"/clients/{twin.ids['client']}")
    assert f"Склад {twin.tag}" in browser.text("section.sites")


def test_a_dispatcher_adds_equipment_on_a_site_and_edits_it(browser, twin, dispatcher, screenshot):
    kind = next(k for k in twin.admin.get("/api/v1/equipment-kinds").json()["items"] if k["name"] == "Турникет")
    twin.sign_in(browser, dispatcher, STAFF_PASSWORD)
    browser.open(f"/clients/{twin.ids['client']}/sites/{twin.ids['site1']}")
    screenshot("directory-site-actions")
    with browser.phone():
        screenshot("directory-site-actions-phone")
    browser.click_through("a.add-equipment")
    assert browser.text("h1") == "Новое оборудование"
    Select(browser.find("select[name=kind_id]")).select_by_value(kind["id"])
    browser.find("input[name=manufacturer]").send_keys("PERCo")
    browser.find("input[name=serial_number]").send_keys(f"SN-covered-{twin.tag}")  # another item's
    set_date(browser, "input[name=installed_on]", "2026-02-01")
    browser.find("textarea[name=parameters]").send_keys("прошивка: 3.0\nбез двоеточия")
    browser.click_through("form.equipment-form button[type=submit]")
    assert "без двоеточия" in russian_reason(browser, "parameters")
    assert browser.find("input[name=manufacturer]").get_attribute("value") == "PERCo"
    assert Select(browser.find("select[name=kind_id]")).first_selected_option.get_attribute("value") == kind["id"]
    form_end(browser, screenshot, "directory-equipment-new-parameters")

    retype(browser, "textarea[name=parameters]", "прошивка: 3.0\nзаметка: строка 1\n  строка 2")
    browser.click_through("form.equipment-form button[type=submit]")
    assert russian_reason(browser, "model") == "Поле не может быть пустым."
    assert browser.find("input[name=installed_on]").get_attribute("value") == "2026-02-01"
    screenshot("directory-equipment-new-422")
    with browser.phone():
        screenshot("directory-equipment-new-phone")

    browser.find("input[name=model]").send_keys("TTR-20")
    browser.click_through("form.equipment-form button[type=submit]")
    assert "уже зарегистрирован" in russian_reason(browser, "serial_number")  # 409 beside its field
    retype(browser, "input[name=serial_number]", f"SN-new-{twin.tag}")
    browser.click_through("form.equipment-form button[type=submit]")
    assert browser.text("h1") == "PERCo TTR-20"
    item_id = browser.driver.current_url.rsplit("/", 1)[1]
    item = twin.admin.get(f"/api/v1/equipment/{item_id}").json()
    assert (item["site_id"], item["kind_id"], item["installed_on"]) == (twin.ids["site1"], kind["id"], "2026-02-01")
    assert item["parameters"] == {"прошивка": "3.0", "заметка": "строка 1\nстрока 2"}

    browser.click_through("p.actions a.button[href$='/edit']")
    assert browser.text("h1") == "Изменение оборудования"
    assert browser.find("textarea[name=parameters]").get_attribute("value") == "прошивка: 3.0\nзаметка: строка 1\n  строка 2"
    Select(browser.find("select[name=status]")).select_by_value("under_repair")
    Select(browser.find("select[name=site_id]")).select_by_value(twin.ids["site2"])
    set_date(browser, "input[name=warranty_until]", "2028-02-01")
    screenshot("directory-equipment-edit")
    with browser.phone():
        screenshot("directory-equipment-edit-phone")
        form_end(browser, screenshot, "directory-equipment-edit-phone-end")
    browser.click_through("form.equipment-form button[type=submit]")
    assert "В ремонте" in browser.text(".facts")
    after = twin.admin.get(f"/api/v1/equipment/{item_id}").json()
    assert after == dict(item, status="under_repair", site_id=twin.ids["site2"], warranty_until="2028-02-01")


NEW_PAGES = ["/clients/new", "/clients/{client}/edit", "/clients/{client}/sites/new",
             "/clients/{client}/sites/{site1}/edit", "/clients/{client}/sites/{site1}/equipment/new",
             "/equipment/{covered}/edit"]


def test_an_agent_gets_the_403_page_for_every_form_and_its_post(browser, twin, suite, screenshot):
    email = twin.staff("agent")
    twin.sign_in(browser, email, STAFF_PASSWORD)
    for page in (f"/clients/{twin.ids['client']}", f"/clients/{twin.ids['client']}/sites/{twin.ids['site1']}",
                 f"/equipment/{twin.ids['covered']}"):
        browser.open(page)
        assert browser.find_all("h1")
        assert not browser.find_all("p.actions a[href$='/edit'], a.add-equipment, p.add a"), page
    for path in NEW_PAGES:
        browser.open(path.format(**twin.ids))
        assert browser.find("section.error").get_attribute("data-status") == "403", path
    screenshot("directory-form-403")
    http, token = signed_in_http(suite.url, twin.slug, email, STAFF_PASSWORD)
    forms = {"/clients/new": {"name": "Взлом"}, "/clients/{client}/edit": {"name": "Взлом"},
             "/clients/{client}/sites/new": {"name": "Взлом"},
             "/clients/{client}/sites/{site1}/edit": {"name": "Взлом"},
             "/clients/{client}/sites/{site1}/equipment/new": {"manufacturer": "Взлом", "model": "X"},
             "/equipment/{covered}/edit": {"site_id": twin.ids["site1"], "manufacturer": "Взлом", "model": "X",
                                           "status": "in_service"}}
    for path, form in forms.items():
        refused = http.post(suite.url + path.format(**twin.ids), data={"csrf_token": token, **form}, timeout=10)
        assert refused.status_code == 403 and 'data-status="403"' in refused.text, path
    assert twin.admin.get(f"/api/v1/clients/{twin.ids['client']}").json()["name"] != "Взлом"
    assert twin.admin.get(f"/api/v1/equipment/{twin.ids['covered']}").json()["manufacturer"] == "PERCo"
    sites = twin.admin.get(f"/api/v1/clients/{twin.ids['client']}/sites").json()["items"]
    assert "Взлом" not in [site["name"] for site in sites]


def test_another_accounts_and_another_clients_ids_are_404_for_every_form(browser, twin, foreign, suite):
    twin.sign_in(browser)
    ids = dict(twin.ids, client=foreign["client"], site1=foreign["site"], covered=foreign["item"])
    # Another client's site under this account's client is no site of it either.
    crossed = dict(twin.ids, site1=twin.ids["other_site"])
    for path in NEW_PAGES[1:]:
        for case in (ids, crossed) if "{site1}" in path else (ids,):
            browser.open(path.format(**case))
            assert browser.find("section.error").get_attribute("data-status") == "404", (path, case is ids)
    http, token = signed_in_http(suite.url, twin.slug, f"admin@{twin.slug}.example", ADMIN_PASSWORD)
    site_form = {"name": "Подкидыш"}
    item_form = {"site_id": twin.ids["site1"], "manufacturer": "Подкидыш", "model": "X", "status": "in_service"}
    for path, form in (("/clients/{client}/edit", {"name": "Подкидыш"}), ("/clients/{client}/sites/new", site_form),
                       ("/clients/{client}/sites/{site1}/edit", site_form),
                       ("/clients/{client}/sites/{site1}/equipment/new", item_form),
                       ("/equipment/{covered}/edit", item_form)):
        for case in (ids, crossed) if "{site1}" in path else (ids,):
            refused = http.post(suite.url + path.format(**case), data={"csrf_token": token, **form}, timeout=10)
            assert refused.status_code == 404 and 'data-status="404"' in refused.text, (path, case is ids)
    names = [e["manufacturer"] for e in twin.admin.get("/api/v1/equipment", params={"limit": 100}).json()["items"]]
    assert "Подкидыш" not in names


def test_the_forms_work_without_javascript(twin, suite):
    """Plain posts: 303 to the saved record's page; no CSRF token, 400 and nothing written."""
    http, token = signed_in_http(suite.url, twin.slug, f"admin@{twin.slug}.example", ADMIN_PASSWORD)
    created = http.post(f"{suite.url}/clients/{twin.ids['client']}/sites/new", allow_redirects=False, timeout=10,
                        data={"csrf_token": token, "name": f"Без скриптов {twin.tag}"})
    assert created.status_code == 303
    site_id = created.headers["Location"].rsplit("/", 1)[1]
    assert created.headers["Location"].endswith(f"/clients/{twin.ids['client']}/sites/{site_id}")
    item = http.post(f"{suite.url}/clients/{twin.ids['client']}/sites/{site_id}/equipment/new", allow_redirects=False,
                     timeout=10, data={"csrf_token": token, "manufacturer": "Bolid", "model": "C2000",
                                       "status": "in_service"})
    assert item.status_code == 303 and "/equipment/" in item.headers["Location"]
    unsigned = http.post(f"{suite.url}/clients/{twin.ids['client']}/sites/{site_id}/edit", timeout=10,
                         data={"name": "Без токена"})
    assert unsigned.status_code == 400
    site = twin.admin.get(f"/api/v1/clients/{twin.ids['client']}/sites/{site_id}").json()
    assert site["name"] == f"Без скриптов {twin.tag}"
