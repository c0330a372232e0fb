"""The queue's saved views, bulk actions and SLA badges in a real Chromium, at desktop and phone
sizes; a saved view of another employee or account is 404 on the page as on the API."""
import uuid

from selenium.common.exceptions import StaleElementReferenceException

from tests.integration.suite_process import ADMIN_PASSWORD
from tests.integration.world import login

STAFF_PASSWORD = "Staff-password-2026"
PRIORITIES = ("low", "normal", "high", "critical")


def sign_in_admin(browser):
    browser.sign_in("acme", "admin@acme.example", ADMIN_PASSWORD)
    browser.wait_for("header.topbar")


def rows(browser):
    """The listed tickets' ids; read again when htmx swapped the list while it was read."""
    while True:
        try:
            return [row.get_attribute("data-ticket") for row in browser.find_all("tr[data-ticket]")]
        except StaleElementReferenceException:
            continue


def test_a_saved_view_is_created_used_and_deleted(browser, acme, screenshot):
    tag = uuid.uuid4().hex[:6]
    urgent = acme.create_ticket(title=f"Горит щит {tag}", priority="critical")
    acme.create_ticket(title=f"Заменить лампу {tag}", priority="low")
    sign_in_admin(browser)
    browser.open(f"/tickets?q={tag}&priority=critical&priority=high")
    assert rows(browser) == [urgent["id"]]

    browser.find("#view-name").send_keys(f"Срочное {tag}")
    browser.click_through("form.save-view button[type=submit]")
    browser.wait_for(".views li[data-view] .count")  # counted after the page, in one call
    assert browser.text(".views a[aria-current=page]") == f"Срочное {tag}"
    view_id = browser.find(".views a[aria-current=page]").find_element("xpath", "..") \
        .get_attribute("data-view")
    assert browser.text(f".views li[data-view='{view_id}'] .count") == "1"
    assert rows(browser) == [urgent["id"]]
    screenshot("queue-saved-view")

    browser.open("/tickets")
    browser.click_through(f".views li[data-view='{view_id}'] a")
    assert rows(browser) == [urgent["id"]]

    browser.click_through(f".views li[data-view='{view_id}'] button.delete")
    assert not browser.find_all(f".views li[data-view='{view_id}']")
    assert acme.get(f"/api/v1/saved-views/{view_id}").status_code == 404


def test_a_view_name_is_required_and_named_in_russian(browser, acme):
    sign_in_admin(browser)
    browser.open("/tickets")
    browser.click_through("form.save-view button[type=submit]")
    reason = browser.find(".save-view .reason[data-field=name]").text
    assert "Обязательное поле" in reason or "Длина" in reason, reason


def test_another_persons_or_accounts_view_is_404(browser, acme, globex):
    own = acme.post("/api/v1/saved-views", json={"name": f"Чужой {uuid.uuid4().hex[:6]}",
                                                 "filters": {"status": ["opened"]}}).json()
    foreign = globex.post("/api/v1/saved-views", json={"name": "Globex",
                                                       "filters": {}}).json()
    email = f"dispatcher-{uuid.uuid4().hex[:6]}@acme.example"
    acme.create_employee("dispatcher", email=email, password=STAFF_PASSWORD)
    browser.sign_in("acme", email, STAFF_PASSWORD)
    browser.wait_for("header.topbar")
    for view in (own, foreign):
        browser.open(f"/tickets?view={view['id']}")
        assert browser.find("section.error").get_attribute("data-status") == "404"
    assert own["name"] not in browser.text()


def test_bulk_status_change_shows_each_tickets_outcome_and_a_409_on_its_row(browser, acme,
                                                                             screenshot):
    tag = uuid.uuid4().hex[:6]
    movable = acme.create_ticket(title=f"Можно взять {tag}")
    closed = acme.create_ticket(title=f"Уже закрыта {tag}")
    assert acme.post(f"/api/v1/tickets/{closed['id']}/status",
                     json={"status": "closed"}).status_code == 200
    sign_in_admin(browser)
    browser.open(f"/tickets?q={tag}")
    for ticket in (movable, closed):
        browser.find(f"input[name=ticket_id][value='{ticket['id']}']").click()
    browser.find(".bulk-actions select[name=new_status] option[value=in_progress]").click()
    browser.find(".bulk-actions button[value=status]").click()
    browser.wait_for(f"tr[data-ticket='{closed['id']}'][data-outcome]")
    assert browser.find(f"tr[data-ticket='{movable['id']}']").get_attribute("data-outcome") == "200"
    refused = browser.find(f"tr[data-ticket='{closed['id']}']")
    assert refused.get_attribute("data-outcome") == "409"
    reason = refused.find_element("css selector", ".refusal").text
    assert "409" in reason and "Не из статуса «Закрыта»" in reason, reason
    assert acme.get(f"/api/v1/tickets/{movable['id']}").json()["status"] == "in_progress"
    assert acme.get(f"/api/v1/tickets/{closed['id']}").json()["status"] == "closed"
    screenshot("queue-bulk-409")


