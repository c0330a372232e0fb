"""Paid works keep an exact total: a change computed from stale lines is refused, and the first
work on a ticket (no revision yet, as on old tickets) goes through."""
import pytest

from services.shared.actor import Actor
from services.shared.errors import Conflict
from services.tickets.contracts import pricing
from services.tickets.store.tickets import TicketStore

ACTOR = Actor(account_id="acc", kind="employee", id="e1", roles=("admin",))
ITEM = {"_id": "p1", "code": "CALL", "name": "Выезд", "unit": "выезд",
        "price": {"amount": "3000.00", "currency": "RUB"}}


@pytest.fixture
def store(db):
    TicketStore.create_indexes(db)
    return TicketStore(db)


def add(store, ticket, quantity):
    line = pricing.work_line(ITEM, quantity, ITEM["price"], "e1", "")
    return store.add_work(ACTOR, ticket, line, pricing.total(ticket.get("works", []) + [line]))


def test_totals_follow_and_a_stale_read_is_refused(store):
    ticket = store.create(ACTOR, {"title": "x", "description": "", "priority": "normal",
                                  "channel": "api", "type": "incident"})
    store.tickets.update_one({"_id": ticket["_id"]}, {"$unset": {"works": "", "works_rev": ""}})
    stale = store.get(ACTOR, ticket["_id"])
    first = add(store, stale, "1")
    assert first["works_total"] == {"amount": "3000.00", "currency": "RUB"}
    with pytest.raises(Conflict):
        add(store, stale, "2")            # computed from the lines before the first work
    second = add(store, first, "0.5")
    assert second["works_total"] == {"amount": "4500.00", "currency": "RUB"}
    assert len(second["works"]) == 2
