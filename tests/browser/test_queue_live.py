"""Live updates of the queue in a real Chromium: a ticket made through the API by another
session appears without a reload; another account's events never reach the page; a call
ringing on the signed-in employee's extension (posted as a real generic CTI webhook) pops the
caller's card, from which the call is attached to the caller's open ticket, and pops it on any
console page (each page holds one stream: the layout's, or on the queue the queue's)."""
import uuid

import requests

from tests.integration.suite_process import ADMIN_PASSWORD
from tests.integration.telephony_pbx import calls_of, eventually


def open_live_queue(browser, path="/tickets", live=".queue[data-live=open]"):
    browser.sign_in("acme", "admin@acme.example", ADMIN_PASSWORD)
    browser.wait_for("header.topbar")
    browser.open(path)
    browser.wait_for(live)
    assert len(browser.find_all("[sse-connect]")) == 1  # one stream per page, whatever the page


def known_caller(acme, tag):
    """A PBX whose extension rings the signed-in admin, and a caller with an open ticket."""
    me = acme.get("/api/v1/employees", params={"q": "admin@acme.example"}).json()["items"][0]
    extension = str(200 + uuid.uuid4().int % 700)
    pbx = acme.post("/api/v1/telephony/integrations", json={
        "name": f"АТС {tag}", "dialect": "generic",
        "extensions": [{"extension": extension, "employee_id": me["id"]}]})
    assert pbx.status_code == 201, pbx.text
    client = acme.post("/api/v1/clients", json={"name": f"ООО Ромашка {tag}"}).json()
    phone = f"+7916{uuid.uuid4().int % 10_000_000:07d}"
    contact = acme.post(f"/api/v1/clients/{client['id']}/contacts", json={
        "name": f"Анна Смирнова {tag}", "phones": [phone], "portal_access": "none"}).json()
    ticket = acme.create_ticket(title=f"Не печатает {tag}", client_id=client["id"],
                                contact_id=contact["id"])
    return pbx.json(), extension, phone, client, contact, ticket


def ring(suite, pbx, extension, phone, call_id):
    """The PBX's generic CTI webhook: a call from `phone` rings on `extension`."""
    answer = requests.post(suite.url + pbx["webhook_path"], json={
        "event": "newCall", "from": phone, "to": "+7 495 123-45-67", "direction": "in",
        "callId": call_id, "user": [extension]}, timeout=15)
    assert answer.status_code == 200, answer.text


def heard(browser):
    return (browser.find("#queue-results").get_attribute("data-changed") or "").split()


def test_a_ticket_created_elsewhere_appears_without_a_reload(browser, acme, screenshot):
    tag = uuid.uuid4().hex[:6]
    first = acme.create_ticket(title=f"Первая {tag}")
    open_live_queue(browser, f"/tickets?q={tag}")
    page = browser.find("html")
    second = acme.create_ticket(title=f"Вторая {tag}")
    browser.wait_until(lambda: browser.find_all(f"tr[data-ticket='{second['id']}']"))
    assert first["title"] in browser.text("#queue-results")
    assert page == browser.find("html")  # the same page: nothing reloaded it
    acme.post(f"/api/v1/tickets/{first['id']}/status", json={"status": "in_progress"})
    browser.wait_until(lambda: "В работе" in browser.text(f"tr[data-ticket='{first['id']}']"))
    screenshot("queue-live")


def test_another_accounts_events_never_reach_the_page(browser, acme, globex):
    open_live_queue(browser)
    foreign = globex.create_ticket(title=f"Чужая {uuid.uuid4().hex[:6]}")
    globex.post(f"/api/v1/tickets/{foreign['id']}/status", json={"status": "in_progress"})
    own = acme.create_ticket(title=f"Своя {uuid.uuid4().hex[:6]}")
    browser.wait_until(lambda: own["id"] in heard(browser))
    assert foreign["id"] not in heard(browser)
    assert foreign["title"] not in browser.text()


def test_a_ringing_call_pops_the_callers_card_and_attaches_the_call(browser, acme, suite,
                                                                     screenshot):
    tag = uuid.uuid4().hex[:6]
    pbx, extension, phone, client, contact, ticket = known_caller(acme, tag)
    open_live_queue(browser)

    ring(suite, pbx, extension, phone, f"call-{tag}")
    card = browser.wait_for(".screen-pop .caller-card")
    browser.wait_until(lambda: contact["name"] in card.text)
    assert client["name"] in card.text and ticket["title"] in card.text
    new = card.find_element("css selector", "a.primary-link").get_attribute("href")
    assert new.endswith("/tickets/new?phone=" + requests.utils.quote(phone, safe=""))
    screenshot("queue-screen-pop")
    with browser.phone():
        screenshot("queue-screen-pop-phone")

    browser.click_through(".caller-card button.attach")
    assert browser.driver.current_url.endswith(f"/tickets/{ticket['id']}")
    [call] = calls_of(acme, pbx)
    assert ticket["id"] in call["ticket_ids"]


