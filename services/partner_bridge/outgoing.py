"""Sending changes of shared tickets: what goes into which link's outbox.

The service calls these from its handlers of tickets events, with the ticket view of
sharing.py. Every change passes through the link's outgoing rule (a change the rule does not
let out queues nothing), skips the link it came from (echo), and a status change takes the next
Lamport stamp of its correlation, written with a guard so that two replicas handling two
changes of one ticket cannot hand out the same stamp.
"""
import secrets

from services.partner_bridge import tmf621
from services.partner_bridge.conflicts import status_clock
from services.partner_bridge.correlations import stamp_in_force
from services.partner_bridge.invitations import queues_changes
from services.partner_bridge.ordering import is_echo
from services.partner_bridge.sharing import (
    build_replica, comment_replica, partial_replica, status_replica, summary_of)
from services.shared.errors import Conflict

STATUS, COMMENT, ATTRIBUTES = "status", "comment", "attributes"
STAMP_RETRIES = 10


def _enqueue(store, *, account_id, link, correlation, event_type, replica, now, clock=None,
             change_key=None):
    def build(sequence):
        event_id = secrets.token_hex(16)
        ticket = tmf621.trouble_ticket(replica, owner=account_id,
                                       partner=(link.get("partner") or {}).get("account_id"),
                                       remote_id=correlation.get("remote_ticket_id"))
        return event_id, event_type, tmf621.envelope(
            event_type, ticket, event_id=event_id, event_time=now, sequence=sequence,
            origin=correlation["side"], status_clock=clock)
    return store.outbox.enqueue(account_id, link["link_id"], build, now=now, change_key=change_key)


def _next_clock(store, account_id, correlation, now):
    """The statusClock of a status change made here, its stamp put in force on the correlation."""
    for _ in range(STAMP_RETRIES):
        current = store.correlations.get(account_id, correlation["_id"])
        in_force = stamp_in_force(current)
        clock, stamp = status_clock(in_force, current["side"])
        if store.correlations.set_status_stamp(account_id, current["_id"], read=in_force, new=stamp,
                                               now=now):
            return clock
    raise Conflict("The ticket's status keeps changing; try again.")


def share_ticket(store, *, account_id, link_id, view, now):
    """Share a ticket over a link: its correlation (this side is the origin), the create event,
    then one event per public comment it already has. Comments go one by one so that no event
    of a long-running ticket outgrows what a receiver accepts (signing.MAX_BODY_BYTES)."""
    link = store.links.get(account_id, link_id)
    if not queues_changes(link["state"]):
        raise Conflict(f"The link is {link['state']}; tickets are shared over active links.",
                       {"state": link["state"]})
    if view.get("revision") is not None:
        # Before the correlation exists, so that no handler seeing it starts the ticket earlier.
        store.order.start(account_id, str(view["id"]), view["revision"])
    correlation = store.correlations.open(account_id, link_id, str(view["id"]), side="origin",
                                          now=now, revision=view.get("revision"))
    # Reports group by what this account knows of its own ticket, whatever the rule lets out.
    store.correlations.describe(account_id, correlation["_id"], summary_of(view))
    replica = build_replica(view, link["rules"])
    comments = replica.pop("comments")
    clock = _next_clock(store, account_id, correlation, now) if "status" in replica else None
    items = [_enqueue(store, account_id=account_id, link=link, correlation=correlation,
                      event_type=tmf621.CREATE, replica=replica, now=now, clock=clock)]
    for comment in comments:
        items.append(_enqueue(store, account_id=account_id, link=link, correlation=correlation,
                              event_type=tmf621.ATTRIBUTE_CHANGE, now=now,
                              replica={"id": replica["id"], "comments": [comment]}))
    return correlation, items


def queue_acknowledgement(store, *, account_id, link, correlation, local_number, now):
    """Tell the sharing side which ticket its share became here (its id and number)."""
    replica = {"id": correlation["local_ticket_id"], "number": local_number}
    return _enqueue(store, account_id=account_id, link=link, correlation=correlation,
                    event_type=tmf621.ATTRIBUTE_CHANGE, replica=replica, now=now)


def _part(kind, view, rules, change):
    if kind == STATUS:
        return tmf621.event_type_for_status(view.get("status")), status_replica(
            view, rules, reason=change.get("reason"))
    if kind == COMMENT:
        return tmf621.ATTRIBUTE_CHANGE, comment_replica(view, rules, change["comment_id"])
    if kind == ATTRIBUTES:
        return tmf621.ATTRIBUTE_CHANGE, partial_replica(view, rules, change["fields"])
    raise ValueError(f"Unknown kind of change {kind!r}.")


# A ticket's edited fields (tickets' ticket_updated) that a replica can carry; the rest
# (assignee, client, contact) are this account's business.
EDITED_FIELDS = ("title", "description", "priority", "type")


def attributes_change(changes, changed_by):
    """The change an edit of a ticket makes on its links, or None when nothing of it could leave."""
    values = {name: changes[name] for name in EDITED_FIELDS if name in changes}
    if not values:
        return None
    return {"kind": ATTRIBUTES, "fields": sorted(values), "values": values,
            "changed_by": changed_by}


def as_of(view, change):
    """The view as the change left it: it is read when the change is queued, perhaps after
    later changes, so the values the change made (its event carries them) are put back."""
    if change["kind"] == STATUS:
        return dict(view, status=change["status"])
    if change["kind"] == ATTRIBUTES:
        return dict(view, **change.get("values", {}))
    return view


def queue_change(store, *, account_id, view, change, now):
    """Queue a change of a shared ticket for each of its links that should hear of it.

    `change` is {"kind": "status" | "comment" | "attributes", "changed_by": actor reference,
    and "status" with "reason" (status), "comment_id" (comment) or "fields" (attributes, replica
    keys) with "values" (the view's fields it set)}; a comment also passes its `origin` when it
    came from a partner, and a change from tickets' events its `revision`. Returns the queued
    items."""
    view = as_of(view, change)
    revision = change.get("revision")
    if change["kind"] == ATTRIBUTES and "title" in change.get("values", {}):
        store.correlations.retitle(account_id, str(view["id"]), change["values"]["title"])
    queued = []
    for correlation in store.correlations.of_ticket(account_id, str(view["id"])):
        if is_echo(change, correlation["link_id"]):
            continue
        if revision is not None and revision <= (correlation.get("revision") or 0):
            continue  # the share read the ticket after this change: it went with the share
        link = store.links.get(account_id, correlation["link_id"])
        if not queues_changes(link["state"]):
            continue
        key = None if revision is None else f"{view['id']}:{revision}"
        done = key and store.outbox.by_change(account_id, link["link_id"], key)
        if done:
            queued.append(done)  # queued before a crash stopped the position from moving
            continue
        event_type, replica = _part(change["kind"], view, link["rules"], change)
        if replica is None:
            continue  # the rule lets nothing of this change out
        clock = _next_clock(store, account_id, correlation, now) if change["kind"] == STATUS else None
        queued.append(_enqueue(store, account_id=account_id, link=link, correlation=correlation,
                               event_type=event_type, replica=replica, now=now, clock=clock,
                               change_key=key))
    return queued
