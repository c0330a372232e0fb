"""Two installations (two suites: own data folders, RabbitMQ virtual hosts and ports) federate
over real HTTP: the manufacturer in one, its partner in the other. Deliveries are signed TMF621
events; the manufacturer's installation is killed (-9) midway and the partner's changes wait in
its outbox and arrive in order when it is back; then the partner's own installation is killed
with a change queued, which survives in its outbox."""
import time
from datetime import datetime, timezone

import pytest
import requests

from tests.integration.partner_flows import (
    comment_bodies, correlation_of, link, ok, outbox, settle, share, ticket)
from tests.integration.suite_process import SuiteProcess


@pytest.fixture(scope="module")
def installations(new_amqp_uri, tmp_path_factory):
    started = []
    try:
        for name in ("maker", "partner"):
            folder = tmp_path_factory.mktemp(name)
            started.append(SuiteProcess(new_amqp_uri(), folder / "data", folder / "run").start())
        yield started
    finally:  # also when the second one fails to start: the first must not outlive the tests
        for process in started:
            process.stop()


@pytest.fixture(scope="module")
def sides(installations):
    maker_site, partner_site = installations
    return maker_site, maker_site.admin("alarmworks"), partner_site, partner_site.admin("fireguard")


@pytest.fixture(scope="module")
def link_id(sides):
    _, maker, _, partner = sides
    return link(maker, partner)


def test_the_link_is_active_on_both_installations(sides, link_id):
    maker_site, maker, partner_site, partner = sides
    ours = ok(partner.get(f"/api/v1/partner-links/{link_id}"))
    theirs = ok(maker.get(f"/api/v1/partner-links/{link_id}"))
    assert ours["state"] == theirs["state"] == "active"
    assert ours["partner"]["endpoint"] == maker_site.url
    assert theirs["partner"]["endpoint"] == partner_site.url
    assert "secret" not in repr(ours) + repr(theirs)


def test_a_used_invitation_cannot_be_accepted_again(sides):
    _, maker, _, partner = sides
    invitation = ok(maker.post("/api/v1/partner-links/invitations", json={}), 201)
    ok(partner.post("/api/v1/partner-links/accept", json={"code": invitation["code"]}), 201)
    again = partner.post("/api/v1/partner-links/accept", json={"code": invitation["code"]})
    assert again.status_code == 409, again.text
    forged = invitation["code"][:-4] + ("AAAA" if not invitation["code"].endswith("AAAA") else "BBBB")
    refused = partner.post("/api/v1/partner-links/accept", json={"code": forged})
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["field"] == "code"


def test_unsigned_forged_or_stale_deliveries_are_refused(sides, link_id):
    maker_site, _, _, _ = sides
    account = ok(sides[1].get("/api/v1/account"))["id"]
    url = f"{maker_site.url}/api/v1/federation/{account}/links/{link_id}/events"
    body = b'{"eventId":"x","eventType":"TroubleTicketStatusChangeEvent"}'
    now = str(int(time.time()))
    cases = {"missing_signature": {"X-Partner-Link": link_id},
             "bad_signature": {"X-Partner-Link": link_id, "X-Partner-Timestamp": now,
                               "X-Partner-Signature": "v1=" + "0" * 64},
             "expired": {"X-Partner-Link": link_id, "X-Partner-Timestamp": "1000000000",
                         "X-Partner-Signature": "v1=" + "0" * 64}}
    for reason, headers in cases.items():
        answer = requests.post(url, data=body, headers=headers, timeout=10)
        assert answer.status_code == 401, answer.text
        assert answer.json()["reason"] == reason
    # The link-state listener is guarded the same way: nobody pauses or revokes a link unsigned.
    state_url = f"{maker_site.url}/api/v1/federation/{account}/links/{link_id}/state"
    for reason, headers in cases.items():
        answer = requests.post(state_url, data=b'{"announcement_id":"' + b"a" * 32
                               + b'","state":"revoked"}', headers=headers, timeout=10)
        assert answer.status_code == 401 and answer.json()["reason"] == reason
    assert ok(sides[1].get(f"/api/v1/partner-links/{link_id}"))["state"] == "active"
    unknown = requests.post(f"{maker_site.url}/api/v1/federation/{account}/links/nolink/events",
                            data=body, headers=dict(cases["bad_signature"], **{
                                "X-Partner-Link": "nolink"}), timeout=10)
    assert unknown.status_code == 401 and unknown.json()["reason"] == "unknown_link"


