"""The console's live fan-out (gateway/web/queue/live.py) without a broker: who gets which
signal, what a signal carries, and the bounds per process and per stream."""
import threading

from gateway.web.queue import views
from gateway.web.queue.live import Hub, signal_of


class Idle(threading.Thread):
    """Stands for the broker consumer: these tests hand events to the hub themselves."""

    def __init__(self, hub):
        super().__init__(daemon=True)


def hub(max_streams=10, queue_size=4):
    return Hub("amqp://unused", max_streams, queue_size, consumer_class=Idle)


def created(account_id, ticket_id):
    return {"account_id": account_id, "ticket": {"id": ticket_id, "title": "Secret", "number": 7}}


def test_a_ticket_event_reaches_every_stream_of_its_account_and_no_other():
    live = hub()
    mine, colleague = live.open("acme", "e1"), live.open("acme", "e2")
    other = live.open("globex", "g1")
    live.deliver("ticket_created", created("acme", "t1"))
    assert mine.next(0.1) == ("changed", {"ticket_id": "t1"})
    assert colleague.next(0.1) == ("changed", {"ticket_id": "t1"})
    assert other.next(0.01) is None


def test_a_signal_carries_the_ticket_id_only():
    assert signal_of("ticket_created", created("acme", "t1")) == (
        "changed", {"ticket_id": "t1"}, None)
    assert signal_of("ticket_status_changed", {"account_id": "acme", "ticket_id": "t2",
                                               "comment": "private"})[1] == {"ticket_id": "t2"}


def test_a_ring_reaches_only_the_employees_it_names_in_its_account():
    live = hub()
    rung, colleague = live.open("acme", "e1"), live.open("acme", "e2")
    namesake = live.open("globex", "e1")  # the same id in another account hears nothing
    live.deliver("call_ringing", {"account_id": "acme", "call_id": "c1", "number": "+74951234567",
                                  "employee_ids": ["e1"]})
    assert rung.next(0.1) == ("ringing", {"call_id": "c1", "number": "+74951234567"})
    assert colleague.next(0.01) is None
    assert namesake.next(0.01) is None


def test_streams_beyond_the_cap_are_refused_until_one_closes():
    live = hub(max_streams=2)
    first, _ = live.open("acme", "e1"), live.open("acme", "e2")
    assert live.open("acme", "e3") is None
    live.close(first)
    assert live.open("acme", "e3") is not None
    assert live.open_streams == 2


def test_a_stream_that_does_not_read_keeps_at_most_its_queue():
    live = hub(queue_size=3)
    slow = live.open("acme", "e1")
    for number in range(10):
        live.deliver("ticket_updated", {"account_id": "acme", "ticket_id": f"t{number}"})
    assert [slow.next(0.01) for _ in range(4)] == [
        ("changed", {"ticket_id": "t0"}), ("changed", {"ticket_id": "t1"}),
        ("changed", {"ticket_id": "t2"}), None]


def test_events_without_an_account_or_a_ticket_are_ignored():
    live = hub()
    stream = live.open("acme", "e1")
    live.deliver("ticket_created", {"ticket": {"id": "t1"}})
    live.deliver("ticket_updated", {"account_id": "acme"})
    live.deliver("ticket_updated", ["not", "a", "payload"])
    assert stream.next(0.01) is None


def test_a_stream_sends_a_retry_hint_heartbeats_and_messages_then_ends_and_frees_its_slot(
        monkeypatch):
    monkeypatch.setattr(views, "HEARTBEAT_SECONDS", 0.05)
    monkeypatch.setattr(views, "LIFETIME_SECONDS", 0.3)
    live = hub(max_streams=1)
    stream = live.open("acme", "e1")
    live.deliver("ticket_updated", {"account_id": "acme", "ticket_id": "t1"})
    text = "".join(views.sent(live, stream))
    assert text.startswith("retry: 3000\n\n")
    assert 'event: changed\ndata: {"ticket_id": "t1"}\n\n' in text
    assert ": heartbeat\n\n" in text
    assert live.open_streams == 0 and live.open("acme", "e2") is not None
