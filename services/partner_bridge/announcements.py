"""Telling the partner that a link was paused, resumed or revoked, so that both sides show the
same state within seconds instead of one finding out when its next delivery is refused.

The side whose admin changes the state records the announcement on its link in the same update
as the state (`store.links.change_state`), then tries to tell the partner at once; the relay
timer tries again (backoff as the outbox's) while the partner cannot be reached. The message is
signed with the link's secret like every delivery (over HTTPS between installations, in process
within one: transports' `announce_state`). The partner moves its own record to the same state
as the partner link, which announces nothing back; a message presented twice is refused as a
duplicate, which counts as told.

A partner that refuses (its side is revoked already, say) has been told all it will take: the
announcement ends with the refusal recorded, for the admin to read on the link.
"""
import secrets as random_tokens

from marshmallow import Schema, fields, validate

from services.partner_bridge.invitations import ACTIVE, PAUSED, REVOKED
from services.partner_bridge.ordering import partner_actor
from services.partner_bridge.outbox import DELIVERED_OUTCOME, RETRY
from services.partner_bridge.replay_guard import replayed
from services.shared.validation import load

ANNOUNCED_STATES = (ACTIVE, PAUSED, REVOKED)


class StateMessageSchema(Schema):
    announcement_id = fields.String(required=True, validate=validate.Length(min=16, max=64))
    state = fields.String(required=True, validate=validate.OneOf(ANNOUNCED_STATES))


MESSAGE = StateMessageSchema()


def new_announcement(state, *, now):
    """What a link records when its state changes: the message and its delivery bookkeeping."""
    return {"id": random_tokens.token_hex(16), "state": state, "at": now, "attempts": 0,
            "next_attempt_at": now, "last_error": None, "delivered_at": None, "outcome": None}


def message_of(announcement):
    return {"announcement_id": announcement["id"], "state": announcement["state"]}


def tell(store, link, announcement, send, *, now, rng):
    """Try once to tell the partner; `send(link, message)` returns (outcome, detail) like a
    transport's send. Returns the outcome."""
    try:
        outcome, detail = send(link, message_of(announcement))
    except Exception as failed:  # a transport bug must not lose the announcement: retried
        outcome, detail = RETRY, repr(failed)
    store.links.announcement_tried(link["account_id"], link["link_id"], announcement["id"],
                                   outcome=outcome, detail=detail, now=now, rng=rng)
    return outcome


def take(store, *, account_id, link_id, message, now):
    """The partner's announcement (its request verified already): this side follows it."""
    message = load(MESSAGE, message)
    if not store.seen_events.claim(account_id, link_id, f"state:{message['announcement_id']}",
                                   now=now):
        raise replayed(message["announcement_id"])
    link = store.links.get(account_id, link_id)
    if link["state"] == message["state"]:
        return link
    return store.links.change_state(account_id, link_id, message["state"], now=now,
                                    actor=partner_actor(link_id))


def told(outcome):
    return outcome == DELIVERED_OUTCOME
