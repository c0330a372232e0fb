"""Queued webhook messages through the consumer's part: stored once, filed on tickets once,
pending while the tickets side is down and finished by the retry, refused when they can never
be stored."""
import base64
import json
import random

import pytest

from services.shared.errors import NotFound, Unavailable
from services.shared.validation import load
from services.telephony import delivery
from services.telephony.schemas import IntegrationWriteSchema
from services.telephony.store import Store
from tests.unit.telephony_flows import SECRETS, flow_requests, load_flow


class FakeTickets:
    """The tickets RPCs the consumer uses, idempotent on the call id as the real ones are."""

    def __init__(self):
        self.tickets = {}   # ticket id -> {"calls": [...], "recordings": [...], "priority"}
        self.down = False
        self.asked = []

    def _check(self, method):
        self.asked.append(method)
        if self.down:
            raise Unavailable("tickets is down")

    def _of_call(self, call_id):
        return next((tid for tid, t in self.tickets.items() if call_id in t["calls"]), None)

    def ticket_for_call(self, actor, data):
        self._check("ticket_for_call")
        assert actor == {"account_id": "acme", "kind": "system", "id": "telephony"}
        found = self._of_call(data["call"]["call_id"])
        if found is None:
            found = f"t{len(self.tickets) + 1}"
            self.tickets[found] = {"calls": [data["call"]["call_id"]], "recordings": [],
                                   "priority": "high" if data["rule"] == "callback" else "normal"}
        return {"ticket_id": found, "number": int(found[1:]), "created": True}

    def link_call(self, actor, ticket_id, data):
        self._check("link_call")
        if ticket_id not in self.tickets:
            raise NotFound(f"No ticket {ticket_id}.")
        ticket = self.tickets[ticket_id]
        if data["call"]["call_id"] not in ticket["calls"]:
            ticket["calls"].append(data["call"]["call_id"])
        return {"ticket_id": ticket_id, "linked": True}

    def add_call_recording(self, actor, ticket_id, data):
        self._check("add_call_recording")
        if data["reference"] not in self.tickets[ticket_id]["recordings"]:
            self.tickets[ticket_id]["recordings"].append(data["reference"])
        return {"ticket_id": ticket_id, "added": True}


@pytest.fixture
def telephony(db):
    Store.create_indexes(db)
    return Store(db)


def messages_of(telephony, name):
    flow = load_flow(name)
    pbx = telephony.integrations.create("acme", load(IntegrationWriteSchema(), {
        "name": f"АТС {flow['dialect']}", "dialect": flow["dialect"],
        "secrets": SECRETS[flow["dialect"]]}))
    return pbx, [json.loads(json.dumps({
        "message_id": f"m{index}", "account_id": "acme", "integration_id": pbx["_id"],
        "dialect": flow["dialect"], "request": request.as_message()}))
        for index, request in enumerate(flow_requests(flow))]


@pytest.mark.parametrize("name", ["zadarma_incoming_answered", "mango_incoming_answered",
                                  "asterisk_incoming_answered_ami", "generic_incoming_answered"])
def test_each_message_twice_in_any_order_files_one_ticket_with_its_recording(telephony, name):
    pbx, messages = messages_of(telephony, name)
    tickets = FakeTickets()
    delivered = messages * 2
    random.Random(7).shuffle(delivered)
    for message in delivered:
        delivery.receive(telephony, tickets, message)
    [call] = telephony.calls.list("acme", {"limit": 10})[0]
    [(ticket_id, ticket)] = tickets.tickets.items()
    assert ticket["calls"] == [call["_id"]] and call["ticket_ids"] == [ticket_id]
    assert ticket["recordings"] == [entry["reference"] for entry in call["recordings"]]
    assert tickets.asked.count("ticket_for_call") == 1
    assert tickets.asked.count("add_call_recording") == 1


def test_while_tickets_is_down_calls_are_stored_and_filed_by_the_retry(telephony):
    pbx, messages = messages_of(telephony, "zadarma_incoming_answered")
    tickets = FakeTickets()
    tickets.down = True
    outcomes = [delivery.receive(telephony, tickets, message).outcome for message in messages]
    assert "pending" in outcomes and not tickets.tickets
    [call] = telephony.calls.list("acme", {"limit": 10})[0]
    assert call["state"] == "finished"
    tickets.down = False
    assert delivery.retry_pending(telephony, tickets) == 1
    assert delivery.retry_pending(telephony, tickets) == 0  # nothing left pending
    [ticket] = tickets.tickets.values()
    assert ticket["calls"] == [call["_id"]] and len(ticket["recordings"]) == 1


