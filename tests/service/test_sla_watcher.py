"""Two tickets-service containers run the SLA watcher on the same database: every breach reaches
a consumer on a real RabbitMQ once per ticket and target, and later scans add nothing."""
from datetime import timedelta

import eventlet
import pytest
from nameko.testing.services import entrypoint_waiter

from services.shared.actor import Actor
from services.shared.clock import utcnow
from services.shared.events import Inbox, reliable_handler
from services.shared.storage import open_database
from services.tickets.schemas import SlaEventSchema
from services.tickets.service import TicketsService
from services.tickets.sla import entrypoints as sla_entrypoints
from services.tickets.store.contracts import ServiceLevelStore
from services.tickets.store.tickets import TicketStore

TARGETS = {p: {"reaction_minutes": 30, "resolution_minutes": 120}
           for p in ("low", "normal", "high", "critical")}
ACTOR = Actor(account_id="acme", kind="employee", id="alice", roles=("admin",))
TICKETS = 6
breaches = []


class Consumer:
    name = "sla_consumer"
    inbox = Inbox("sla_consumer")

    @reliable_handler("tickets", "sla_breached")
    def on_breach(self, payload):
        breaches.append(payload)


def open_tickets():
    db = open_database("tickets")
    TicketStore.create_indexes(db)
    db.accounts.insert_one({"_id": "acme", "time_zone": "Europe/Moscow", "settings": {},
                            "active": True})
    level = ServiceLevelStore(db).create("acme", {"name": "Standard", "targets": TARGETS})["_id"]
    store = TicketStore(db)
    coverage = {"verdict": "covered", "service_level_id": level, "contract_id": "c-1"}
    return [store.create(ACTOR, {"title": f"Ticket {n}", "priority": "normal", "channel": "api",
                                 "type": "incident", "coverage": coverage})["_id"]
            for n in range(TICKETS)]


def wait_for(condition, seconds=30):
    with eventlet.Timeout(seconds):
        while not condition():
            eventlet.sleep(0.05)


@pytest.fixture
def replicas(container_factory, config, monkeypatch):
    breaches.clear()
    # A month on: every target of every ticket is past its deadline.
    monkeypatch.setattr(sla_entrypoints, "utcnow", lambda: utcnow() + timedelta(days=30))
    consumer = container_factory(Consumer, config)
    consumer.start()
    ids = open_tickets()
    first, second = (container_factory(TicketsService, config) for _ in range(2))
    first.start()
    second.start()
    return ids, first, second


def test_each_breach_is_emitted_once_by_two_replicas(replicas):
    ids, first, second = replicas
    wait_for(lambda: len(breaches) >= 2 * TICKETS)
    # Both replicas scan twice more: nothing is announced again.
    for _ in range(2):
        with entrypoint_waiter(first, "watch_sla"), entrypoint_waiter(second, "watch_sla"):
            pass
    pairs = sorted((b["ticket_id"], b["target"]) for b in breaches)
    assert pairs == sorted((i, t) for i in ids for t in ("reaction", "resolution"))
    assert all(set(b) == set(SlaEventSchema().fields) for b in breaches)
    stored = open_database("tickets").tickets.find({"_id": {"$in": ids}})
    assert all(len(t["sla"]["announced"]) == 4 and t["sla_next_deadline"] is None for t in stored)
