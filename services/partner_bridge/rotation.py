"""Rotating a link's shared secret without stopping its deliveries.

Both sides must change the secret, and deliveries are in flight both ways, so for a while each
side accepts two secrets. The side whose admin rotates (A):

1. makes a new secret and accepts it beside the current one (`links.stage_secret`), still
   signing with the current one;
2. tells the partner (B) the new secret, in a request signed with the current one (over HTTPS
   between installations, in process within one: transports' `rotate_secret`);
3. on B's yes, signs with the new secret and accepts the old one until the overlap ends
   (`links.adopt_secret`). B did the same when it said yes.

If B cannot be told (down, or refusing), A keeps signing with the old secret and the admin gets
the error; the staged secret is still accepted until the overlap ends, because B may have taken
it before its answer was lost, and then signs with it. A rotation during another's overlap ends
the older overlap: the secret before last is dropped. A message presented twice is refused as
a duplicate the second time.
"""
import secrets as random_tokens
from datetime import timedelta

from marshmallow import Schema, fields, validate

from services.partner_bridge.invitations import new_link_secret
from services.partner_bridge.replay_guard import replayed
from services.shared.validation import load

MIN_OVERLAP, MAX_OVERLAP = timedelta(minutes=5), timedelta(days=7)


class RotationMessageSchema(Schema):
    """What the rotating side tells the partner (signed with the secret being replaced)."""
    rotation_id = fields.String(required=True, validate=validate.Length(min=16, max=64))
    secret = fields.String(required=True, validate=validate.Length(min=32, max=200))
    overlap_seconds = fields.Integer(required=True, validate=validate.Range(
        min=int(MIN_OVERLAP.total_seconds()), max=int(MAX_OVERLAP.total_seconds())))


MESSAGE = RotationMessageSchema()


def rotate(store, *, account_id, link_id, overlap, now, tell_partner):
    """Rotate the link's secret; `tell_partner(link, message)` returns once the partner took it
    and raises (Unavailable, Conflict...) when it did not. Returns the link."""
    link = store.links.get(account_id, link_id)
    secret, until = new_link_secret(), now + overlap
    store.links.stage_secret(account_id, link_id, secret, until=until, now=now)
    tell_partner(link, {"rotation_id": random_tokens.token_hex(16), "secret": secret,
                        "overlap_seconds": int(overlap.total_seconds())})
    return store.links.adopt_secret(account_id, link_id, secret, until=until, now=now)


def take_rotation(store, *, account_id, link_id, message, now):
    """The partner's new secret (its request verified already with the current one). A message
    presented again is a replay (409 duplicate): it could bring back a secret rotated since."""
    message = load(MESSAGE, message)
    if not store.seen_events.claim(account_id, link_id, f"rotation:{message['rotation_id']}",
                                   now=now):
        raise replayed(message["rotation_id"])
    until = now + timedelta(seconds=message["overlap_seconds"])
    return store.links.adopt_secret(account_id, link_id, message["secret"], until=until, now=now)
