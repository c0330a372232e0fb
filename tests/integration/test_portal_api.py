"""The client portal's service side over the real suite: a contact reads their own company's
sites and equipment through the API (another client's or account's ids are 404), registers a
request whose paid visit must be accepted, confirms or reopens within the account's window and
rates the work once (docs/portal.md)."""
import uuid

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from services.shared.errors import Conflict, Forbidden, NotFound
from tests.portal_world import build_portal, made, other, world  # noqa: F401  (fixtures)


@pytest.fixture(scope="module")
def rpc(suite):
    with ClusterRpcProxy({"AMQP_URI": suite.amqp_uri}, timeout=30) as proxy:
        yield proxy


def as_contact(world, key):
    return {"credential": world.contacts[key].token}


def test_a_contact_lists_their_companys_sites_and_equipment(world):
    contact = world.contacts["a_own"]
    sites = made(contact.get(f"/api/v1/clients/{world.ids['client_a']}/sites"), 200)["items"]
    assert {s["id"] for s in sites} == {world.ids["site_a1"], world.ids["site_a2"]}
    assert "access_notes" not in sites[0]  # the desk's notes stay the desk's
    items = made(contact.get("/api/v1/equipment"), 200)["items"]
    assert {i["id"] for i in items} == {world.ids["item_a1"], world.ids["item_a2"]}
    on_site = made(contact.get("/api/v1/equipment", params={"site_id": world.ids["site_a2"]}), 200)
    assert [i["id"] for i in on_site["items"]] == [world.ids["item_a2"]]
    assert "public_code" not in items[0] and "parameters" not in items[0]
    item = made(contact.get(f"/api/v1/equipment/{world.ids['item_a1']}"), 200)
    assert item["model"] == "TTR-a1"


@pytest.mark.parametrize("path", [
    "/api/v1/clients/{client_b}/sites", "/api/v1/clients/{client_b}/sites/{site_b1}",
    "/api/v1/clients/{client_a}/sites/{site_b1}", "/api/v1/equipment/{item_b1}",
    "/api/v1/equipment?site_id={site_b1}", "/api/v1/equipment?client_id={client_b}"])
def test_another_clients_sites_and_equipment_are_404_to_a_contact(world, path):
    assert world.contacts["a_company"].get(path.format(**world.ids)).status_code == 404


@pytest.mark.parametrize("path", [
    "/api/v1/clients/{client_a}/sites", "/api/v1/equipment/{item_a1}",
    "/api/v1/equipment?site_id={site_a1}", "/api/v1/clients/{client_a}/sites/{site_a1}"])
def test_another_accounts_sites_and_equipment_are_404_to_a_contact(world, other, path):
    assert other.contacts["a_company"].get(path.format(**world.ids)).status_code == 404


def test_employees_still_read_every_clients_equipment(world):
    items = made(world.admin.get("/api/v1/equipment"), 200)["items"]
    assert {world.ids["item_a1"], world.ids["item_b1"]} <= {i["id"] for i in items}


def test_the_verdict_told_to_the_client_names_the_paid_visits_price(world, rpc):
    covered = rpc.tickets.portal_coverage(as_contact(world, "a_own"), {"site_id": world.ids["site_a1"]})
    assert covered == {"verdict": "covered", "action": "accept", "message": None, "price": None}
    paid = rpc.tickets.portal_coverage(as_contact(world, "a_own"), {"equipment_id": world.ids["item_a2"]})
    assert paid["action"] == "paid_work" and paid["price"] == {"amount": "2500.00", "currency": "RUB"}
    assert "contract_id" not in paid
    with pytest.raises(NotFound):
        rpc.tickets.portal_coverage(as_contact(world, "a_own"), {"equipment_id": world.ids["item_b1"]})


