"""Two accounts of one installation federate through partner_bridge: a partner service company
shares a ticket with its manufacturer, they exchange comments and statuses both ways, and the
manufacturer never reads the partner's internal notes, prices or client's phone number."""
import pytest
import requests

from tests.integration.partner_flows import (
    comment_bodies, correlation_of, link, ok, settle, share, ticket)
from tests.integration.world import build_world

PHONE = "+7 912 345-67-89"
PRIVATE = ("INTERNAL-NOTE-7731", "912 345", "9123456789", "4321.77", "Контакт client_a_company",
           "495) 123-45-67", "Склад-адрес-7731")


@pytest.fixture(scope="module")
def partner(suite):
    return build_world(suite, "fireguard")


@pytest.fixture(scope="module")
def maker(suite):
    return suite.admin("alarmworks")


@pytest.fixture(scope="module")
def stranger(suite):
    return build_world(suite, "stranger")


@pytest.fixture(scope="module")
def link_id(partner, maker):
    return link(maker, partner.admin)


@pytest.fixture(scope="module")
def shared(partner, maker, link_id):
    """The partner's ticket with private data in every place it can hide, shared with the maker."""
    admin = partner.admin
    price = ok(admin.post("/api/v1/price-items", json={
        "code": "PANEL", "name": "Замена платы", "unit": "шт", "price": {"amount": "4321.77"}}), 201)
    site = ok(admin.post(f"/api/v1/clients/{partner.ids['client_a']}/sites", json={
        "name": "Склад-адрес-7731", "address": "Казань, Склад-адрес-7731", "city": "Казань"}), 201)
    source = admin.create_ticket(
        title="Панель S2000-M перезагружается", priority="high", site_id=site["id"],
        description=f"Клиент просит перезвонить: {PHONE}.", client_id=partner.ids["client_a"],
        contact_id=partner.ids["client_a_company"])
    ok(admin.post(f"/api/v1/tickets/{source['id']}/works", json={"code": price["code"],
                                                                 "quantity": "1"}), 201)
    ok(admin.post(f"/api/v1/tickets/{source['id']}/comments", json={
        "body": "INTERNAL-NOTE-7731: client owes us", "visibility": "internal"}), 201)
    ok(admin.post(f"/api/v1/tickets/{source['id']}/comments", json={
        "body": "Battery checked, still rebooting."}), 201)
    received = share(admin, maker, link_id, source["id"])
    return {"source": source, "received": received}


def test_the_shared_ticket_arrives_with_the_numbers_on_both_sides(partner, maker, link_id, shared):
    received = shared["received"]
    assert received["title"] == "Панель S2000-M перезагружается"
    assert received["channel"] == "partner" and received["priority"] == "high"
    assert "[phone hidden]" in received["description"]
    assert "City: Казань" in received["description"]  # the site's city, not its address
    assert received["created_by"] == {"kind": "partner_link", "id": link_id}
    settle(lambda: comment_bodies(maker, received["id"]),
           lambda bodies: "Battery checked, still rebooting." in bodies, "the public comment")
    ours = correlation_of(partner.admin, shared["source"]["id"])
    assert ours["remote_number"] == str(received["number"])
    theirs = correlation_of(maker, received["id"])
    assert theirs["remote_number"] == str(shared["source"]["number"])
    assert theirs["side"] == "replica" and ours["side"] == "origin"


def test_sharing_the_same_ticket_again_opens_nothing_new(partner, maker, link_id, shared):
    again = partner.admin.post(f"/api/v1/partner-links/{link_id}/shares",
                               json={"ticket_id": shared["source"]["id"]})
    assert again.status_code == 409, again.text
    items = ok(maker.get("/api/v1/partner-correlations", params={"link_id": link_id}))["items"]
    assert [c["remote_ticket_id"] for c in items].count(shared["source"]["id"]) == 1