def test_bulk_assign_sets_the_assignee_of_every_checked_ticket(browser, acme):
    tag = uuid.uuid4().hex[:6]
    tickets = [acme.create_ticket(title=f"Назначить {tag} {n}") for n in range(2)]
    person = acme.create_employee("agent", name=f"Агент {tag}")
    sign_in_admin(browser)
    browser.open(f"/tickets?q={tag}")
    for ticket in tickets:
        browser.find(f"input[name=ticket_id][value='{ticket['id']}']").click()
    picker = ".bulk-actions select[name=new_assignee_id]"
    browser.find(f"{picker} option[value='{person['id']}']").click()
    browser.find(".bulk-actions button[value=assign]").click()
    browser.wait_until(lambda: len(browser.find_all("tr[data-outcome='200']")) == 2)
    assert all(acme.get(f"/api/v1/tickets/{t['id']}").json()["assignee_id"] == person["id"]
               for t in tickets)
    assert browser.text(f"tr[data-ticket='{tickets[0]['id']}'] td.assignee") == f"Агент {tag}"


def test_sla_badges_show_a_paused_clock(browser, acme, screenshot):
    tag = uuid.uuid4().hex[:6]
    level = acme.post("/api/v1/service-levels", json={
        "name": f"Золото {tag}", "monthly_price": {"amount": "45000"},
        "targets": {p: {"reaction_minutes": 60, "resolution_minutes": 480} for p in PRIORITIES}})
    assert level.status_code == 201, level.text
    client = acme.post("/api/v1/clients", json={"name": f"Клиент на SLA {tag}"}).json()
    contract = acme.post("/api/v1/contracts", json={
        "number": f"СО-{tag}", "client_id": client["id"], "service_level_id": level.json()["id"],
        "valid_from": "2025-01-01", "payment": {"state": "paid"}})
    assert contract.status_code == 201, contract.text
    waiting = acme.create_ticket(title=f"Ждём клиента {tag}", priority="high",
                                 client_id=client["id"])
    assert acme.post(f"/api/v1/tickets/{waiting['id']}/status",
                     json={"status": "waiting"}).status_code == 200
    assert acme.get(f"/api/v1/tickets/{waiting['id']}").json()["sla"]["paused"] is True
    sign_in_admin(browser)
    browser.open(f"/tickets?q={tag}&sla_state=paused")
    assert rows(browser) == [waiting["id"]]
    assert browser.text(f"tr[data-ticket='{waiting['id']}'] td.sla") == "SLA на паузе"
    screenshot("queue-sla-desktop")
    with browser.phone():
        browser.open(f"/tickets?q={tag}")
        browser.wait_for("table.tickets")
        screenshot("queue-sla-phone")


def test_more_filters_load_their_pickers_when_opened_and_filter_by_client(browser, acme):
    tag = uuid.uuid4().hex[:6]
    client = acme.post("/api/v1/clients", json={"name": f"А-Клиент {tag}"}).json()
    theirs = acme.create_ticket(title=f"Клиентская {tag}", client_id=client["id"])
    acme.create_ticket(title=f"Без клиента {tag}")
    sign_in_admin(browser)
    browser.open(f"/tickets?q={tag}")
    assert not browser.find_all("select[name=client_id]")  # not fetched until asked for
    browser.find(".more-filters summary").click()
    browser.wait_for(f"select[name=client_id] option[value='{client['id']}']").click()
    browser.wait_until(lambda: rows(browser) == [theirs["id"]])
    assert f"client_id={client['id']}" in browser.driver.current_url
    browser.open(f"/tickets?q={tag}&more=1")  # without JavaScript: a link shows them all
    assert browser.find_all(f"select[name=client_id] option[value='{client['id']}']")


def test_a_field_engineer_is_refused_bulk_assignment_row_by_row_as_on_the_api(browser, acme,
                                                                              suite):
    tag = uuid.uuid4().hex[:6]
    ticket = acme.create_ticket(title=f"Не моё дело {tag}")
    email = f"engineer-{tag}@acme.example"
    engineer = acme.create_employee("field_engineer", email=email, password=STAFF_PASSWORD)
    browser.sign_in("acme", email, STAFF_PASSWORD)
    browser.wait_for("header.topbar")
    browser.open(f"/tickets?q={tag}")
    browser.find(f"input[name=ticket_id][value='{ticket['id']}']").click()
    picker = ".bulk-actions select[name=new_assignee_id]"
    browser.find(f"{picker} option[value='{engineer['id']}']").click()
    browser.find(".bulk-actions button[value=assign]").click()
    row = browser.wait_for(f"tr[data-ticket='{ticket['id']}'][data-outcome]")
    assert row.get_attribute("data-outcome") == "403"
    api = login(suite.url, "acme", email, STAFF_PASSWORD)
    assert api.patch(f"/api/v1/tickets/{ticket['id']}",
                     json={"assignee_id": engineer["id"]}).status_code == 403
    assert acme.get(f"/api/v1/tickets/{ticket['id']}").json()["assignee_id"] is None
