"""The ticket page's links to the outside: a call the PBX filed shows with its recording to
play, another call is found by the caller's number and linked by hand, and the ticket is shared
with a partner; each through the same RPC as its API endpoint."""
import uuid

from tests.integration.partner_flows import link
from tests.integration.suite_process import ADMIN_PASSWORD
from tests.integration.telephony_pbx import calls_of, connect, deliveries, eventually, post

RECORDING = "https://pbx.example.ru/recordings/2026/11/30/4b7c2f0e.mp3"  # generic sample's


def sign_in(browser, slug, ticket_id):
    browser.sign_in(slug, f"admin@{slug}.example", ADMIN_PASSWORD)
    browser.wait_for("header.topbar")
    browser.open(f"/tickets/{ticket_id}")
    browser.wait_for(".ticket-header")


def test_calls_show_their_recordings_and_one_is_linked_by_hand(browser, suite, screenshot):
    slug = f"tc-{uuid.uuid4().hex[:6]}"
    admin = suite.admin(slug)
    client = admin.post("/api/v1/clients", json={"name": "ООО Ромашка"}).json()
    contact = admin.post(f"/api/v1/clients/{client['id']}/contacts", json={
        "name": "Иван Звонарёв", "phones": ["8 (916) 123-45-67"]}).json()
    pbx = connect(admin, "generic", rules={"known_caller": "open_new_ticket"})
    for dialect, delivery in deliveries("generic_incoming_answered"):
        assert post(suite.url, pbx, dialect, delivery).status_code == 200
    call = eventually(lambda: [c for c in calls_of(admin, pbx) if c.get("ticket_ids")
                               and all(r["ready"] for r in c["recordings"])], "a filed call")[0]
    filed = call["ticket_ids"][0]
    eventually(lambda: admin.get(f"/api/v1/tickets/{filed}").json().get("recordings"), "the recording")

    sign_in(browser, slug, filed)
    on_page = browser.find_all("#ticket .event[data-kind=call]")
    assert len(on_page) == 1 and "+79161234567" in on_page[0].text
    assert on_page[0].find_element("css selector", "audio").get_attribute("src") == RECORDING
    assert browser.text("[data-fact=contact]") == "Иван Звонарёв"

    other = admin.create_ticket(title="Перезвонить клиенту", contact_id=contact["id"])
    browser.open(f"/tickets/{other['id']}")
    number = browser.wait_for("#link-call-tool input[name=call_number]")
    assert number.get_attribute("value")  # the contact's phone, prefilled
    browser.find("#link-call-tool button[type=submit]").click()
    browser.wait_for(f"button[data-call='{call['id']}']").click()
    browser.wait_until(lambda: browser.find_all("#ticket .event[data-kind=call]"))
    screenshot("ticket-call-linked")
    linked = admin.get(f"/api/v1/tickets/{other['id']}").json()["calls"]
    assert [c["call_id"] for c in linked] == [call["id"]]


def test_a_ticket_is_shared_with_a_partner(browser, suite, screenshot):
    slug, maker = f"ts-{uuid.uuid4().hex[:6]}", f"mk-{uuid.uuid4().hex[:6]}"
    admin = suite.admin(slug)
    link_id = link(admin, suite.admin(maker))
    ticket = admin.create_ticket(title="Панель перезагружается")
    sign_in(browser, slug, ticket["id"])
    option = browser.find(f"#share select[name=link_id] option[value='{link_id}']")
    assert option.text == f"Сервисная компания {maker}"
    option.click()
    browser.find("#share button[type=submit]").click()
    shared = browser.wait_for("#ticket .event[data-kind=share]")
    assert f"Сервисная компания {maker}" in shared.text
    correlations = admin.get("/api/v1/partner-correlations",
                             params={"ticket_id": ticket["id"]}).json()["items"]
    assert [c["link_id"] for c in correlations] == [link_id]
    screenshot("ticket-shared")
