"""What call changes ask of the ticket side: each intent once, in any order of delivery, and a
missed call called back once per caller per window."""
import random
from datetime import datetime, timedelta

import pytest

from services.telephony import reactions as reacting
from services.telephony.reactions import (CALLBACK_TICKET, LINK_TO_TICKET, RECORDING_READY,
                                          TICKET_FOR_CALL, client_number, reactions)
from services.telephony.schemas import RulesSchema
from services.telephony.store import Store
from tests.unit.telephony_flows import FLOW_NAMES, flow_events, load_flow

RULES = RulesSchema().load({})
EXPECTED = {
    "asterisk_incoming_answered_ami": {TICKET_FOR_CALL, RECORDING_READY},
    "asterisk_incoming_missed_dialplan": {CALLBACK_TICKET},
    "asterisk_internal_busy": set(),
    "generic_hangup_before_answer": {TICKET_FOR_CALL},
    "generic_incoming_answered": {TICKET_FOR_CALL, RECORDING_READY},
    "generic_incoming_missed_form": {CALLBACK_TICKET},
    "generic_outgoing_busy": {LINK_TO_TICKET},
    "mango_incoming_answered": {TICKET_FOR_CALL, RECORDING_READY},
    "mango_incoming_missed": {CALLBACK_TICKET},
    "mango_outgoing_answered": set(),
    "zadarma_incoming_answered": {TICKET_FOR_CALL, RECORDING_READY},
    "zadarma_incoming_missed": {CALLBACK_TICKET},
    "zadarma_outgoing_busy": set(),
}


@pytest.fixture
def telephony(db):
    Store.create_indexes(db)
    return Store(db)


def integration(telephony, **rules):
    return telephony.integrations.create("acme", {
        "name": "Офис", "dialect": "zadarma", "secrets": {"secret": "b1c8e3d9f2a7c4e6"},
        "lines": [], "extensions": [], "rules": dict(RULES, **rules), "region": "RU",
        "area_code": None, "time_zone": "Europe/Moscow", "enabled": True})


def delivered(telephony, pbx, events):
    """The reactions raised by delivering `events` one by one, as the consumer would."""
    raised = []
    for event in events:
        for recorded in telephony.calls.record(pbx, [event]):
            raised += reactions(pbx["rules"], recorded.previous, recorded.call)
    return raised


def test_every_sample_flow_is_covered():
    assert set(EXPECTED) == set(FLOW_NAMES)