def test_comments_and_statuses_cross_both_ways_in_order_without_echoes(partner, maker, shared):
    source, received = shared["source"]["id"], shared["received"]["id"]
    ok(maker.post(f"/api/v1/tickets/{received}/status", json={"status": "in_progress"}))
    ok(maker.post(f"/api/v1/tickets/{received}/comments", json={"body": "Send the event log."}), 201)
    ok(maker.post(f"/api/v1/tickets/{received}/comments", json={
        "body": "MAKER-ONLY-NOTE-5519", "visibility": "internal"}), 201)
    settle(lambda: ticket(partner.admin, source),
           lambda t: t["status"] == "in_progress" and t["comments"][-1]["body"] == "Send the event log.",
           "the maker's status and comment at the partner")
    arrived = ticket(partner.admin, source)["comments"][-1]
    assert arrived["author"]["kind"] == "partner_link" and arrived["author_name"]
    for body in ("first", "second", "third"):
        ok(partner.admin.post(f"/api/v1/tickets/{source}/comments", json={"body": body}), 201)
    ok(partner.admin.post(f"/api/v1/tickets/{source}/status", json={"status": "waiting"}))
    settle(lambda: ticket(maker, received), lambda t: t["status"] == "waiting",
           "the partner's status at the maker")
    assert comment_bodies(maker, received)[-3:] == ["first", "second", "third"]
    # Nothing bounced: each side holds each comment once, and no status came back around.
    assert comment_bodies(partner.admin, source).count("Send the event log.") == 1
    assert comment_bodies(maker, received).count("first") == 1
    assert ticket(partner.admin, source)["status"] == "waiting"
    assert ticket(maker, received)["status"] == "waiting"
    # The maker's internal note stayed with the maker.
    assert "MAKER-ONLY-NOTE-5519" not in everything_read(partner.admin, source)


def test_changes_made_back_to_back_arrive_in_the_order_made(partner, maker, shared):
    source, received = shared["source"]["id"], shared["received"]["id"]
    made = []
    for n, status in enumerate(("in_progress", "waiting", "in_progress", "waiting")):
        ok(partner.admin.post(f"/api/v1/tickets/{source}/comments", json={"body": f"step {n}"}), 201)
        ok(partner.admin.post(f"/api/v1/tickets/{source}/status", json={"status": status}))
        made += [("comments", f"step {n}"), ("status", status)]
    settle(lambda: comment_bodies(maker, received), lambda bodies: "step 3" in bodies,
           "the partner's back-to-back changes")
    settle(lambda: ticket(maker, received), lambda t: t["status"] == "waiting", "the last status")
    shown = ticket(maker, received)
    bodies = {c["id"]: c["body"] for c in shown["comments"]}
    applied = [(h["field"], bodies.get((h["new"] or {}).get("id")) if h["field"] == "comments"
                else h["new"]) for h in shown["history"] if h["field"] in ("comments", "status")]
    assert applied[-len(made):] == made


def test_later_edits_cross_both_ways_without_echoes(partner, maker, shared):
    source, received = shared["source"]["id"], shared["received"]["id"]
    ok(partner.admin.patch(f"/api/v1/tickets/{source}", json={
        "title": "Панель S2000-M: перезагрузка каждый час", "priority": "critical"}))
    settle(lambda: ticket(maker, received), lambda t: t["priority"] == "critical",
           "the partner's edit at the maker")
    assert ticket(maker, received)["title"] == "Панель S2000-M: перезагрузка каждый час"
    ok(maker.patch(f"/api/v1/tickets/{received}", json={"title": "Bolid S2000-M reboots",
                                                         "priority": "high"}))
    settle(lambda: ticket(partner.admin, source), lambda t: t["priority"] == "high",
           "the maker's edit at the partner")
    # The partner shared the ticket: its title is its own and stays; the maker's is kept beside
    # it on the partner's correlation. Nothing of the partner's edit went back to the partner.
    titles = [h["new"] for h in ticket(partner.admin, source)["history"] if h["field"] == "title"]
    assert titles == ["Панель S2000-M: перезагрузка каждый час"]
    assert correlation_of(partner.admin, source)["partner_text"]["title"] == "Bolid S2000-M reboots"


def everything_read(api, ticket_id):
    """Every answer of the account's partner-related reading endpoints, as text."""
    texts = [api.get(f"/api/v1/tickets/{ticket_id}").text,
             api.get("/api/v1/tickets", params={"limit": 100}).text,
             api.get("/api/v1/partner-correlations", params={"limit": 100}).text,
             api.get("/api/v1/partner-links").text]
    for state in ("ready", "delivered", "error"):
        texts.append(api.get("/api/v1/partner-outbox", params={"state": state, "limit": 100}).text)
    return "\n".join(texts)


