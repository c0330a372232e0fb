"""Receiving a partner's change: refuse it, or keep it and apply it in turn.

`receive` is what the TMF621 listener (HTTP between installations, after `signing.verify`) and
the event handler (within one installation) both call. Its steps, and why in this order:

1. the link must accept changes (paused: 503 so the sender retries; pending, revoked: 403);
2. the envelope is parsed, refused with the field when malformed (422);
3. an event id seen before is answered "duplicate" (409, which the sender counts as delivered);
4. the change is stored in the link's incoming sequence (received.py); a number already there
   is a duplicate too. This is what makes receiving safe: once it is stored, the answer may be
   2xx;
5. only then is the event id claimed. A crash between 4 and 5 lets a retry through step 3, and
   step 4 recognises it by its number, so nothing is applied twice and nothing is lost;
6. every change whose turn has come is applied (`apply_ready`), each followed by a guarded move
   of the link's position. A change whose application fails (tickets down) stays first in
   line; a timer calls `apply_ready` again later.

The tickets service is reached through a port, `tickets`, with these methods (RPC in the
service, a fake in tests), each called with the partner actor so that the changes they make are
recognised as echoes:

    create_ticket(actor, data, *, idempotency_key) -> {"id", "number", "revision"}, the ticket
        created earlier with that key if there is one
    ticket_status(actor, ticket_id) -> str
    change_status(actor, ticket_id, status, comment) -> None, raises Conflict on an illegal move
    add_comment(actor, ticket_id, body, *, author_name, origin) -> None, a no-op for an origin
        it has already
    update_ticket(actor, ticket_id, changes) -> None, title / description / priority
    view(ticket_id) -> the ticket as sharing.py describes it (its current text)
"""
import logging

from services.partner_bridge import tmf621
from services.partner_bridge.conflicts import ORIGIN, REPLICA, Stamp, conflict_record, judge
from services.partner_bridge.correlations import stamp_in_force
from services.partner_bridge.invitations import incoming_verdict
from services.partner_bridge.ordering import drain, origin_mark, partner_actor
from services.partner_bridge.outgoing import queue_acknowledgement
from services.partner_bridge.sharing import (
    TEXT_FIELDS, accepts_comments, incoming_context, incoming_edits, incoming_status,
    incoming_ticket, keep_local_text, summary_of)
from services.partner_bridge.replay_guard import replayed
from services.shared.errors import Conflict

STAMP_RETRIES = 10
FINISHED = ("resolved", "closed", "cancelled")  # TMF621 words: the partner is done with it
WORKFLOW_REFUSAL = "local-workflow"
REOPENED, IN_PROGRESS = "reopened", "in_progress"
log = logging.getLogger(__name__)


def receive(store, tickets, *, account_id, link_id, payload, now):
    """Keep a partner's change and apply what is due; returns {"event_id", "sequence", "applied"}
    where applied is how many changes were applied now, or None if applying failed (kept)."""
    link = store.links.get(account_id, link_id)
    refusal = incoming_verdict(link["state"])
    if refusal is not None:
        raise refusal
    change = tmf621.parse_event(payload)
    if store.seen_events.seen(account_id, link_id, change["event_id"]):
        raise replayed(change["event_id"])
    sequence = store.received.for_link(account_id, link_id, now=now)
    if change["sequence"] is None:
        # A plain TMF621 sender numbers nothing: its changes take their turn in the order
        # they arrive (the event id still stops a copy).
        change["sequence"] = sequence.append(change)
    elif sequence.receive(change["sequence"], change) == "duplicate":
        raise replayed(change["event_id"])
    store.seen_events.claim(account_id, link_id, change["event_id"], now=now)
    try:
        applied = apply_ready(store, tickets, account_id=account_id, link_id=link_id, now=now)
    except Exception:
        # The change is kept: the partner has done its part and an error would only make it send
        # a duplicate. The failing change stays first in line for the next apply_ready.
        log.exception("partner change kept but not applied",
                      extra={"link_id": link_id, "sequence": change["sequence"]})
        applied = None
    return {"event_id": change["event_id"], "sequence": change["sequence"], "applied": applied}


