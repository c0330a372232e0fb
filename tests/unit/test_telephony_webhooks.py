"""A webhook request from the edge's screening through the queue to stored calls and intents."""
import json

import pytest

from services.shared.validation import load
from services.telephony.adapters.base import BadSignature, MalformedBody, WebhookRequest
from services.telephony.reactions import CALLBACK_TICKET, RECORDING_READY, TICKET_FOR_CALL
from services.telephony.schemas import IntegrationWriteSchema
from services.telephony.store import Store
from services.telephony.ingestion import ingest
from services.telephony.webhooks import screen
from tests.unit.telephony_flows import SECRETS, flow_requests, load_flow


@pytest.fixture
def telephony(db):
    Store.create_indexes(db)
    return Store(db)


def integration_for(telephony, dialect):
    return telephony.integrations.create("acme", load(IntegrationWriteSchema(), {
        "name": f"АТС {dialect}", "dialect": dialect, "secrets": SECRETS[dialect],
        "extensions": [{"extension": "101", "employee_id": "e-ivanov"}]}))


@pytest.mark.parametrize("name, expected", [
    ("zadarma_incoming_answered", [TICKET_FOR_CALL, RECORDING_READY]),
    ("mango_incoming_answered", [TICKET_FOR_CALL, RECORDING_READY]),
    ("asterisk_incoming_answered_ami", [TICKET_FOR_CALL, RECORDING_READY]),
    ("generic_incoming_missed_form", [CALLBACK_TICKET]),
])
def test_requests_screened_queued_and_ingested_twice_give_one_call_and_each_intent_once(
        telephony, name, expected):
    flow = load_flow(name)
    pbx = integration_for(telephony, flow["dialect"])
    messages = []
    for request in flow_requests(flow):
        screened = screen(flow["dialect"], pbx["secrets"], request)
        assert screened.queue and screened.reply.status == 200
        messages.append(json.loads(json.dumps(request.as_message())))  # through the queue
    raised = []
    for message in messages + messages:
        for ingested in ingest(telephony, pbx, message):
            raised += [reaction.kind for reaction in ingested.reactions]
    assert raised == expected
    [call] = telephony.calls.list("acme", {"limit": 10})[0]
    assert call["state"] == "finished" and call["integration_id"] == pbx["_id"]


def test_the_edge_answers_handshakes_without_queueing_and_refuses_what_it_cannot_trust():
    echo = WebhookRequest("GET", b"", flow_requests(load_flow("zadarma_incoming_missed"))[0]
                          .received_at, query={"zd_echo": ["abc"]})
    assert screen("zadarma", SECRETS["zadarma"], echo).queue is False
    assert screen("zadarma", SECRETS["zadarma"], echo).reply.body == "abc"
    request = flow_requests(load_flow("generic_incoming_answered"))[0]
    with pytest.raises(BadSignature):
        screen("generic", {"token": "someone-elses-token"}, request)
    broken = WebhookRequest("POST", b'{"event": "newCall"}', request.received_at,
                            "application/json", url_token=SECRETS["generic"]["token"])
    with pytest.raises(MalformedBody):
        screen("generic", SECRETS["generic"], broken)
