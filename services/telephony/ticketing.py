"""Carrying out a call's intents on the tickets side, so that each happens exactly once.

The intents are recomputed from the call as stored (`reactions(rules, None, call)`: every intent
the call's present state implies) minus those the call marks as done. So a redelivered webhook,
a crash between storing a call and filing it, or a tickets service that was down all end the
same way: the next pass does what is missing, and the tickets side is idempotent on the call id
besides. `tickets` is anything with the tickets service's RPC methods (a proxy with a timeout,
or a fake in tests); an `Unavailable` from it leaves the rest pending for the retry timer.
"""
import logging

from services.shared.errors import NotFound, Unavailable
from services.telephony.access import system_actor
from services.telephony.reactions import (CALLBACK_TICKET, LINK_TO_TICKET, RECORDING_READY,
                                          TICKET_FOR_CALL, client_number, reactions)

log = logging.getLogger(__name__)


class Pending(Exception):
    """An intent cannot be carried out yet (another call's ticket is still to be opened)."""


def mark(reaction):
    return f"{reaction.kind}:{reaction.recording}" if reaction.recording else reaction.kind


def call_reference(call):
    return {"call_id": call["_id"], "number": client_number(call),
            "direction": call.get("direction"),
            "at": call["started_at"].isoformat() + "+00:00" if call.get("started_at") else None}


def ready_recordings(call):
    return [entry["reference"] for entry in call.get("recordings", []) if entry["ready"]]


def carry_out(store, tickets, integration, call):
    """Do what the call still asks of the tickets side; True when nothing is left pending."""
    done = set(call.get("reactions_done", []))
    ticket_ids = list(call.get("ticket_ids", []))
    account_id = call["account_id"]
    actor = system_actor(account_id)
    try:
        for reaction in reactions(integration["rules"], None, call):
            key = mark(reaction)
            if key in done:
                continue
            if reaction.kind == RECORDING_READY and not ticket_ids:
                # Not done: events come in any order, so the call may yet get its ticket (the
                # answer after the recording); then this pass or a later one adds it there.
                continue
            filed = _carry(store, tickets, actor, call, reaction, ticket_ids)
            if filed and filed not in ticket_ids:
                ticket_ids.append(filed)
            store.calls.note_done(account_id, call["_id"], key, filed)
    except (Unavailable, Pending) as reason:
        log.info("call intents pending", extra={"call_id": call["_id"], "reason": str(reason)})
        store.calls.set_pending(account_id, call["_id"], True)
        return False
    if call.get("reactions_pending"):
        store.calls.set_pending(account_id, call["_id"], False)
    return True


def _carry(store, tickets, actor, call, reaction, ticket_ids):
    """One intent; returns the ticket it put the call on, if any."""
    reference = call_reference(call)
    if reaction.kind == TICKET_FOR_CALL:
        return tickets.ticket_for_call(actor, {"call": reference, "rule": reaction.known_caller,
                                               "unknown_rule": reaction.unknown_caller})["ticket_id"]
    if reaction.kind == CALLBACK_TICKET:
        return _callback(store, tickets, actor, call, reaction, reference)
    if reaction.kind == LINK_TO_TICKET:
        try:
            return tickets.link_call(actor, reaction.ticket_reference,
                                     {"call": reference,
                                      "recordings": ready_recordings(call)})["ticket_id"]
        except NotFound:
            # The PBX named a ticket this account does not have: nothing to link, and asking
            # again will not make it exist.
            log.warning("call names an unknown ticket", extra={"call_id": call["_id"]})
            return None
    if reaction.kind == RECORDING_READY:
        for ticket_id in ticket_ids:
            tickets.add_call_recording(actor, ticket_id, {
                "call_id": call["_id"], "number": reference["number"],
                "reference": reaction.recording})
    return None


def _callback(store, tickets, actor, call, reaction, reference):
    """One callback ticket per caller per window: the call holding the claim opens it, later
    missed calls in the window join it."""
    held, claim = store.callbacks.claim(call["account_id"], reaction.number, call["_id"],
                                            reaction.at, reaction.window_minutes)
    if held:
        return tickets.ticket_for_call(actor, {"call": reference, "rule": "callback"})["ticket_id"]
    holder = store.calls.get(call["account_id"], claim["call_id"])
    if not holder.get("ticket_ids"):
        raise Pending(f"the callback ticket of call {holder['_id']} is not open yet")
    return tickets.link_call(actor, holder["ticket_ids"][0], {
        "call": reference, "recordings": ready_recordings(call)})["ticket_id"]
