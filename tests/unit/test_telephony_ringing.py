"""call_ringing (services/telephony/ringing.py): a generic newCall that rings mapped extensions
puts one announcement in the call's outbox in the same write; a redelivery adds none."""
import json
from datetime import datetime, timezone

import pytest

from services.shared.validation import load
from services.telephony.adapters import dialect_named
from services.telephony.adapters.base import WebhookRequest
from services.telephony.schemas import IntegrationWriteSchema
from services.telephony.integrations import dialect_settings
from services.telephony.store import Store


@pytest.fixture
def telephony(db):
    Store.create_indexes(db)
    return Store(db)


@pytest.fixture
def integration(telephony):
    return telephony.integrations.create("acme", load(IntegrationWriteSchema(), {
        "name": "АТС", "dialect": "generic",
        "extensions": [{"extension": "101", "employee_id": "e-ivanov"},
                       {"extension": "102", "employee_id": "e-petrova"}]}))


def events(integration, **payload):
    request = WebhookRequest(method="POST", body=json.dumps(payload).encode(),
                             received_at=datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc),
                             content_type="application/json", headers={}, suffix="",
                             url_token=integration["secrets"]["token"])
    return dialect_named("generic").parse(request, dialect_settings(integration))


def new_call(integration, **fields):
    return events(integration, **{"event": "newCall", "from": "+7 916 123-45-67",
                                  "to": "+7 495 123-45-67", "direction": "in", "callId": "c-1",
                                  **fields})


def outbox(telephony):
    return [entry for call in telephony.calls.calls.find({}) for entry in call.get("outbox", [])]


def test_a_ringing_call_announces_the_employees_of_the_extensions_it_rings(telephony, integration):
    telephony.calls.record(integration, new_call(integration, user=["101", "102"]))
    [entry] = outbox(telephony)
    assert entry["type"] == "call_ringing"
    payload = entry["payload"]
    assert payload["account_id"] == "acme" and payload["number"] == "+79161234567"
    assert payload["employee_ids"] == ["e-ivanov", "e-petrova"]
    assert payload["call_id"] == telephony.calls.calls.find_one({})["_id"]


def test_the_same_ringing_event_again_announces_nothing_more(telephony, integration):
    for _ in range(2):
        telephony.calls.record(integration, new_call(integration, user="101"))
    assert len(outbox(telephony)) == 1


def test_a_call_that_rings_nobody_we_know_announces_nothing(telephony, integration):
    telephony.calls.record(integration, new_call(integration, user="999"))
    telephony.calls.record(integration, events(integration, event="answer", callId="c-1",
                                               direction="in", answeringNumber="101"))
    assert outbox(telephony) == []


def test_an_incoming_call_to_an_extension_rings_it_without_a_user(telephony, integration):
    telephony.calls.record(integration, new_call(integration, to="102"))
    assert outbox(telephony)[0]["payload"]["employee_ids"] == ["e-petrova"]