def test_the_maker_never_reads_internal_notes_prices_or_the_clients_personal_data(
        partner, maker, shared):
    settle(lambda: comment_bodies(maker, shared["received"]["id"]),
           lambda bodies: "Battery checked, still rebooting." in bodies, "the public comment")
    held = everything_read(maker, shared["received"]["id"])
    for private in PRIVATE:
        assert private not in held


def test_a_paused_link_queues_changes_and_delivers_them_in_order_on_resume(
        partner, maker, link_id, shared):
    source, received = shared["source"]["id"], shared["received"]["id"]
    paused = ok(maker.post(f"/api/v1/partner-links/{link_id}/state", json={"state": "paused"}))
    assert paused["state"] == "paused" and "active" in paused["allowed_transitions"]
    assert paused["announcement"]["outcome"] == "delivered"
    # Told at once: the partner's side shows the pause too.
    assert ok(partner.admin.get(f"/api/v1/partner-links/{link_id}"))["state"] == "paused"
    for body in ("while paused 1", "while paused 2"):
        ok(partner.admin.post(f"/api/v1/tickets/{source}/comments", json={"body": body}), 201)
    settle(lambda: ok(partner.admin.get(f"/api/v1/partner-links/{link_id}"))["outbox"]["counts"],
           lambda counts: counts["ready"] == 2, "the partner's changes queueing")
    assert "while paused 1" not in comment_bodies(maker, received)
    ok(maker.post(f"/api/v1/partner-links/{link_id}/state", json={"state": "active"}))
    assert ok(partner.admin.get(f"/api/v1/partner-links/{link_id}"))["state"] == "active"
    settle(lambda: comment_bodies(maker, received)[-2:],
           lambda last: last == ["while paused 1", "while paused 2"], "the queued changes")


def test_rules_are_validated_naming_the_field(partner, link_id):
    refused = partner.admin.put(f"/api/v1/partner-links/{link_id}/rules", json={
        "outgoing": {"fields": ["title", "prices"]}})
    assert refused.status_code == 422, refused.text
    fields = {e["field"]: e["reason"] for e in refused.json()["errors"]}
    assert fields == {"outgoing.fields.1": "Цены никогда не покидают учётную запись."}
    changed = ok(partner.admin.put(f"/api/v1/partner-links/{link_id}/rules", json={
        "incoming": {"priority": "low"}}))
    assert changed["rules"]["incoming"]["priority"] == "low"
    assert "public_comments" in changed["rules"]["outgoing"]["fields"]


def delivered_item(api):
    return ok(api.get("/api/v1/partner-outbox", params={"state": "delivered"}))["items"][0]["id"]


def test_another_account_finds_nothing_of_the_link(stranger, partner, link_id, shared):
    admin = stranger.admin
    correlation = correlation_of(partner.admin, shared["source"]["id"])
    for answer in (admin.get(f"/api/v1/partner-links/{link_id}"),
                   admin.post(f"/api/v1/partner-links/{link_id}/state", json={"state": "paused"}),
                   admin.put(f"/api/v1/partner-links/{link_id}/rules", json={"incoming": {}}),
                   admin.post(f"/api/v1/partner-links/{link_id}/shares",
                              json={"ticket_id": stranger.ids["ticket_client_a"]}),
                   admin.get(f"/api/v1/partner-correlations/{correlation['id']}"),
                   admin.post(f"/api/v1/partner-links/{link_id}/received/retry"),
                   admin.post(f"/api/v1/partner-outbox/{delivered_item(partner.admin)}/replay")):
        assert answer.status_code == 404, answer.text
    # Only the stranger's own pending invitation (made by build_world) is listed.
    assert [link["id"] for link in ok(admin.get("/api/v1/partner-links"))["items"]] == [
        stranger.ids["partner_link"]]
    assert ok(admin.get("/api/v1/partner-correlations"))["items"] == []
    assert ok(admin.get("/api/v1/partner-outbox", params={"state": "delivered"}))["items"] == []
    assert ok(admin.get("/api/v1/partner-reports/manufacturer"))["partners"] == []
    assert ok(admin.get("/api/v1/partner-reports/requests"))["items"] == []


def test_a_pending_link_is_not_activated_nor_rotated_by_an_admin(stranger):
    pending = stranger.ids["partner_link"]  # its invitation was never accepted
    activated = stranger.admin.post(f"/api/v1/partner-links/{pending}/state",
                                    json={"state": "active"})
    assert activated.status_code == 409 and activated.json()["allowed"] == ["revoked"]
    rotated = stranger.admin.post(f"/api/v1/partner-links/{pending}/secret-rotation", json={})
    assert rotated.status_code == 409, rotated.text
    assert rotated.json()["state"] == "pending"


