"""The delivery loop: which links have something to send or to apply, and one round over them.

A timer of the service runs `deliver_round` and `apply_round` every second. They are the
installation's housekeeping, so they look across accounts to find the links with work; every
step after that is scoped by the link's own account. Several replicas may run them at once:
`outbox.claim_due` leases the item being sent, and applying a received change moves the link's
position under a guard (store/received.py).
"""
import logging

from services.partner_bridge import incoming
from services.partner_bridge.metrics import DELIVERIES
from services.partner_bridge.outbox import deliver_due
from services.shared.errors import NotFound

MAX_LINKS_PER_ROUND = 200
log = logging.getLogger(__name__)


def due_links(store, *, now, limit=MAX_LINKS_PER_ROUND):
    """(account_id, link_id) of links whose outbox has an item that may go now."""
    return store.outbox.due_links(now=now, limit=limit)


def waiting_links(store, *, limit=MAX_LINKS_PER_ROUND):
    """(account_id, link_id) of links holding received changes not applied yet."""
    return store.received.waiting_links(limit=limit)


def deliver_round(store, transport_for, *, now, rng):
    """Send what is due on every link, in order per link; returns how many items went."""
    sent = 0
    for account_id, link_id in due_links(store, now=now):
        try:
            link = store.links.get(account_id, link_id)
        except NotFound:
            continue
        sent += deliver_due(store.outbox, account_id, link_id, link["state"],
                            _counted(transport_for(link), link), now=now, rng=rng)
    return sent


def _counted(transport, link):
    def send(item):
        outcome, detail = transport.send(link, item)
        DELIVERIES.labels(type(transport).__name__, outcome).inc()
        return outcome, detail
    return send


def apply_round(store, tickets_for, *, now):
    """Apply received changes whose turn has come (those left when tickets was down)."""
    applied = 0
    for account_id, link_id in waiting_links(store):
        try:
            applied += incoming.apply_ready(store, tickets_for(account_id), account_id=account_id,
                                            link_id=link_id, now=now)
        except Exception:  # tickets down, say: the change stays first in line for the next round
            log.warning("partner changes left for a later round", exc_info=True,
                        extra={"link_id": link_id})
    return applied


def purge(store, *, now, keep):
    """Forget delivered outbox items older than `keep` and event ids past their window, account
    by account; returns how many documents went."""
    removed = 0
    for account_id in store.outbox.accounts():
        removed += store.outbox.purge(account_id, before=now - keep)
    for account_id in store.seen_events.accounts():
        removed += store.seen_events.purge(account_id, now=now)
    return removed