def apply_ready(store, tickets, *, account_id, link_id, now):
    """Apply the link's changes whose turn has come, one at a time; returns how many."""
    sequence = store.received.for_link(account_id, link_id, now=now)
    link = store.links.get(account_id, link_id)
    # When two replicas apply the same change at once, one moves the position and the other
    # learns it had nothing to do: every step of apply_change is idempotent for that reason.
    return drain(sequence, lambda change: apply_change(store, tickets, account_id=account_id,
                                                       link=link, change=change, now=now))


def apply_change(store, tickets, *, account_id, link, change, now):
    ticket = change["ticket"]
    correlation = _correlation_for(store, account_id, link, ticket, now)
    if correlation is None:
        if change["event_type"] != tmf621.CREATE:
            return  # a change of a ticket never shared here (or unshared): nothing to apply
        correlation = _open_shared_ticket(store, tickets, account_id=account_id, link=link,
                                          change=change, now=now)
    actor = partner_actor(link["link_id"])
    replied = change["event_type"] != tmf621.CREATE and ("status" in ticket or ticket.get("comments"))
    if "status" in ticket:
        _apply_status(store, tickets, account_id=account_id, link=link, correlation=correlation,
                      change=change, actor=actor, now=now)
    if change["event_type"] != tmf621.CREATE:
        _apply_edits(store, tickets, account_id=account_id, link=link, correlation=correlation,
                     ticket=ticket, actor=actor, now=now)
    if ticket.get("comments") and accepts_comments(link["rules"]):
        for note in ticket["comments"]:
            tickets.add_comment(actor, correlation["local_ticket_id"], note["body"],
                                author_name=note["author"] or link["partner"]["account_name"],
                                origin=origin_mark(link["link_id"], f"{ticket['id']}:{note['id']}"))
    if replied:
        store.correlations.note_reply(account_id, correlation["_id"], at=now,
                                      resolved=ticket.get("status") in FINISHED)


def _apply_edits(store, tickets, *, account_id, link, correlation, ticket, actor, now):
    """A partner's edit, applied by sharing.keep_local_text's rule: its title and description
    are always kept on the correlation, and replace ours only where ours is still what the
    bridge wrote. An edit sets the values it carries; applied again (a retry) it changes
    nothing."""
    edits = incoming_edits(link["rules"], ticket, context=correlation.get("context"))
    texts = {name: ticket[name] for name in TEXT_FIELDS if isinstance(ticket.get(name), str)}
    if texts:
        store.correlations.keep_partner_text(account_id, correlation["_id"], texts, now=now)
    if any(name in edits for name in TEXT_FIELDS):
        current = tickets.view(correlation["local_ticket_id"])
        edits, _ = keep_local_text(edits, current=current,
                                   written=correlation.get("written") or {})
    if edits:
        tickets.update_ticket(actor, correlation["local_ticket_id"], edits)
        written = {name: edits[name] for name in TEXT_FIELDS if name in edits}
        if written:
            store.correlations.note_written(account_id, correlation["_id"], written)


def _correlation_for(store, account_id, link, ticket, now):
    found = store.correlations.by_remote(account_id, link["link_id"], ticket["id"])
    if found is not None or not ticket.get("correlated_id"):
        return found
    # The partner's first answer to a ticket we shared: it names our id, we learn its id.
    for correlation in store.correlations.of_ticket(account_id, ticket["correlated_id"]):
        if correlation["link_id"] == link["link_id"] and correlation["remote_ticket_id"] is None:
            return store.correlations.attach_remote(account_id, correlation["_id"], ticket["id"],
                                                    ticket.get("number"), now=now)
    return None