def test_federating_both_ways_with_the_receiver_restarted_midway(sides, link_id):
    maker_site, maker, _, partner = sides
    source = partner.create_ticket(title="Panel S2000-M reboots hourly", priority="high",
                                   description="Call the client back on +7 912 345-67-89.")
    ok(partner.post(f"/api/v1/tickets/{source['id']}/comments", json={
        "body": "INTERNAL-NOTE-7731", "visibility": "internal"}), 201)
    received = share(partner, maker, link_id, source["id"])
    assert received["channel"] == "partner" and "912 345" not in received["description"]
    assert correlation_of(maker, received["id"])["remote_number"] == str(source["number"])

    ok(maker.post(f"/api/v1/tickets/{received['id']}/status", json={"status": "in_progress"}))
    ok(maker.post(f"/api/v1/tickets/{received['id']}/comments", json={"body": "Send the log."}), 201)
    settle(lambda: ticket(partner, source["id"]),
           lambda t: t["status"] == "in_progress" and t["comments"][-1]["body"] == "Send the log.",
           "the maker's answer at the partner")

    maker_site.kill_all()
    for body in ("log part 1", "log part 2", "log part 3"):
        ok(partner.post(f"/api/v1/tickets/{source['id']}/comments", json={"body": body}), 201)
    ok(partner.post(f"/api/v1/tickets/{source['id']}/status", json={"status": "waiting"}))
    settle(lambda: outbox(partner, "ready"), lambda items: len(items) == 4,
           "the partner's changes waiting in its outbox")
    maker_site.start()

    settle(lambda: ticket(maker, received["id"]), lambda t: t["status"] == "waiting",
           "the queued changes after the restart")
    assert comment_bodies(maker, received["id"])[-3:] == ["log part 1", "log part 2", "log part 3"]
    ok(maker.post(f"/api/v1/tickets/{received['id']}/comments", json={"body": "Got it, thanks."}),
       201)
    settle(lambda: comment_bodies(partner, source["id"]),
           lambda bodies: bodies[-1] == "Got it, thanks.", "the maker's reply after its restart")

    settle(lambda: outbox(partner, "ready") + outbox(maker, "ready"), lambda items: not items,
           "both outboxes drained")
    # Each side sent exactly what its people did (and the maker its acknowledgement): an echo
    # of an applied change would be one more item.
    sent_by_partner = [i["event_type"] for i in outbox(partner, "delivered")
                       if i["link_id"] == link_id]
    assert sent_by_partner == ["TroubleTicketCreateEvent"] + [
        "TroubleTicketAttributeValueChangeEvent"] * 3 + ["TroubleTicketStatusChangeEvent"]
    sent_by_maker = [i["event_type"] for i in outbox(maker, "delivered") if i["link_id"] == link_id]
    assert sent_by_maker == ["TroubleTicketAttributeValueChangeEvent",
                             "TroubleTicketStatusChangeEvent"] + [
        "TroubleTicketAttributeValueChangeEvent"] * 2
    # Each item says when it was delivered and how many tries it took, the failed ones too.
    delivered = [i for i in outbox(partner, "delivered") if i["link_id"] == link_id]
    assert len({i["delivered_at"] for i in delivered}) == len(delivered)
    assert all(i["attempts"] >= 1 and i["last_error"] is None for i in delivered)
    assert max(i["attempts"] for i in delivered) > 1  # the ones that waited for the restart
    held = ok(maker.get(f"/api/v1/tickets/{received['id']}")).__repr__()
    assert "INTERNAL-NOTE-7731" not in held and "345-67-89" not in held


def test_the_senders_queue_survives_its_own_restart(sides, link_id):
    maker_site, maker, partner_site, partner = sides
    source = partner.create_ticket(title="Keypad dead")
    received = share(partner, maker, link_id, source["id"])
    # The maker pauses: the partner is told (signed), so its change waits in its own outbox.
    paused = ok(maker.post(f"/api/v1/partner-links/{link_id}/state", json={"state": "paused"}))
    assert paused["announcement"]["outcome"] == "delivered"
    assert ok(partner.get(f"/api/v1/partner-links/{link_id}"))["state"] == "paused"
    ok(partner.post(f"/api/v1/tickets/{source['id']}/comments", json={"body": "before the crash"}),
       201)
    settle(lambda: outbox(partner, "ready"), lambda items: len(items) == 1,
           "the partner's change waiting")
    partner_site.kill_all()
    partner_site.start()
    ok(maker.post(f"/api/v1/partner-links/{link_id}/state", json={"state": "active"}))
    settle(lambda: ok(partner.get(f"/api/v1/partner-links/{link_id}"))["state"],
           lambda state: state == "active", "the resume told to the partner")
    settle(lambda: comment_bodies(maker, received["id"]),
           lambda bodies: bodies[-1:] == ["before the crash"], "the change kept across the crash")
    assert comment_bodies(maker, received["id"]).count("before the crash") == 1


