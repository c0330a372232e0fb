"""A shared ticket's changes put back in the order they were made before links number them.

The tickets service gives every announced change of a ticket a revision (1, 2, 3...), moved in
the same write as the change, and its events carry it. partner_bridge handles those events
with concurrent workers and replicas, so the change made second may be handled first. Each
change is therefore held (one document, keyed by ticket and revision) and queued on the links
only when the ticket's position says every earlier revision has been queued.

- The position starts where the bridge starts hearing of the ticket: at the revision of the view
  a share read (everything up to it is in the share), at the revision of a ticket opened for a
  partner, or just before the first change handled of a ticket shared before revisions existed.
  Whichever comes first stands; a correlation also remembers its own start, so a change its
  share already held is never sent over it again.
- One worker at a time queues a ticket's changes (a lease on the position). A worker that finds
  the lease taken leaves its held change to the holder, which looks again after letting go; a
  crash leaves the lease to expire and the relay timer's sweep to take over.
- A revision that never arrives (its event buried in dead letters after failed attempts) would
  hold its ticket forever: after HOLD the next held change goes anyway, and the skip is logged.

Every document carries account_id and every query filters by it.
"""
import logging
from datetime import timedelta

from services.partner_bridge.isolation import describe, each

HOLD = timedelta(seconds=30)
log = logging.getLogger(__name__)


def admit(order, *, account_id, ticket_id, revision, change, now, queue):
    """Hold a change of a shared ticket, then queue, in revision order, every change whose turn
    has come; returns what `queue(change)` returned for each. `change` None is a change the
    links never hear of (an internal comment) that still takes its turn."""
    order.start(account_id, ticket_id, revision - 1)
    order.hold(account_id, ticket_id, revision, change, now=now)
    return release_due(order, account_id=account_id, ticket_id=ticket_id, now=now, queue=queue)


def release_due(order, *, account_id, ticket_id, now, queue):
    """Queue the ticket's held changes whose turn has come, under the ticket's lease."""
    queued = []
    while (lease := order.take_lease(account_id, ticket_id, now=now)) is not None:
        try:
            position = _queue_in_turn(order, account_id, ticket_id, lease["revision"], now,
                                      queue, queued)
        finally:
            order.release(account_id, ticket_id)
        # A change held while we had the lease was left to us: look once more.
        waiting = order.first_held(account_id, ticket_id, position)
        if waiting is None or not _due(waiting, position, now):
            break
    return queued


def _due(held, position, now):
    return held["revision"] == position + 1 or held["held_at"] <= now - HOLD


def _queue_in_turn(order, account_id, ticket_id, position, now, queue, queued):
    # A queued change leaves the held ones with the next first_held, which drops what is at or
    # below the position.
    while True:
        held = order.first_held(account_id, ticket_id, position)
        if held is None or not _due(held, position, now):
            return position
        if held["revision"] != position + 1:
            log.warning("changes of a shared ticket never arrived; going on without them",
                        extra={"account_id": account_id, "ticket_id": ticket_id,
                               "missing_from": position + 1, "missing_to": held["revision"] - 1})
        if held["change"] is not None:
            queued.extend(queue(dict(held["change"], revision=held["revision"])))
        # Queued before the position moves: a crash in between queues it again, and the
        # outbox recognises the ticket's revision on each link (outgoing.queue_change).
        order.advance(account_id, ticket_id, held["revision"])
        position = held["revision"]


def sweep(order, *, now, queue_for):
    """The relay timer's turn: tickets whose changes wait longer than HOLD (a lost revision, a
    lease left by a crashed worker). `queue_for(account_id, ticket_id)` gives that ticket's
    queue callable. A change that cannot be queued (tickets down: held for the next sweep;
    anything else: parked with its error) never stops the sweep for other tickets."""
    def release(pair):
        account_id, ticket_id = pair
        release_due(order, account_id=account_id, ticket_id=ticket_id, now=now,
                    queue=queue_for(account_id, ticket_id))

    def park(pair, error):
        order.park_first(pair[0], pair[1], describe(error), now=now)
    each(order.waiting_tickets(before=now - HOLD), release, what="queueing held ticket changes",
         park=park)
