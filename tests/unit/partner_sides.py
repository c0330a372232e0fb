"""Two (or more) accounts linked through partner_bridge's domain modules, in memory.

Each side keeps one shared ticket's status and, per link, the correlation's status stamp, its
outbox numbering and its incoming sequence. A local status change goes through the same steps
the service takes: the tickets event, echo filtering, the Lamport stamp, the TMF621 envelope as
JSON text; the receiving side parses it, orders it, judges conflicts and applies the mapped status
as the partner actor, which raises a tickets event of its own that must not bounce back.
"""
import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from services.partner_bridge.conflicts import Stamp, conflict_record, judge, status_clock
from services.partner_bridge.ordering import (
    IncomingSequence, drain, links_to_notify, partner_actor)
from services.partner_bridge.sharing import default_rules, incoming_status
from services.partner_bridge.tmf621 import envelope, event_type_for_status, parse_event, trouble_ticket

AT = datetime(2026, 11, 30, 12, 0)
EMPLOYEE = {"kind": "employee", "id": "e-1"}


@dataclass
class Correlation:
    side: str
    in_force: Stamp = None
    sent: int = 0
    incoming: IncomingSequence = field(default_factory=IncomingSequence)
    outbox: list = field(default_factory=list)


class Side:
    def __init__(self, name, status="in_progress"):
        self.name = name
        self.status = status
        self.rules = default_rules()
        self.links = {}
        self.conflicts = []
        self.applied = []

    def link(self, link_id, side):
        self.links[link_id] = Correlation(side)

    def change_status(self, status, actor=EMPLOYEE):
        """What the tickets service announces after someone here moved the ticket."""
        self.status = status
        self.on_status_changed({"new_status": status, "changed_by": actor})

    def on_status_changed(self, event):
        for link_id in links_to_notify(event, list(self.links)):
            correlation = self.links[link_id]
            clock, correlation.in_force = status_clock(correlation.in_force, correlation.side)
            correlation.sent += 1
            ticket = trouble_ticket({"id": f"{self.name}-ticket", "status": event["new_status"]},
                                    owner=self.name)
            body = envelope(event_type_for_status(event["new_status"]), ticket,
                            event_id=uuid.uuid4().hex, event_time=AT, sequence=correlation.sent,
                            origin=correlation.side, status_clock=clock)
            correlation.outbox.append(json.dumps(body))

    def receive(self, link_id, body):
        change = parse_event(json.loads(body))
        correlation = self.links[link_id]
        if correlation.incoming.receive(change["sequence"], change) == "duplicate":
            return
        drain(correlation.incoming, lambda c: self._apply(link_id, c))

    def _apply(self, link_id, change):
        correlation = self.links[link_id]
        clock = change["status_clock"]
        incoming = Stamp(clock["counter"], clock["side"])
        verdict = judge(correlation.in_force, incoming, Stamp.from_dict(clock["based_on"]))
        if verdict.conflict:
            self.conflicts.append(conflict_record(
                at=AT, verdict=verdict, local_status=self.status, local_stamp=correlation.in_force,
                remote_status=change["ticket"]["status"], remote_stamp=incoming,
                event_id=change["event_id"]))
        correlation.in_force = verdict.in_force
        self.applied.append(change["sequence"])
        if not verdict.apply:
            return
        target = incoming_status(self.rules, change["ticket"]["status"], self.status)
        if target:
            self.status = target
            self.on_status_changed({"new_status": target, "changed_by": partner_actor(link_id)})


def connect(a, b, link_id="link-ab"):
    """Link two sides; `a` shared the ticket, so it is the origin side."""
    a.link(link_id, "origin")
    b.link(link_id, "replica")


def deliver_all(a, b, link_id="link-ab"):
    """Deliver both outboxes until both are empty; returns how many messages went."""
    sent = 0
    while a.links[link_id].outbox or b.links[link_id].outbox:
        for source, target in ((a, b), (b, a)):
            outbox = source.links[link_id].outbox
            while outbox:
                target.receive(link_id, outbox.pop(0))
                sent += 1
    return sent