def test_a_rotated_secret_signs_both_ways_and_a_forged_rotation_is_refused(
        sides, link_id):
    maker_site, maker, partner_site, partner = sides
    source = partner.create_ticket(title="Siren silent")
    received = share(partner, maker, link_id, source["id"])
    rotated = ok(maker.post(f"/api/v1/partner-links/{link_id}/secret-rotation",
                            json={"overlap_minutes": 5}))
    assert rotated["secret_rotated_at"] and rotated["previous_secret_accepted_until"]
    theirs = ok(partner.get(f"/api/v1/partner-links/{link_id}"))
    assert theirs["secret_rotated_at"] and "secrets" not in rotated and "secrets" not in theirs
    # Both installations sign with the new secret now: changes go on both ways.
    ok(partner.post(f"/api/v1/tickets/{source['id']}/comments", json={"body": "after rotation"}),
       201)
    settle(lambda: comment_bodies(maker, received["id"]),
           lambda bodies: bodies[-1:] == ["after rotation"], "the partner's change, new secret")
    ok(maker.post(f"/api/v1/tickets/{received['id']}/comments", json={"body": "heard you"}), 201)
    settle(lambda: comment_bodies(partner, source["id"]),
           lambda bodies: bodies[-1:] == ["heard you"], "the maker's change, new secret")
    # A rotation message replayed by someone who recorded it is refused unsigned or badly signed.
    account = ok(maker.get("/api/v1/account"))["id"]
    forged = requests.post(f"{maker_site.url}/api/v1/federation/{account}/links/{link_id}/secret",
                           json={"rotation_id": "r" * 32, "secret": "n" * 43,
                                 "overlap_seconds": 600},
                           headers={"X-Partner-Link": link_id,
                                    "X-Partner-Timestamp": str(int(time.time())),
                                    "X-Partner-Signature": "v1=" + "0" * 64}, timeout=10)
    assert forged.status_code == 401 and forged.json()["reason"] == "bad_signature"


def test_a_reopen_syncs_and_edits_never_destroy_the_other_sides_text(sides, link_id):
    _, maker, _, partner = sides
    source = partner.create_ticket(title="Reader beeps", description="Partner: reader 2 beeps.")
    received = share(partner, maker, link_id, source["id"])
    ok(maker.post(f"/api/v1/tickets/{received['id']}/status", json={"status": "resolved"}))
    settle(lambda: ticket(partner, source["id"]), lambda t: t["status"] == "resolved",
           "the maker's resolution at the partner")
    ok(partner.post(f"/api/v1/tickets/{source['id']}/status", json={"status": "reopened"}))
    settle(lambda: ticket(maker, received["id"]), lambda t: t["status"] == "reopened",
           "the partner's reopen at the maker")
    assert correlation_of(maker, received["id"])["conflicts"] == []
    # The partner edits its text: the maker's copy still holds what the bridge wrote, so it
    # follows. Then the maker writes its own: the partner's text is not replaced.
    ok(partner.patch(f"/api/v1/tickets/{source['id']}",
                     json={"description": "Partner: reader 2 and 3 beep."}))
    settle(lambda: ticket(maker, received["id"]),
           lambda t: t["description"].startswith("Partner: reader 2 and 3 beep."),
           "the partner's edit at the maker")
    ok(maker.patch(f"/api/v1/tickets/{received['id']}",
                   json={"description": "Maker: firmware 4.2 fixes the beeping."}))
    settle(lambda: correlation_of(partner, source["id"]),
           lambda c: (c.get("partner_text") or {}).get("description")
           == "Maker: firmware 4.2 fixes the beeping.", "the maker's text kept at the partner")
    assert ticket(partner, source["id"])["description"] == "Partner: reader 2 and 3 beep."
    ok(partner.patch(f"/api/v1/tickets/{source['id']}",
                     json={"description": "Partner: firmware updated, silent now."}))
    settle(lambda: correlation_of(maker, received["id"]),
           lambda c: (c.get("partner_text") or {}).get("description")
           == "Partner: firmware updated, silent now.", "the partner's text kept at the maker")
    assert ticket(maker, received["id"])["description"] == "Maker: firmware 4.2 fixes the beeping."
    ok(maker.post(f"/api/v1/tickets/{received['id']}/status", json={"status": "resolved"}))
    settle(lambda: (ticket(partner, source["id"])["status"], ticket(maker, received["id"])["status"]),
           lambda both: both == ("resolved", "resolved"), "both sides resolved")


