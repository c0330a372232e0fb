"""The outbox of each link as rules: changes numbered in order, delivered one after another, retried with
backoff, and parked in an error state an admin sees and replays.

Numbering is gapless because the receiver waits for every number (ordering.py): a new item takes
the link's highest number plus one, and a unique index on (account_id, link_id, sequence) turns
a race between two writers into a retry rather than a duplicate or a hole. There is no separate
counter that could be bumped by a writer that then dies before inserting. Purging keeps each
link's newest item for the same reason.

Delivery is strictly in order per link: only the lowest undelivered number may go, so an item in
error holds the rest of its link back until an admin replays it. That is the price of the order
promise; the other links of the account are not affected. A paused link keeps queueing and sends
nothing (`invitations.sends_changes`).

Every document carries account_id and every query filters by it.
"""
import logging
from datetime import timedelta

from services.partner_bridge.invitations import sends_changes

READY, DELIVERED, ERROR = "ready", "delivered", "error"
DELIVERED_OUTCOME, RETRY, REFUSED = "delivered", "retry", "refused"
BASE_DELAY = timedelta(seconds=2)
MAX_DELAY = timedelta(hours=1)
MAX_ATTEMPTS = 30  # about a day at the capped delay, then an admin looks
log = logging.getLogger(__name__)


def backoff_delay(attempt, rng, *, base=BASE_DELAY, cap=MAX_DELAY):
    """Pause before retry number `attempt` (1 for the first retry): exponential, capped, and
    half of it random so that the links of one installation do not all retry in step after an
    outage ("equal jitter": never less than half the nominal pause)."""
    nominal = min(cap.total_seconds(), base.total_seconds() * 2 ** (attempt - 1))
    return timedelta(seconds=nominal / 2 + rng.uniform(0, nominal / 2))


def outcome_of_response(status, reason=None):
    """How a partner's HTTP answer to a delivery counts.

    2xx is delivered, and so is 409 with reason "duplicate" (it had it already). 408, 425, 429 and
    5xx (503 is what a paused partner answers) are retried. Any other answer means the partner
    will refuse this item however often it is sent: parked for an admin."""
    if 200 <= status < 300 or (status == 409 and reason == "duplicate"):
        return DELIVERED_OUTCOME
    if status in (408, 425, 429) or status >= 500:
        return RETRY
    return REFUSED


def after_failure(attempts, error, *, retryable, now, rng, max_attempts=MAX_ATTEMPTS,
                  counted_from=0):
    """What a failed attempt changes on an item tried `attempts` times before (every try
    counts, delivered or not, replays included): a later retry, or the error state when it
    cannot succeed (refused, or out of attempts). The retry budget and the backoff count the
    tries since the item was last replayed (`counted_from`: its attempts then)."""
    attempts += 1
    changes = {"attempts": attempts, "last_error": str(error)[:1000], "last_attempt_at": now,
               "lease_until": now}
    budget_used = attempts - counted_from
    if retryable and budget_used < max_attempts:
        changes["next_attempt_at"] = now + backoff_delay(budget_used, rng)
    else:
        changes["state"] = ERROR
    return changes


def deliver_due(store, account_id, link_id, link_state, send, *, now, rng, limit=50, clock=None):
    """Send a link's due items in order until one is not delivered; returns how many went.

    `send(item)` returns (outcome, detail) with outcome delivered / retry / refused: it is the
    transport (events within one installation, signed HTTPS between two), kept out of here.
    `clock()` tells when an attempt ended (default: `now`), which is what the item records."""
    clock = clock or (lambda: now)
    if not sends_changes(link_state):
        return 0
    delivered = 0
    while delivered < limit:
        item = store.claim_due(account_id, link_id, now=now)
        if item is None:
            break
        try:
            outcome, detail = send(item)
        except Exception as exc:  # a transport bug must not lose the item: counted, retried
            log.exception("partner delivery failed", extra={"link_id": link_id,
                                                            "sequence": item["sequence"]})
            outcome, detail = RETRY, repr(exc)
        if outcome == DELIVERED_OUTCOME:
            store.mark_delivered(account_id, item["_id"], now=clock())
            delivered += 1
            continue
        store.mark_failed(account_id, item["_id"], detail, retryable=outcome == RETRY,
                          now=clock(), rng=rng)
        break
    return delivered
