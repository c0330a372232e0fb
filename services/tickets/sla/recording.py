"""The SLA fields a ticket write sets, computed from the ticket as read and the change it makes.

The store calls these and puts what they return into the very update that makes the change (with
`sla_rev` as a guard), so the clock can never disagree with the ticket it belongs to. Each returns
the `$set` fields, or None when the change does not touch the clock.
"""
from services.tickets.sla import policy as sla_policy
from services.tickets.sla import tracking


def _written(ticket, sla, calendar):
    fields = tracking.derived(sla, calendar)
    fields["sla_rev"] = (ticket.get("sla_rev") or 0) + 1
    return fields


def opening(sources, ticket, now):
    """A new ticket's clock: its service level (from the coverage verdict) x its priority."""
    coverage = ticket.get("coverage") or {}
    targets = sources.targets(ticket["account_id"], coverage.get("service_level_id"),
                              ticket["priority"], ticket.get("client_id"))
    if targets is None:
        return {"sla": None, "sla_next_deadline": None, "sla_sort_at": tracking.FAR_FUTURE}
    account = sources.account(ticket["account_id"])
    calendar_id = sources.calendar_id_for(account, ticket, coverage["service_level_id"])
    sla = tracking.start(now, targets, service_level_id=coverage["service_level_id"],
                         contract_id=coverage.get("contract_id"), calendar_id=calendar_id,
                         warning_share=sla_policy.policy_of(account).warning_share)
    return _written(ticket, sla, sources.calendar(account, calendar_id))


def _context(sources, ticket):
    account = sources.account(ticket["account_id"])
    return account, sources.calendar(account, ticket["sla"].get("calendar_id"))


def status_changed(sources, ticket, new_status, at, by_employee, with_comment=False):
    """A comment that comes with the move is public, so an employee's meets the reaction too."""
    sla = ticket.get("sla")
    if not sla:
        return None
    account, calendar = _context(sources, ticket)
    clock = sla_policy.on_status_change(tracking.clock_of(sla), sla_policy.policy_of(account),
                                        old=ticket["status"], new=new_status, at=at,
                                        by_employee=by_employee)
    if with_comment:
        clock = sla_policy.on_comment(clock, at=at, visibility="public", by_employee=by_employee)
    return _written(ticket, tracking.with_clock(sla, clock), calendar)


def commented(sources, ticket, at, visibility, by_employee):
    sla = ticket.get("sla")
    if not sla:
        return None
    clock = tracking.clock_of(sla)
    after = sla_policy.on_comment(clock, at=at, visibility=visibility, by_employee=by_employee)
    if after == clock:
        return None
    _, calendar = _context(sources, ticket)
    return _written(ticket, tracking.with_clock(sla, after), calendar)


def retargeted(sources, ticket, *, priority, client_id, level=None):
    """New targets after a change of priority, client, contract or the client's own targets:
    `priority` and `client_id` as they are after the change, `level` the (service_level_id,
    contract_id) now covering the ticket, None to keep the current one. The time spent and the
    pauses stay; a ticket that had no clock gets one from its creation, as if the level had
    covered it from the start."""
    sla = ticket.get("sla")
    level_id, contract_id = level or ((sla or {}).get("service_level_id"),
                                      (sla or {}).get("contract_id"))
    targets = sources.targets(ticket["account_id"], level_id, priority, client_id)
    if not sla:
        if targets is None:
            return None
        account = sources.account(ticket["account_id"])
        calendar_id = sources.calendar_id_for(account, dict(ticket, client_id=client_id), level_id)
        sla = tracking.start(ticket["created_at"], targets, service_level_id=level_id,
                             contract_id=contract_id, calendar_id=calendar_id,
                             warning_share=sla_policy.policy_of(account).warning_share)
        return _written(ticket, _replay(sla, ticket, sla_policy.policy_of(account)),
                        sources.calendar(account, calendar_id))
    _, calendar = _context(sources, ticket)
    clock = sla_policy.on_targets_changed(tracking.clock_of(sla), targets)
    if targets is not None:
        sla = dict(sla, service_level_id=level_id, contract_id=contract_id)
    return _written(ticket, tracking.with_clock(sla, clock), calendar)


def _replay(sla, ticket, policy):
    """A clock started late learns what happened before from the ticket's history, in order."""
    clock = tracking.clock_of(sla)
    moves = [(e["at"], 0, e) for e in ticket.get("history", [])
             if e["field"] == "status" and e["old"] is not None]
    comments = [(c["created_at"], 1, c) for c in ticket.get("comments", [])]
    for at, kind, item in sorted(moves + comments, key=lambda m: (m[0], m[1])):
        if kind == 0:
            clock = sla_policy.on_status_change(clock, policy, old=item["old"], new=item["new"],
                                                at=at, by_employee=item["actor"]["kind"] == "employee")
        else:
            clock = sla_policy.on_comment(clock, at=at, visibility=item["visibility"],
                                          by_employee=item["author"]["kind"] == "employee")
    return tracking.with_clock(sla, clock)