def test_a_paid_request_is_sent_only_when_the_client_accepts_the_price(world, rpc):
    request = {"title": "Турникет не вращается", "equipment_id": world.ids["item_a2"]}
    with pytest.raises(Conflict) as refused:
        rpc.tickets.portal_register(as_contact(world, "a_own"), request)
    assert refused.value.extra["action"] == "paid_work"
    ticket = rpc.tickets.portal_register(as_contact(world, "a_own"), dict(request, paid_accepted=True))
    assert ticket["channel"] == "portal" and ticket["billing"] == "paid_one_off"
    assert ticket["site_id"] == world.ids["site_a2"] and ticket["contact_id"] == world.ids["a_own"]
    audit = made(world.admin.get("/api/v1/audit", params={"action": "ticket.paid_work_accepted"}), 200)
    assert ticket["id"] in {entry["target_id"] for entry in audit["items"]}


def test_a_covered_request_needs_no_consent(world, rpc):
    ticket = rpc.tickets.portal_register(as_contact(world, "a_company"), {
        "title": "Не горит индикатор", "equipment_id": world.ids["item_a1"]})
    assert ticket["coverage"]["verdict"] == "covered" and ticket["billing"] is None


def test_a_request_cannot_name_another_clients_or_accounts_equipment(world, other, rpc):
    for item in (world.ids["item_b1"], other.ids["item_a1"]):
        with pytest.raises(NotFound):
            rpc.tickets.portal_register(as_contact(world, "a_own"), {"title": "x", "equipment_id": item})


def test_portal_calls_are_for_contacts_only(world, rpc):
    admin = {"credential": world.admin.token}
    with pytest.raises(Forbidden):
        rpc.tickets.portal_ticket(admin, world.ids["ticket_a_own"])


def test_an_own_contact_sees_only_their_requests_and_a_company_one_all_of_the_company(world, rpc):
    own = {t["id"] for t in made(world.contacts["a_own"].get("/api/v1/tickets"), 200)["items"]}
    company = {t["id"] for t in made(world.contacts["a_company"].get("/api/v1/tickets"), 200)["items"]}
    assert world.ids["ticket_a_own"] in own and world.ids["ticket_a_company"] not in own
    assert {world.ids["ticket_a_own"], world.ids["ticket_a_company"]} <= company
    assert world.ids["ticket_b_company"] not in company
    with pytest.raises(NotFound):
        rpc.tickets.portal_ticket(as_contact(world, "a_own"), world.ids["ticket_a_company"])
    with pytest.raises(NotFound):
        rpc.tickets.portal_ticket(as_contact(world, "a_company"), world.ids["ticket_b_company"])


def resolved_ticket(world, contact="a_company"):
    ticket = made(world.contacts[contact].post("/api/v1/tickets", json={
        "title": f"Заявка {uuid.uuid4().hex[:6]}", "channel": "portal"}))
    made(world.admin.post(f"/api/v1/tickets/{ticket['id']}/comments", json={
        "body": "Внутренняя заметка: сменили плату", "visibility": "internal"}))
    made(world.admin.post(f"/api/v1/tickets/{ticket['id']}/comments", json={
        "body": "Заменили считыватель, проверьте, пожалуйста."}))
    made(world.admin.post(f"/api/v1/tickets/{ticket['id']}/status", json={"status": "resolved"}), 200)
    return ticket


def test_the_ticket_page_shows_public_comments_only_and_what_the_client_may_do(world, rpc):
    ticket = resolved_ticket(world)
    page = rpc.tickets.portal_ticket(as_contact(world, "a_company"), ticket["id"])
    assert [c["body"] for c in page["ticket"]["comments"]] == ["Заменили считыватель, проверьте, пожалуйста."]
    assert page["ticket"]["history"] == [] and page["ticket"]["calls"] == []
    assert list(page["names"]["employees"].values()) == ["Администратор"]
    assert page["feedback"]["confirm"] and page["feedback"]["reopen"] and page["feedback"]["rate"]
    assert page["feedback"]["until"] is not None


