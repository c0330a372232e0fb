"""The delivery loop: which links have something to send or to apply, and one round over them.

A timer of the service runs `deliver_round` and `apply_round` every second. They are the
installation's housekeeping, so they look across accounts to find the links with work; every
step after that is scoped by the link's own account. Several replicas may run them at once:
`outbox.claim_due` leases the item being sent, and applying a received change moves the link's
position under a guard (store/received.py).
"""
from services.partner_bridge import announcements, incoming
from services.partner_bridge.isolation import describe, each
from services.partner_bridge.metrics import DELIVERIES
from services.partner_bridge.outbox import REFUSED, deliver_due

MAX_LINKS_PER_ROUND = 200


def due_links(store, *, now, limit=MAX_LINKS_PER_ROUND):
    """(account_id, link_id) of links whose outbox has an item that may go now."""
    return store.outbox.due_links(now=now, limit=limit)


def waiting_links(store, *, limit=MAX_LINKS_PER_ROUND):
    """(account_id, link_id) of links holding received changes not applied yet."""
    return store.received.waiting_links(limit=limit)


def deliver_round(store, transport_for, *, now, rng, clock=None):
    """Send what is due on every link, in order per link; returns how many items went. A link
    whose delivery fails outside the transport (a corrupt link or item) has its head parked in
    error, and the other links go on (isolation.py). `clock()` is the time each delivery is
    marked with (the moment it was delivered, not the round's start)."""
    def deliver(pair):
        account_id, link_id = pair
        link = store.links.get(account_id, link_id)
        return deliver_due(store.outbox, account_id, link_id, link["state"],
                           _counted(transport_for(link), link), now=now, rng=rng, clock=clock)

    def park(pair, error):
        store.outbox.park_head(pair[0], pair[1], describe(error), now=now)
    return each(due_links(store, now=now), deliver, what="partner delivery", park=park)


def _counted(transport, link):
    def send(item):
        outcome, detail = transport.send(link, item)
        DELIVERIES.labels(type(transport).__name__, outcome).inc()
        return outcome, detail
    return send


def apply_round(store, tickets_for, *, now):
    """Apply received changes whose turn has come (those left when tickets was down). A change
    that fails for a reason other than tickets being unavailable is parked with its error; the
    link's later changes wait behind it (the order is a promise), other links go on."""
    def apply(pair):
        account_id, link_id = pair
        return incoming.apply_ready(store, tickets_for(account_id), account_id=account_id,
                                    link_id=link_id, now=now)

    def park(pair, error):
        store.received.park_next(pair[0], pair[1], describe(error), now=now)
    return each(waiting_links(store), apply, what="applying partner changes", park=park)


def announce_round(store, transport_for, *, now, rng):
    """Tell partners the link states they have not heard of yet (announcements.py)."""
    def announce(pair):
        link = store.links.get(*pair)
        announcements.tell(store, link, link["announcement"],
                           transport_for(link).announce_state, now=now, rng=rng)

    def park(pair, error):
        store.links.announcement_tried(pair[0], pair[1], None, outcome=REFUSED,
                                       detail=describe(error), now=now, rng=rng)
    return each(store.links.due_announcements(now=now, limit=MAX_LINKS_PER_ROUND), announce,
                what="announcing link states", park=park)


def purge(store, *, now, keep):
    """Forget delivered outbox items older than `keep` and event ids past their window, account
    by account; returns how many documents went."""
    removed = each(store.outbox.accounts(),
                   lambda account_id: store.outbox.purge(account_id, before=now - keep),
                   what="purging delivered items")
    return removed + each(store.seen_events.accounts(),
                          lambda account_id: store.seen_events.purge(account_id, now=now),
                          what="purging seen event ids")