@pytest.mark.parametrize("name", FLOW_NAMES)
@pytest.mark.parametrize("seed", [None, 1, 2])
def test_each_intent_is_raised_once_in_any_order_with_duplicates(telephony, name, seed):
    events = flow_events(load_flow(name))
    if seed is not None:
        rng = random.Random(seed)
        events = events + rng.sample(events, k=len(events) // 2 + 1)
        rng.shuffle(events)
    raised = delivered(telephony, integration(telephony), events)
    assert sorted(reaction.kind for reaction in raised) == sorted(EXPECTED[name])


def test_the_intents_of_an_answered_call_arrive_when_their_event_does(telephony):
    pbx = integration(telephony)
    events = flow_events(load_flow("zadarma_incoming_answered"))
    steps = [[reaction.kind for reaction in delivered(telephony, pbx, [event])]
             for event in events]
    assert steps == [[], [], [TICKET_FOR_CALL], [], [RECORDING_READY]]


def test_intents_carry_what_the_ticket_side_needs(telephony):
    pbx = integration(telephony, callback_window_minutes=30)
    [answered] = [reaction for reaction in delivered(
        telephony, pbx, flow_events(load_flow("generic_incoming_answered")))
        if reaction.kind == TICKET_FOR_CALL]
    assert (answered.number, answered.known_caller, answered.unknown_caller) == (
        "+79161234567", "attach_to_open_ticket", "open_ticket")
    [callback] = delivered(telephony, pbx, flow_events(load_flow("zadarma_incoming_missed")))
    assert (callback.number, callback.window_minutes, callback.at) == (
        "+78123334455", 30, datetime(2026, 11, 30, 15, 20, 31))
    [link] = delivered(telephony, pbx, flow_events(load_flow("generic_outgoing_busy")))
    assert (link.ticket_reference, link.number) == ("1042", "+78312001122")


def test_rules_can_turn_callbacks_off_and_a_hidden_number_gets_none(telephony):
    quiet = integration(telephony, missed_call="ignore")
    assert delivered(telephony, quiet, flow_events(load_flow("mango_incoming_missed"))) == []
    hidden = {"_id": "c1", "direction": "in", "caller": None, "state": "finished",
              "settled": True, "disposition": "missed", "recordings": []}
    assert reactions(RULES, None, hidden) == []


def test_the_client_number_is_the_other_side_never_an_extension():
    assert client_number({"direction": "in", "caller": "+79161234567"}) == "+79161234567"
    assert client_number({"direction": "out", "caller": "102",
                          "callee": "+79031112233"}) == "+79031112233"
    assert client_number({"direction": "internal", "caller": "101", "callee": "102"}) is None
    assert client_number({"direction": "in", "caller": "101"}) is None


def test_a_missed_call_waits_until_it_is_settled(telephony):
    """A first-channel hangup may come before the answer it follows: 'missed' waits for the
    call's final record (or its quiet end), which an answer cannot follow."""
    pbx = integration(telephony)
    events = flow_events(load_flow("asterisk_incoming_answered_ami"))
    hangup = [event for event in events if event.name == "Hangup"]
    assert delivered(telephony, pbx, hangup) == []
    stored = telephony.calls.list("acme", {"limit": 10})[0][0]
    assert (stored["state"], stored["disposition"], stored["settled"]) == (
        "finished", "missed", False)


def test_a_caller_is_called_back_once_per_window(telephony):
    claims = telephony.callbacks
    at = datetime(2026, 11, 30, 10, 0)
    assert claims.claim("acme", "+79161234567", "call-1", at, 60)[0]
    held, live = claims.claim("acme", "+79161234567", "call-2", at + timedelta(minutes=20), 60)
    assert not held and live["call_id"] == "call-1"
    assert claims.claim("acme", "+79161234567", "call-1", at, 60)[0]  # a redelivery keeps it
    assert claims.claim("globex", "+79161234567", "call-9", at, 60)[0]  # another account
    assert claims.claim("acme", "+78123334455", "call-3", at, 60)[0]  # another caller
    later, claim = claims.claim("acme", "+79161234567", "call-4", at + timedelta(minutes=61), 60)
    assert later and claim["until"] == at + timedelta(minutes=121)


def test_quiet_calls_are_settled_by_the_sweep_and_then_raise_their_intents(telephony,
                                                                           monkeypatch):
    pbx = integration(telephony)
    events = [event for event in flow_events(load_flow("mango_incoming_answered"))
              if event.name != "summary"]
    missed = flow_events(load_flow("mango_incoming_missed"))[:1]  # rang, then nothing came
    raised = delivered(telephony, pbx, events + missed)
    assert sorted(reaction.kind for reaction in raised) == [RECORDING_READY, TICKET_FOR_CALL]
    now = datetime.utcnow()
    assert telephony.calls.settle_quiet_calls(pbx, now) == []  # not quiet yet
    settled = telephony.calls.settle_quiet_calls(pbx, now + timedelta(minutes=3))
    assert [(r.call["call_key"], r.call["disposition"]) for r in settled] == [
        ("MTAxNjc5NjM2ODE6MTAwMDE=", "answered")]
    assert [reactions(pbx["rules"], r.previous, r.call) for r in settled] == [[]]
    abandoned = telephony.calls.settle_quiet_calls(pbx, now + timedelta(hours=5))
    assert [(r.call["call_key"], r.call["disposition"]) for r in abandoned] == [
        ("MTAxNjc5NjM2ODE6MTAwMDI=", "missed")]
    assert [reaction.kind for r in abandoned
            for reaction in reactions(pbx["rules"], r.previous, r.call)] == [CALLBACK_TICKET]
    assert telephony.calls.settle_quiet_calls(pbx, now + timedelta(hours=6)) == []
    assert reacting.client_number(abandoned[0].call) == "+73433001020"