def test_the_card_pops_on_any_console_page(browser, acme, suite, screenshot):
    tag = uuid.uuid4().hex[:6]
    pbx, extension, phone, client, contact, ticket = known_caller(acme, tag)
    open_live_queue(browser, f"/tickets/{ticket['id']}", live=".console-live[data-live=open]")
    ring(suite, pbx, extension, phone, f"call-{tag}")
    card = browser.wait_for(".screen-pop .caller-card")
    browser.wait_until(lambda: contact["name"] in card.text)
    assert client["name"] in card.text and ticket["title"] in card.text
    screenshot("ticket-page-screen-pop")
    with browser.phone():
        screenshot("ticket-page-screen-pop-phone")

    browser.open("/clients")  # another area, its own one stream, and the pop there too
    browser.wait_for(".console-live[data-live=open]")
    assert len(browser.find_all("[sse-connect]")) == 1
    ring(suite, pbx, extension, phone, f"call-{tag}-2")
    browser.wait_until(lambda: contact["name"] in browser.text(".screen-pop"))


def test_pages_outside_the_console_open_no_stream(browser):
    browser.driver.delete_all_cookies()  # signed out: /login is the sign-in form itself
    browser.open("/login")
    browser.wait_for("input[name=password]")
    assert not browser.find_all("[sse-connect]")


def test_a_ring_on_a_colleagues_extension_does_not_pop_here(browser, acme, suite):
    colleague = acme.create_employee("dispatcher")
    pbx = acme.post("/api/v1/telephony/integrations", json={
        "name": f"АТС {uuid.uuid4().hex[:6]}", "dialect": "generic",
        "extensions": [{"extension": "777", "employee_id": colleague["id"]}]}).json()
    open_live_queue(browser)
    requests.post(suite.url + pbx["webhook_path"], json={
        "event": "newCall", "from": "+79160000000", "direction": "in",
        "callId": f"call-{uuid.uuid4().hex[:6]}", "user": ["777"]}, timeout=15)
    # Stored means announced (the consumer publishes right after): the ring goes out before
    # the marker's event, which this page does hear.
    eventually(lambda: calls_of(acme, pbx), "the call stored")
    marker = acme.create_ticket(title=f"Метка {uuid.uuid4().hex[:6]}")
    browser.wait_until(lambda: marker["id"] in heard(browser))
    assert not browser.find_all(".screen-pop .caller-card, .screen-pop .caller-pending")


def test_another_accounts_call_cannot_be_attached_from_the_pop(browser, acme, globex, suite):
    tag = uuid.uuid4().hex[:6]
    admin = globex.get("/api/v1/employees", params={"q": "admin@globex.example"}).json()["items"][0]
    pbx = globex.post("/api/v1/telephony/integrations", json={
        "name": f"АТС {tag}", "dialect": "generic",
        "extensions": [{"extension": "555", "employee_id": admin["id"]}]}).json()
    phone = f"+7916{uuid.uuid4().int % 10_000_000:07d}"
    requests.post(suite.url + pbx["webhook_path"], json={
        "event": "newCall", "from": phone, "direction": "in", "callId": f"call-{tag}",
        "user": ["555"]}, timeout=15)
    [foreign_call] = eventually(lambda: calls_of(globex, pbx), "globex's call stored")
    client = acme.post("/api/v1/clients", json={"name": f"Клиент {tag}"}).json()
    contact = acme.post(f"/api/v1/clients/{client['id']}/contacts", json={
        "name": f"Звонящий {tag}", "phones": [phone], "portal_access": "none"}).json()
    acme.create_ticket(title=f"Своя {tag}", client_id=client["id"], contact_id=contact["id"])
    browser.sign_in("acme", "admin@acme.example", ADMIN_PASSWORD)
    browser.wait_for("header.topbar")
    browser.open(f"/tickets/caller/{foreign_call['id']}?number={requests.utils.quote(phone)}")
    assert contact["name"] in browser.text(".caller-card")  # acme's own card for the number
    browser.click_through(".caller-card button.attach")
    assert browser.find("section.error").get_attribute("data-status") == "404"
    assert not calls_of(globex, pbx)[0].get("ticket_ids")