def test_only_an_item_in_error_is_replayed(partner):
    answer = partner.admin.post(f"/api/v1/partner-outbox/{delivered_item(partner.admin)}/replay")
    assert answer.status_code == 409 and answer.json()["allowed"] == ["error"]


def test_a_ticket_of_another_account_cannot_be_shared(partner, stranger, link_id):
    answer = partner.admin.post(f"/api/v1/partner-links/{link_id}/shares",
                                json={"ticket_id": stranger.ids["ticket_client_a"]})
    assert answer.status_code == 404, answer.text


def test_contacts_and_engineers_reach_no_partner_endpoint(partner, link_id, shared):
    contact = partner.people["client_a_company"]
    for answer in (contact.get("/api/v1/partner-links"),
                   contact.get("/api/v1/partner-correlations"),
                   contact.post(f"/api/v1/partner-links/{link_id}/shares",
                                json={"ticket_id": shared["source"]["id"]}),
                   contact.post("/api/v1/partner-links/invitations", json={}),
                   contact.get("/api/v1/partner-reports/manufacturer"),
                   contact.get("/api/v1/partner-reports/requests"),
                   contact.post(f"/api/v1/partner-links/{link_id}/received/retry"),
                   partner.people["field_engineer"].get("/api/v1/partner-links"),
                   partner.people["agent"].post(f"/api/v1/partner-links/{link_id}/state",
                                                json={"state": "paused"})):
        assert answer.status_code == 403, answer.text


def maker_ticket_on_equipment(maker):
    client = ok(maker.post("/api/v1/clients", json={"name": "ТЦ Галерея"}), 201)
    site = ok(maker.post(f"/api/v1/clients/{client['id']}/sites", json={"name": "Корпус 1"}), 201)
    kind = ok(maker.post("/api/v1/equipment-kinds", json={"name": "Control panel"}), 201)
    item = ok(maker.post("/api/v1/equipment", json={
        "site_id": site["id"], "kind_id": kind["id"], "manufacturer": "Bolid", "model": "S2000-M",
        "serial_number": "SN-REPORT-1"}), 201)
    return maker.create_ticket(title="Panel offline", equipment_id=item["id"])


def test_the_reports_show_the_partners_reaction_and_resolution(partner, maker, link_id, shared):
    request = maker_ticket_on_equipment(maker)
    there = share(maker, partner.admin, link_id, request["id"])
    assert "S2000-M" in there["description"] and "SN-REPORT-1" in there["description"]
    ok(partner.admin.post(f"/api/v1/tickets/{there['id']}/status", json={"status": "in_progress"}))
    ok(partner.admin.post(f"/api/v1/tickets/{there['id']}/status", json={"status": "resolved"}))
    settle(lambda: ticket(maker, request["id"]), lambda t: t["status"] == "resolved",
           "the partner's resolution at the maker")
    report = ok(maker.get("/api/v1/partner-reports/manufacturer"))
    [row] = report["partners"]
    assert row["link_id"] == link_id and row["partner_name"] == "Сервисная компания fireguard"
    assert (row["shared_with"], row["shared_from"]) == (1, 1)
    assert row["reaction"]["count"] == 1 and row["resolution"]["count"] == 1
    assert row["reaction"]["median_minutes"] <= row["resolution"]["median_minutes"]
    assert {"manufacturer": "Bolid", "model": "S2000-M", "tickets": 1} in report["equipment_models"]
    # Problems are the tickets' current titles (the maker renamed its copy of the partner's).
    assert {p["problem"] for p in report["problems"]} >= {"Panel offline",
                                                          "Bolid S2000-M reboots"}
    requests = ok(partner.admin.get("/api/v1/partner-reports/requests"))["items"]
    [mine] = [r for r in requests if r["ticket_id"] == shared["source"]["id"]]
    assert mine["remote_number"] == str(shared["received"]["number"])
    assert mine["reaction_minutes"] is not None  # the maker answered in an earlier step
    assert ok(partner.admin.get("/api/v1/partner-reports/requests",
                                params={"since": "2999-01-01T00:00:00+00:00"}))["items"] == []