def test_confirming_closes_and_then_reopening_is_still_possible_within_the_window(world):
    ticket = resolved_ticket(world)
    contact = world.contacts["a_company"]
    closed = made(contact.post(f"/api/v1/tickets/{ticket['id']}/confirmation", json={}), 200)
    assert closed["status"] == "closed"
    assert contact.post(f"/api/v1/tickets/{ticket['id']}/confirmation", json={}).status_code == 409
    reopened = made(contact.post(f"/api/v1/tickets/{ticket['id']}/reopening",
                                 json={"comment": "Снова скрипит"}), 200)
    assert reopened["status"] == "reopened" and reopened["comments"][-1]["body"] == "Снова скрипит"


def test_an_open_ticket_cannot_be_confirmed_or_reopened(world):
    assert world.contacts["a_own"].post(
        f"/api/v1/tickets/{world.ids['ticket_a_own']}/reopening", json={}).status_code == 409


def test_the_window_is_the_accounts_setting(suite):
    world = build_portal(suite)
    ticket = resolved_ticket(world)
    account = made(world.admin.get("/api/v1/account"), 200)
    made(world.admin.patch("/api/v1/account", json={"settings": dict(
        account["settings"], portal_reopen_days=1)}), 200)
    assert made(world.admin.get("/api/v1/account"), 200)["settings"]["portal_reopen_days"] == 1
    bad = world.admin.patch("/api/v1/account", json={"settings": {"portal_reopen_days": 0}})
    assert bad.status_code == 422 and "portal_reopen_days" in bad.text
    bad = world.admin.patch("/api/v1/account", json={"settings": {"portal_logo_url": "http://x.example/l.png"}})
    assert bad.status_code == 422 and "portal_logo_url" in bad.text
    assert made(world.contacts["a_company"].post(
        f"/api/v1/tickets/{ticket['id']}/confirmation", json={}), 200)["status"] == "closed"


def test_a_rating_is_given_once_and_reported_on_the_ticket(world):
    ticket = resolved_ticket(world)
    contact = world.contacts["a_company"]
    bad = contact.post(f"/api/v1/tickets/{ticket['id']}/rating", json={"score": 6})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "score"
    rated = made(contact.post(f"/api/v1/tickets/{ticket['id']}/rating",
                              json={"score": 4, "comment": "Быстро, спасибо"}))
    assert rated["rating"]["score"] == 4
    assert contact.post(f"/api/v1/tickets/{ticket['id']}/rating", json={"score": 5}).status_code == 409
    seen = made(world.admin.get(f"/api/v1/tickets/{ticket['id']}"), 200)["rating"]
    assert seen["score"] == 4 and seen["comment"] == "Быстро, спасибо"
    assert seen["rated_by"] == {"kind": "contact", "id": world.ids["a_company"]}


def test_feedback_on_another_clients_or_accounts_ticket_is_404(world, other):
    ticket = resolved_ticket(world, "a_company")
    for contact in (world.contacts["b_company"], other.contacts["a_company"]):
        for path, body in (("confirmation", {}), ("reopening", {}), ("rating", {"score": 5})):
            assert contact.post(f"/api/v1/tickets/{ticket['id']}/{path}", json=body).status_code == 404
    own = world.contacts["a_own"]  # a colleague with "own" access does not see it either
    assert own.post(f"/api/v1/tickets/{ticket['id']}/rating", json={"score": 5}).status_code == 404


def test_employees_cannot_rate_or_confirm(world):
    ticket = resolved_ticket(world)
    assert world.admin.post(f"/api/v1/tickets/{ticket['id']}/rating", json={"score": 5}).status_code == 403


def test_the_brand_is_public_and_an_unknown_portal_is_404(world, rpc):
    brand = rpc.tickets.portal_brand(world.slug)
    assert brand["slug"] == world.slug and brand["logo_url"] is None
    assert brand["name"] == f"Сервисная компания {world.slug}" and brand["account_id"]
    with pytest.raises(NotFound):
        rpc.tickets.portal_brand("no-such-portal")


