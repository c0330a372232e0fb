"""The call fold: each vendor's sample flow gives the expected call, and any order of delivery
with any repetitions gives the same call as delivery in order.

The property tests are derandomized (a fixed sequence of examples, no example database), so a
run on CI is reproducible; raising max_examples locally explores further.
"""
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.telephony.calls import call_from_document, fold, merge_events, quiet_end
from tests.unit.telephony_flows import (FLOW_NAMES, call_summary, expected_summary, flow_events,
                                        load_flow)

FLOWS = {name: load_flow(name) for name in FLOW_NAMES}
EVENTS = {name: flow_events(flow) for name, flow in FLOWS.items()}
IN_ORDER = {name: fold(events) for name, events in EVENTS.items()}


def test_there_are_sample_flows_for_every_dialect():
    assert {flow["dialect"] for flow in FLOWS.values()} == {"generic", "asterisk", "mango",
                                                             "zadarma"}


@pytest.mark.parametrize("name", FLOW_NAMES)
def test_a_sample_flow_delivered_in_order_gives_the_expected_call(name):
    assert call_summary(IN_ORDER[name]) == expected_summary(FLOWS[name])


@st.composite
def deliveries(draw, events):
    """A permutation of `events` with some delivered again (up to three times each)."""
    repeats = draw(st.lists(st.integers(min_value=1, max_value=3), min_size=len(events),
                            max_size=len(events)))
    repeated = [event for event, times in zip(events, repeats) for _ in range(times)]
    return draw(st.permutations(repeated))


@pytest.mark.parametrize("name", FLOW_NAMES)
@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_order_with_duplicates_gives_the_in_order_call(name, data):
    shuffled = data.draw(deliveries(EVENTS[name]))
    assert fold(shuffled) == IN_ORDER[name]


@pytest.mark.parametrize("name", FLOW_NAMES)
@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(data=st.data())
def test_folding_delivery_by_delivery_as_the_store_does_gives_the_in_order_call(name, data):
    """What the store does: merge each delivery into what it has kept, fold the kept events."""
    kept = {}
    for event in data.draw(deliveries(EVENTS[name])):
        kept = merge_events(kept, [event])
        call = fold(kept.values())
    assert call == IN_ORDER[name]


@pytest.mark.parametrize("name", FLOW_NAMES)
def test_a_stored_call_folds_back_to_itself(name):
    call = IN_ORDER[name]
    assert call_from_document(call.to_document()) == call


def test_a_redelivery_received_later_keeps_the_first_receipt():
    """Vendors without event times get receipt times; a retry arrives later and changes
    nothing, whichever of the two deliveries was stored first."""
    first = EVENTS["generic_incoming_answered"][0]
    again = type(first)(**{**first.__dict__, "occurred_at": first.occurred_at.replace(hour=23)})
    assert first.key == again.key
    assert merge_events(merge_events({}, [again]), [first]) == merge_events({}, [first, again])
    assert fold([again, first]).started_at == first.occurred_at


def test_the_states_follow_what_is_known():
    events = EVENTS["zadarma_incoming_answered"]
    assert fold(events[:2]).state == "ringing"
    assert fold(events[:3]).state == "answered"
    assert fold(events[:3]).disposition is None and fold(events[:3]).duration is None
    assert fold(events[4:]).state == "ringing"  # only the recording is known yet
    assert fold(events[4:]).recording == {"reference": "1764493201.4137021", "ready": True}


def test_without_the_summary_a_mango_call_ends_by_a_quiet_end_once_every_leg_has_ended():
    events = [event for event in EVENTS["mango_incoming_answered"] if event.name != "summary"]
    call = fold(events)
    assert (call.state, call.settled) == ("answered", False)  # legs alone never finish a call
    end = quiet_end(events, abandoned=False)
    assert end == quiet_end(list(reversed(events)) + events[:3], abandoned=False)
    call = fold(events + [end])
    assert (call.state, call.settled, call.disposition, call.extension) == (
        "finished", True, "answered", "101")
    assert call.ended_at.isoformat() == "2026-11-30T10:02:20"  # not the later record/added
    assert call.duration == 128  # from the Connected and last Disconnected times
    assert call.recordings == [{"reference": "MToxMDE2Nzk2MzoxNDU2Nzg5MDEyOjA=", "ready": True}]


def test_a_quiet_end_waits_for_open_legs_unless_the_call_is_abandoned():
    events = EVENTS["mango_incoming_answered"][:3]  # the IVR leg and the rung leg, neither ended
    assert quiet_end(events, abandoned=False) is None
    end = quiet_end(events, abandoned=True)
    assert json.loads(end.raw)["reason"] == "abandoned"
    assert fold(events + [end]).disposition == "missed"
    assert quiet_end(EVENTS["mango_incoming_answered"], abandoned=True) is None  # has a summary


def test_a_call_is_settled_only_by_a_final_record():
    events = EVENTS["asterisk_incoming_answered_ami"]
    hangups = [event for event in events if event.name != "Cdr"]
    assert (fold(hangups).state, fold(hangups).settled) == ("finished", False)
    assert fold(events).settled


def test_an_ivr_picking_up_is_not_an_answer():
    events = EVENTS["mango_incoming_answered"][:2]
    assert [event.name for event in events] == ["call:Appeared", "call:Connected"]
    assert fold(events).state == "ringing"


def test_an_answer_wins_over_a_later_end_record_that_says_otherwise():
    end = next(event for event in EVENTS["zadarma_incoming_missed"] if event.kind == "ended")
    answer = next(event for event in EVENTS["zadarma_incoming_answered"]
                  if event.kind == "answered")
    answer = type(answer)(**{**answer.__dict__, "call_key": end.call_key})
    assert fold([end, answer]).disposition == "answered"


def test_events_of_two_calls_do_not_fold_into_one():
    with pytest.raises(ValueError):
        fold(EVENTS["zadarma_incoming_answered"][:1] + EVENTS["zadarma_incoming_missed"][:1])
    with pytest.raises(ValueError):
        fold([])
