"""services/tickets/tickets/history.py: what a change leaves on a ticket, from plain data
without a store."""
from datetime import datetime

from services.shared.actor import Actor
from services.tickets.tickets.history import history_entry, next_revision, origin_key

NOW = datetime(2026, 12, 7, 12, 0)
ENGINEER = Actor.from_dict({"account_id": "acme", "kind": "employee", "id": "eve",
                            "roles": ["engineer"]})


def test_a_history_entry_names_the_author_by_kind_and_id_only():
    entry = history_entry(ENGINEER, NOW, "priority", "normal", "high")
    assert entry == {"at": NOW, "actor": {"kind": "employee", "id": "eve"}, "field": "priority",
                     "old": "normal", "new": "high"}


def test_a_ticket_without_a_revision_takes_the_first_and_is_guarded_on_having_none():
    assert next_revision({"_id": "t-1"}) == (1, {"revision": None})


def test_a_change_takes_the_revision_after_the_one_read_and_is_guarded_on_it():
    assert next_revision({"_id": "t-1", "revision": 4}) == (5, {"revision": 4})


def test_a_partner_change_is_keyed_by_its_link_and_event():
    key = origin_key({"link_id": "l-1", "event_id": "e-9", "ticket_id": "p-3"})
    assert key == "l-1:e-9"
    assert key != origin_key({"link_id": "l-2", "event_id": "e-9"})