def test_crossing_status_changes_end_alike_and_the_conflict_is_recorded(partner, maker, link_id):
    source = partner.admin.create_ticket(title="Siren silent after test")
    received = share(partner.admin, maker, link_id, source["id"])
    # The maker's side pauses: neither side's change can reach the other until it resumes.
    ok(maker.post(f"/api/v1/partner-links/{link_id}/state", json={"state": "paused"}))
    ok(partner.admin.post(f"/api/v1/tickets/{source['id']}/status", json={"status": "resolved"}))
    ok(maker.post(f"/api/v1/tickets/{received['id']}/status", json={"status": "waiting"}))
    for api, whose in ((maker, "the maker's"), (partner.admin, "the partner's")):
        # Both changes are stamped and queued before either side hears of the other's.
        settle(lambda: ok(api.get(f"/api/v1/partner-links/{link_id}"))["outbox"]["counts"]["ready"],
               lambda ready: ready >= 1, f"{whose} change queueing")
    ok(maker.post(f"/api/v1/partner-links/{link_id}/state", json={"state": "active"}))
    settle(lambda: ticket(maker, received["id"])["status"], lambda status: status == "resolved",
           "the partner's status winning at the maker")
    # The partner shared the ticket: on equal counters its side's status stands on both sides.
    for api, ticket_id, winner in ((partner.admin, source["id"], "local"),
                                   (maker, received["id"], "remote")):
        correlation = settle(lambda: correlation_of(api, ticket_id), lambda c: c["conflicts"],
                             "the conflict record")
        assert correlation["conflicts"][0]["rule"] == "lamport-counter-then-origin"
        assert correlation["conflicts"][0]["winner"] == winner
        assert ticket(api, ticket_id)["status"] == "resolved"


def test_a_revoke_is_told_to_the_partner_and_nothing_goes_after_it(partner, maker, link_id, shared):
    # Runs after everything that needs the link: revoking is final.
    revoked = ok(maker.post(f"/api/v1/partner-links/{link_id}/state", json={"state": "revoked"}))
    assert revoked["announcement"]["outcome"] == "delivered"
    theirs = ok(partner.admin.get(f"/api/v1/partner-links/{link_id}"))
    assert theirs["state"] == "revoked" and theirs["allowed_transitions"] == []
    ok(partner.admin.post(f"/api/v1/tickets/{shared['source']['id']}/comments",
                          json={"body": "after the revocation"}), 201)
    # The partner knows: nothing is queued to be refused and parked later.
    assert ok(partner.admin.get(f"/api/v1/partner-links/{link_id}"))["outbox"]["counts"]["ready"] == 0
    assert ok(partner.admin.get("/api/v1/partner-outbox"))["items"] == []
    assert "after the revocation" not in comment_bodies(maker, shared["received"]["id"])


def test_the_invitation_link_explains_the_code_without_signing_in(suite, maker, stranger):
    invitation = ok(maker.post("/api/v1/partner-links/invitations", json={}), 201)
    opened = requests.get(invitation["url"], timeout=10)
    assert opened.status_code == 200, opened.text
    described = opened.json()
    assert described["state"] == "pending" and described["link_id"] == invitation["link"]["id"]
    assert described["accept_path"] == "/api/v1/partner-links/accept"
    assert "/api/v1/partner-links/accept" in described["instructions"]
    assert "приглашает" in described["instructions"]  # Russian unless asked otherwise
    english = requests.get(invitation["url"], headers={"Accept-Language": "en"}, timeout=10).json()
    assert "invites your service desk" in english["instructions"]
    forged = requests.get(invitation["url"][:-3] + "xyz", timeout=10)
    assert forged.status_code == 422 and forged.json()["errors"][0]["field"] == "code"
    # Another account accepts the URL as it is, and the link is active; the page says so.
    accepted = ok(stranger.admin.post("/api/v1/partner-links/accept",
                                      json={"code": invitation["url"]}), 201)
    assert accepted["partner"]["account_name"] == described["inviter"]["account_name"]
    assert requests.get(invitation["url"], timeout=10).json()["state"] == "active"


def test_the_schemas_our_events_point_to_are_served(suite):
    answer = requests.get(f"{suite.url}/api/v1/federation/schemas/EquipmentRef.schema.json",
                          timeout=10)
    assert answer.status_code == 200 and "serialNumber" in answer.json()["properties"]
    missing = requests.get(f"{suite.url}/api/v1/federation/schemas/Nothing.schema.json", timeout=10)
    assert missing.status_code == 404