def _open_shared_ticket(store, tickets, *, account_id, link, change, now):
    ticket = change["ticket"]
    # The key makes a second attempt (a crash before the correlation was stored, or two
    # replicas at once) find the ticket the first one created instead of opening another.
    opened = incoming_ticket(link["rules"], ticket, link_name=link["partner"]["account_name"])
    created = tickets.create_ticket(partner_actor(link["link_id"]), opened,
                                    idempotency_key=f"partner:{link['link_id']}:{ticket['id']}")
    if created.get("revision") is not None:
        # Before the correlation exists, so that no handler seeing it starts the ticket earlier.
        store.order.start(account_id, created["id"], created["revision"])
    try:
        correlation = store.correlations.open(
            account_id, link["link_id"], created["id"], side="replica", now=now,
            remote_ticket_id=ticket["id"], remote_number=ticket.get("number"),
            revision=created.get("revision"),
            context=incoming_context(ticket, link_name=link["partner"]["account_name"]))
    except Conflict:
        return store.correlations.by_remote(account_id, link["link_id"], ticket["id"])
    store.correlations.describe(account_id, correlation["_id"], summary_of(ticket))
    # What the bridge wrote: the partner's later edits may replace it while nobody here has.
    store.correlations.note_written(account_id, correlation["_id"],
                                    {name: opened[name] for name in TEXT_FIELDS})
    queue_acknowledgement(store, account_id=account_id, link=link, correlation=correlation,
                          local_number=created.get("number"), now=now)
    return correlation


def _apply_status(store, tickets, *, account_id, link, correlation, change, actor, now):
    """Judge a partner's status against ours, apply it if it wins, then put its stamp in force.

    The ticket is changed before the stamp moves: if tickets fails, the change is judged again
    on the next attempt, and a status already reached is not changed twice (incoming_status
    answers None for it)."""
    remote_status = change["ticket"]["status"]
    reopened, reason = tmf621.reopen_of(remote_status, change["ticket"].get("status_change_reason"))
    for _ in range(STAMP_RETRIES):
        current = store.correlations.get(account_id, correlation["_id"])
        in_force = stamp_in_force(current)
        incoming, based_on = _stamps(change["status_clock"], in_force, current["side"])
        if in_force == incoming or any(c.get("event_id") == change["event_id"]
                                       for c in current["conflicts"]):
            # Judged already, by a replica racing us or by an attempt that stopped half way. A
            # change applied and since overtaken by ours is judged again and loses: at worst a
            # conflict is recorded that need not have been.
            return
        verdict = judge(in_force, incoming, based_on)
        local_status = tickets.ticket_status(actor, correlation["local_ticket_id"])
        record = None
        if verdict.conflict:
            record = conflict_record(at=now, verdict=verdict, local_status=local_status,
                                     local_stamp=in_force, remote_status=remote_status,
                                     remote_stamp=incoming, event_id=change["event_id"])
        target = incoming_status(link["rules"], remote_status, local_status,
                                 reopened=reopened) if verdict.apply else None
        if target is not None:
            try:
                _move(tickets, actor, correlation["local_ticket_id"], target, reason)
            except Conflict as refused:
                # Our workflow forbids the move (closed -> waiting, say): the partner's stamp
                # still wins, our status stays, and the refusal is kept where people look.
                record = record or {"at": now, "event_id": change["event_id"],
                                    "remote": {"status": remote_status, "stamp": incoming.as_dict()},
                                    "local": {"status": local_status, "stamp": (
                                        None if in_force is None else in_force.as_dict())}}
                record = dict(record, rule=WORKFLOW_REFUSAL, winner="local", detail=refused.detail)
        if store.correlations.set_status_stamp(account_id, correlation["_id"], read=in_force,
                                               new=verdict.in_force, now=now, conflict=record):
            return


def _stamps(clock, in_force, our_side):
    """The (stamp, based on) of a partner's status change. A plain TMF621 sender sends no clock:
    its change is taken as made after the status in force (no conflict, the later arrival
    stands)."""
    if clock is not None:
        return Stamp(clock["counter"], clock["side"]), Stamp.from_dict(clock["based_on"])
    their_side = REPLICA if our_side == ORIGIN else ORIGIN
    return Stamp((in_force.counter if in_force else 0) + 1, their_side), in_force


def _move(tickets, actor, ticket_id, target, comment):
    """Move the ticket to `target`. A finished ticket (resolved, closed) that a plain TMF621
    partner works on again (inProgress after resolved, without our `reopened` reason) is
    reopened too: our workflow only leaves a finished ticket through reopened. Any other move
    the workflow refuses (closed to waiting) is not forced (Conflict)."""
    try:
        tickets.change_status(actor, ticket_id, target, comment)
    except Conflict as refused:
        allowed = (refused.extra or {}).get("allowed") or []
        if target != IN_PROGRESS or REOPENED not in allowed:
            raise
        tickets.change_status(actor, ticket_id, REOPENED, comment)