def second_call(message):
    """The same missed call flow under another call key (Zadarma does not sign pbx_call_id on
    these events, so the signature still holds), a minute later in the caller's window."""
    copy = json.loads(json.dumps(message))
    body = base64.b64decode(copy["request"]["body"]).replace(b"in_0a9b", b"in_1a9b")
    copy["request"]["body"] = base64.b64encode(body).decode()
    copy["message_id"] += "-second"
    return copy


def test_missed_calls_from_one_number_share_one_callback_ticket(telephony):
    pbx, messages = messages_of(telephony, "zadarma_incoming_missed")
    tickets = FakeTickets()
    for message in messages + [second_call(message) for message in messages]:
        delivery.receive(telephony, tickets, message)
    calls = telephony.calls.list("acme", {"limit": 10})[0]
    assert len(calls) == 2
    [(ticket_id, ticket)] = tickets.tickets.items()
    assert ticket["priority"] == "high"
    assert sorted(ticket["calls"]) == sorted(call["_id"] for call in calls)
    assert all(call["ticket_ids"] == [ticket_id] for call in calls)


def test_messages_that_can_never_be_stored_are_refused(telephony):
    pbx, messages = messages_of(telephony, "generic_incoming_answered")
    tickets = FakeTickets()
    forged = json.loads(json.dumps(messages[0]))
    forged["request"]["url_token"] = "not-the-token-at-all"
    with pytest.raises(delivery.Refused, match="token"):
        delivery.receive(telephony, tickets, forged)
    elsewhere = dict(messages[0], account_id="globex")
    with pytest.raises(delivery.Refused, match="No such integration"):
        delivery.receive(telephony, tickets, elsewhere)
    assert telephony.calls.list("acme", {"limit": 10})[0] == []
    assert telephony.calls.list("globex", {"limit": 10})[0] == []


def test_one_claim_per_call_on_the_tickets_side(db):
    from services.tickets.store.phone_calls import PhoneCallStore
    PhoneCallStore.create_indexes(db)
    phone_calls = PhoneCallStore(db)
    assert phone_calls.claim("acme", "call-1") is True
    assert phone_calls.claim("acme", "call-1") is False
    assert phone_calls.claim("globex", "call-1") is True


def test_calls_and_recordings_reach_a_ticket_once_even_a_closed_one(db):
    from services.shared.actor import Actor
    from services.tickets.store.phone_calls import PhoneCallStore
    PhoneCallStore.create_indexes(db)
    phone_calls = PhoneCallStore(db)
    db.tickets.insert_one({"_id": "t1", "account_id": "acme", "number": 5, "status": "closed",
                           "comments": [], "history": []})
    system = Actor(account_id="acme", kind="system", id="telephony")
    call = {"call_id": "call-1", "number": "+79161234567", "direction": "in", "at": None}
    assert phone_calls.attach(system, "t1", call, ["rec-1"]) is True
    assert phone_calls.attach(system, "t1", call, ["rec-1"]) is False
    assert phone_calls.add_recording(system, "t1", call, "rec-1") is False
    ticket = db.tickets.find_one({"_id": "t1"})
    assert ticket["status"] == "closed" and ticket["call_ids"] == ["call-1"]
    assert [r["reference"] for r in ticket["recordings"]] == ["rec-1"]
    assert len(ticket["comments"]) == 1 and ticket["comments"][0]["visibility"] == "internal"
    assert phone_calls.resolve("acme", "5") == "t1"
    with pytest.raises(NotFound):
        phone_calls.resolve("globex", "5")
    with pytest.raises(NotFound):
        phone_calls.attach(Actor(account_id="globex", kind="system", id="telephony"), "t1", call)
    assert phone_calls.detach(system, "t1", "call-1") is True
    ticket = db.tickets.find_one({"_id": "t1"})
    assert ticket["call_ids"] == [] and ticket["recordings"] == [] and ticket["calls"] == []