def test_a_corrupt_item_in_another_account_stops_no_ones_deliveries(sides, link_id):
    """What issue 22 met: an account's 'active' link that nobody accepted (no partner, no
    secret) with an item in its outbox, and a received change that cannot be applied. They
    are planted in the maker's database while it is stopped: the API no longer makes them."""
    maker_site, maker, _, partner = sides
    broken = maker_site.admin("brokenco")
    pending = ok(broken.post("/api/v1/partner-links/invitations", json={}), 201)["link"]["id"]
    broken_account = ok(broken.get("/api/v1/account"))["id"]
    maker_site.stop()
    with maker_site.database("partner_bridge") as db:
        db.partner_links.update_one({"account_id": broken_account, "link_id": pending},
                                    {"$set": {"state": "active"}})
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        db.partner_outbox.insert_one({
            "_id": "planted-item", "account_id": broken_account, "link_id": pending,
            "sequence": 1, "event_id": "planted-event", "event_type": "TroubleTicketCreateEvent",
            "payload": {"sequence": 1}, "state": "ready", "attempts": 0, "created_at": now,
            "next_attempt_at": now, "lease_until": now, "last_error": None, "delivered_at": None})
        db.partner_received.insert_one({"account_id": broken_account, "link_id": pending,
                                        "sequence": 1, "change": {"garbage": True},
                                        "received_at": now, "parked": None})
    maker_site.start()
    source = partner.create_ticket(title="Smoke detector dusty")
    received = share(partner, maker, link_id, source["id"])
    ok(maker.post(f"/api/v1/tickets/{received['id']}/comments", json={"body": "Clean it."}), 201)
    settle(lambda: comment_bodies(partner, source["id"]), lambda b: b[-1:] == ["Clean it."],
           "the maker's delivery past the corrupt item")
    [parked] = settle(lambda: outbox(broken, "error"), lambda items: len(items) == 1,
                      "the corrupt item parked")
    assert parked["id"] == "planted-item" and "TypeError" in parked["last_error"]
    link = settle(lambda: ok(broken.get(f"/api/v1/partner-links/{pending}")),
                  lambda found: found["received"]["parked"], "the corrupt received change parked")
    assert link["outbox"]["blocked"] is True
    [change] = link["received"]["parked"]
    assert change["sequence"] == 1 and "KeyError" in change["error"]
    assert outbox(maker, "error") == []
    assert ok(maker.get(f"/api/v1/partner-links/{link_id}"))["received"]["parked"] == []
    # Set going again before the cause is fixed, the change is parked again.
    retried = ok(broken.post(f"/api/v1/partner-links/{pending}/received/retry"))
    assert retried["id"] == pending
    settle(lambda: ok(broken.get(f"/api/v1/partner-links/{pending}"))["received"]["parked"],
           lambda parked: len(parked) == 1, "the corrupt received change parked again")
    assert maker.post(f"/api/v1/partner-links/{pending}/received/retry").status_code == 404
    # Replayed by an admin before the cause is fixed, it is parked again, its tries counted.
    ok(broken.post(f"/api/v1/partner-outbox/{parked['id']}/replay"))
    settle(lambda: outbox(broken, "error"), lambda items: items and items[0]["attempts"] == 2,
           "the replayed corrupt item parked again")


def test_pause_and_revoke_are_told_to_the_other_installation(sides):
    _, maker, _, partner = sides
    own_link = link(maker, partner)
    began = time.monotonic()
    ok(partner.post(f"/api/v1/partner-links/{own_link}/state", json={"state": "paused"}))
    settle(lambda: ok(maker.get(f"/api/v1/partner-links/{own_link}"))["state"],
           lambda state: state == "paused", "the pause at the maker", seconds=10)
    ok(maker.post(f"/api/v1/partner-links/{own_link}/state", json={"state": "active"}))
    settle(lambda: ok(partner.get(f"/api/v1/partner-links/{own_link}"))["state"],
           lambda state: state == "active", "the resume at the partner", seconds=10)
    revoked = ok(partner.post(f"/api/v1/partner-links/{own_link}/state", json={"state": "revoked"}))
    assert revoked["announcement"]["outcome"] == "delivered"
    settle(lambda: ok(maker.get(f"/api/v1/partner-links/{own_link}"))["state"],
           lambda state: state == "revoked", "the revoke at the maker", seconds=10)
    assert time.monotonic() - began < 30
    history = ok(maker.get(f"/api/v1/partner-links/{own_link}"))
    assert history["allowed_transitions"] == []