def test_a_visitor_reads_only_the_accounts_public_articles(world, other, rpc):
    public = made(world.admin.post("/api/v1/kb/articles", json={
        "title": "Часы работы сервисной службы", "state": "published", "visibility": "public",
        "body": "Заявки принимаются круглосуточно."}))
    account_id = rpc.tickets.portal_brand(world.slug)["account_id"]
    other_id = rpc.tickets.portal_brand(other.slug)["account_id"]
    assert rpc.knowledge.public_article(account_id, public["id"])["title"] == "Часы работы сервисной службы"
    listed = {a["id"] for a in rpc.knowledge.public_articles(account_id, {})["items"]}
    assert listed == {public["id"]}
    hits = rpc.knowledge.public_search(account_id, {"q": "часы работы"})["items"]
    assert [h["id"] for h in hits] == [public["id"]]
    for hidden in (world.ids["article"], world.ids["internal"]):
        with pytest.raises(NotFound):
            rpc.knowledge.public_article(account_id, hidden)
    with pytest.raises(NotFound):
        rpc.knowledge.public_article(other_id, public["id"])
    assert rpc.knowledge.public_search(other_id, {"q": "часы работы"})["items"] == []
    # A public article is every client contact's too, and answers their tickets.
    contact_hits = made(world.contacts["b_company"].get("/api/v1/kb/search", params={"q": "часы работы"}), 200)
    assert [h["id"] for h in contact_hits["items"]] == [public["id"]]
    answered = world.admin.post(f"/api/v1/tickets/{world.ids['ticket_a_own']}/answers",
                                json={"article_id": public["id"]})
    assert answered.status_code == 201, answered.text


def test_was_this_helpful_is_one_answer_per_reader_and_404_outside_their_scope(world, other):
    path = f"/api/v1/kb/articles/{world.ids['article']}/feedback"
    made(world.contacts["a_own"].post(path, json={"helpful": False}), 200)
    made(world.contacts["a_own"].post(path, json={"helpful": True}), 200)  # replaces the first
    made(world.contacts["b_company"].post(path, json={"helpful": False}), 200)
    assert made(world.admin.get(path), 200) == {"helpful": 1, "not_helpful": 1}
    assert world.contacts["a_own"].get(path).status_code == 403  # counts are the editors'
    internal = f"/api/v1/kb/articles/{world.ids['internal']}/feedback"
    assert world.contacts["a_own"].post(internal, json={"helpful": True}).status_code == 404
    assert other.contacts["a_own"].post(path, json={"helpful": True}).status_code == 404
    assert other.admin.get(path).status_code == 404
    bad = world.contacts["a_own"].post(path, json={"helpful": "maybe"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "helpful"


def test_the_satisfaction_report_counts_the_accounts_ratings(suite):
    world = build_portal(suite)
    for score in (5, 3):
        ticket = resolved_ticket(world)
        made(world.contacts["a_company"].post(f"/api/v1/tickets/{ticket['id']}/rating",
                                              json={"score": score}))
    report = made(world.admin.get("/api/v1/reports/satisfaction"), 200)
    assert report["rated"] == 2 and report["average"] == 4.0
    assert report["scores"] == {"1": 0, "2": 0, "3": 1, "4": 0, "5": 1}
    assert report["clients"] == [{"client_id": world.ids["client_a"], "rated": 2, "average": 4.0}]
    today = made(world.admin.get("/api/v1/reports/satisfaction", params={
        "from": "2000-01-01", "to": "2000-01-02"}), 200)
    assert today["rated"] == 0
    bad = world.admin.get("/api/v1/reports/satisfaction", params={"from": "2026-12-02", "to": "2026-12-01"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "to"
    assert world.contacts["a_company"].get("/api/v1/reports/satisfaction").status_code == 403
    other = build_portal(suite)
    assert made(other.admin.get("/api/v1/reports/satisfaction"), 200)["rated"] == 0
