"""Events from the tickets service reach a consumer on a real RabbitMQ, once, even after a crash
between the write and the publish; a consumer that keeps failing dead-letters the event."""
import eventlet
import pytest
from nameko.standalone.events import event_dispatcher
from nameko.standalone.rpc import ServiceRpcProxy
from nameko.testing.services import entrypoint_waiter

from services.shared import events
from services.shared.events import Inbox, reliable_handler
from services.shared.storage import open_database
from services.tickets.schemas import TicketCreatedEventSchema, TicketStatusChangedEventSchema
from services.tickets.service import TicketsService
from tests.service.waiting import wait_for

ACTOR = {"account_id": "acme", "kind": "employee", "id": "alice", "roles": ["admin"]}
received = []


class Consumer:
    name = "test_consumer"
    inbox = Inbox("test_consumer")

    @reliable_handler("tickets", "ticket_created")
    def on_created(self, payload):
        if payload["ticket"]["title"] == "poison":
            raise RuntimeError("cannot handle this one")
        received.append(("created", payload))

    @reliable_handler("tickets", "ticket_status_changed")
    def on_status(self, payload):
        received.append(("status", payload))


@pytest.fixture
def running(container_factory, config):
    received.clear()
    consumer = container_factory(Consumer, config)
    consumer.start()  # first, so that its queues are bound before anything is published
    tickets = container_factory(TicketsService, config)
    tickets.start()
    return tickets, consumer


def test_events_carry_the_documented_payloads(running, config):
    with ServiceRpcProxy("tickets", config) as tickets:
        ticket = tickets.create_ticket(ACTOR, {"title": "Нет видео с камеры 3", "channel": "phone"})
        tickets.change_status(ACTOR, ticket["id"], {"status": "in_progress"})
    wait_for(lambda: len(received) == 2)
    (_, created), (_, changed) = sorted(received, key=lambda r: r[0])
    assert set(created) == set(TicketCreatedEventSchema().fields)
    assert created["ticket"]["id"] == ticket["id"] and created["ticket"]["channel"] == "phone"
    assert set(changed) == set(TicketStatusChangedEventSchema().fields)
    assert (changed["old_status"], changed["new_status"]) == ("opened", "in_progress")
    assert created["event_id"] != changed["event_id"]
    stored = open_database("tickets").tickets.find_one({"_id": ticket["id"]})
    assert stored["outbox"] == [] and "outbox_pending" not in stored


def test_relay_publishes_what_a_crash_left_in_the_outbox(running, config, monkeypatch):
    monkeypatch.setattr(events, "RELAY_AGE", events.timedelta(seconds=0))
    tickets_container, _ = running
    # As if the process died after the write and before the publish.
    monkeypatch.setattr(TicketsService, "_announce", lambda self, ticket: None)
    with ServiceRpcProxy("tickets", config) as tickets:
        ticket = tickets.create_ticket(ACTOR, {"title": "Не печатает чек"})
    assert open_database("tickets").tickets.find_one({"_id": ticket["id"]})["outbox"]
    wait_for(lambda: any(p["ticket"]["id"] == ticket["id"] for kind, p in received if kind == "created"))
    wait_for(lambda: "outbox_pending" not in open_database("tickets").tickets.find_one({"_id": ticket["id"]}))
    assert open_database("tickets").tickets.find_one({"_id": ticket["id"]})["outbox"] == []


def test_a_redelivered_event_is_handled_once(running, config):
    payload = {"event_id": "evt-1", "account_id": "acme", "occurred_at": "2026-11-25T10:00:00+00:00",
               "ticket_id": "t1", "number": 1, "old_status": "opened", "new_status": "closed",
               "changed_by": {"kind": "employee", "id": "alice"}, "comment": None}
    _, consumer = running
    dispatch = event_dispatcher(config)
    for _ in range(3):
        with entrypoint_waiter(consumer, "on_status"):
            dispatch("tickets", "ticket_status_changed", payload)
    assert [p["event_id"] for kind, p in received] == ["evt-1"]


def test_an_event_that_keeps_failing_becomes_a_dead_letter(running, config, monkeypatch):
    monkeypatch.setattr(events.eventlet, "sleep", lambda seconds: eventlet.greenthread.sleep(0))
    with ServiceRpcProxy("tickets", config) as tickets:
        ticket = tickets.create_ticket(ACTOR, {"title": "poison"})
    dead_letters = open_database("test_consumer").dead_letters
    wait_for(lambda: dead_letters.count_documents({}) == 1)
    letter = dead_letters.find_one({})
    assert letter["payload"]["ticket"]["id"] == ticket["id"]
    assert "cannot handle this one" in letter["error"] and letter["state"] == "dead"
    assert open_database("test_consumer").inbox_failures.count_documents({}) == 0
    assert received == []
