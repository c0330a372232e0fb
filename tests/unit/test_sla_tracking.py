"""The SLA clock carried by tickets in the store (embedded engine): started from the service level
x priority on the account's calendar, kept in the same updates as the ticket's changes."""
from datetime import datetime, timedelta

import pytest

from services.tickets.sla import tracking
from services.tickets.store import tickets as store_module
from services.tickets.store.calendars import BusinessCalendarStore
from services.tickets.store.contracts import ServiceLevelStore
from services.tickets.store.tickets import TicketStore
from tests.unit.test_ticket_store import Clock, changes, employee, list_query, ticket_input

# Thursday 06.03.2025 15:30 Moscow: the worked example of docs/sla.md.
OPENED = datetime(2025, 3, 6, 12, 30)
TARGETS = {"low": {"reaction_minutes": 480, "resolution_minutes": 1920},
           "normal": {"reaction_minutes": 240, "resolution_minutes": 960},
           "high": {"reaction_minutes": 60, "resolution_minutes": 480},
           "critical": {"reaction_minutes": 30, "resolution_minutes": 240}}
OFFICE = {"name": "Moscow office", "time_zone": "Europe/Moscow",
          "week": {day: [{"start": "09:00", "end": "13:00"}, {"start": "14:00", "end": "18:00"}]
                   for day in ("monday", "tuesday", "wednesday", "thursday", "friday")}}


def moscow(day, hour, minute=0):
    return datetime(2025, 3, day, hour - 3, minute)


@pytest.fixture
def clock(monkeypatch):
    fake = Clock(start=OPENED, step=timedelta(0))
    monkeypatch.setattr(store_module, "utcnow", fake)
    return fake


@pytest.fixture
def world(db, clock):
    TicketStore.create_indexes(db)
    BusinessCalendarStore.create_indexes(db)
    db.accounts.insert_one({"_id": "acc-1", "time_zone": "Europe/Moscow", "settings": {}})
    level = ServiceLevelStore(db).create("acc-1", {"name": "Standard", "targets": TARGETS})
    BusinessCalendarStore(db).create("acc-1", OFFICE)
    return TicketStore(db), level["_id"]


def covered(level_id, **overrides):
    data = ticket_input(**overrides)
    data["coverage"] = {"verdict": "covered", "service_level_id": level_id, "contract_id": "c-1"}
    return data


def deadlines(ticket):
    return {name: due["deadline"] for name, due in ticket["sla"]["due"].items()}


def test_the_clock_starts_from_the_level_and_priority_on_the_accounts_calendar(world):
    store, level = world
    ticket = store.create(employee(), covered(level))
    assert deadlines(ticket) == {"reaction": moscow(7, 10, 30), "resolution": moscow(10, 16, 30)}
    assert ticket["sla_next_deadline"] == ticket["sla"]["due"]["reaction"]["warning_at"]
    assert ticket["sla_sort_at"] == moscow(7, 10, 30)
    view = store.sla_views([ticket])[0]
    assert view["targets"]["reaction"]["state"] == "running"
    assert view["targets"]["reaction"]["remaining_minutes"] == 240


def test_a_ticket_without_a_service_level_has_no_clock(world):
    store, _ = world
    ticket = store.create(employee(), ticket_input())
    assert ticket["sla"] is None and ticket["sla_next_deadline"] is None
    assert store.sla_views([ticket]) == [None]


def test_waiting_pauses_both_clocks_and_moves_the_deadlines(world, clock):
    store, level = world
    ticket = store.create(employee(), covered(level))
    clock.now = moscow(10, 11)
    store.change_status(employee(), ticket["_id"], "waiting")
    paused = store.get(employee(), ticket["_id"])
    assert paused["sla"]["paused"] and paused["sla_next_deadline"] is None
    assert store.sla_views([paused])[0]["targets"]["resolution"]["state"] == "paused"
    clock.now = moscow(11, 10)
    resumed = store.change_status(employee(), ticket["_id"], "in_progress")
    assert resumed["sla"]["pauses"] == [{"start": moscow(10, 11), "end": moscow(11, 10),
                                         "reason": "waiting"}]
    # docs/sla.md: 690 spent before the pause, 270 remain from Tuesday 10:00.
    assert deadlines(resumed)["resolution"] == moscow(11, 15, 30)
    # Breached reaction (Friday 10:30 passed unmet), met late by the move to in_progress.
    assert resumed["sla"]["due"]["reaction"]["met_in_time"] is False


def test_a_public_reply_of_an_employee_meets_the_reaction_an_internal_note_does_not(world, clock):
    store, level = world
    ticket = store.create(employee(), covered(level))
    clock.now = moscow(6, 16)
    store.add_comment(employee(), ticket["_id"], "Проверим", "internal")
    assert store.get(employee(), ticket["_id"])["sla"]["targets"]["reaction"]["met_at"] is None
    store.add_comment(employee(), ticket["_id"], "Выезжаем", "public")
    replied = store.get(employee(), ticket["_id"])
    assert replied["sla"]["targets"]["reaction"]["met_at"] == moscow(6, 16)
    assert replied["sla"]["due"]["reaction"]["met_in_time"] is True
    assert replied["sla_sort_at"] == moscow(10, 16, 30)


def test_raising_the_priority_keeps_time_spent_and_pauses(world, clock):
    store, level = world
    ticket = store.create(employee(), covered(level))
    clock.now = moscow(7, 9)
    store.change_status(employee(), ticket["_id"], "waiting")
    clock.now = moscow(7, 10)
    store.change_status(employee(), ticket["_id"], "in_progress")
    clock.now = moscow(7, 11)
    raised = store.update(employee(), ticket["_id"], changes(priority="high"))
    assert len(raised["sla"]["pauses"]) == 1
    assert raised["sla"]["targets"]["resolution"]["minutes"] == 480
    # 150 min on Thursday, the pause 09:00-10:00 on Friday, then 330 more: 13:00 is lunch, so
    # 10:00 + 180 = 14:00 after lunch, + 150 = 16:30 Friday.
    assert deadlines(raised)["resolution"] == moscow(7, 16, 30)


def test_resolved_meets_and_reopening_resumes_without_counting_the_gap(world, clock):
    store, level = world
    ticket = store.create(employee(), covered(level))
    clock.now = moscow(7, 10)
    resolved = store.change_status(employee(), ticket["_id"], "resolved")
    assert resolved["sla"]["due"]["resolution"]["met_in_time"] is True
    assert resolved["sla_next_deadline"] is None and resolved["sla_sort_at"] == tracking.FAR_FUTURE
    clock.now = moscow(11, 10)
    reopened = store.change_status(employee(), ticket["_id"], "reopened")
    assert reopened["sla"]["pauses"][-1]["reason"] == "resolved"
    # 210 spent before resolving; 750 remain from Tuesday 10:00: 180 + 240 on Tuesday, 330 on
    # Wednesday: 09:00 + 240 = 13:00, then 90 after lunch.
    assert deadlines(reopened)["resolution"] == moscow(12, 15, 30)
    assert reopened["sla"]["targets"]["reaction"]["met_at"] == moscow(7, 10)


def test_lists_filter_by_state_and_sort_by_the_next_deadline(world, clock):
    store, level = world
    actor = employee()
    normal = store.create(actor, covered(level))
    urgent = store.create(actor, covered(level, priority="critical"))
    plain = store.create(actor, ticket_input())
    clock.now = moscow(7, 9, 10)  # 30 business minutes on: critical reaction (30) is breached
    by_deadline, _ = store.list(actor, list_query(sort="sla_deadline"))
    assert [t["_id"] for t in by_deadline] == [urgent["_id"], normal["_id"], plain["_id"]]
    breached, _ = store.list(actor, list_query(sla_state=["breached"]))
    assert [t["_id"] for t in breached] == [urgent["_id"]]
    running, _ = store.list(actor, list_query(sla_state=["running"], sla_target="reaction"))
    assert [t["_id"] for t in running] == [normal["_id"]]
    views = store.sla_views(by_deadline)
    assert [v and v["targets"]["reaction"]["state"] for v in views] == ["breached", "running", None]


def test_a_stale_write_is_retried_so_the_clock_is_never_lost(world, clock, monkeypatch):
    store, level = world
    ticket = store.create(employee(), covered(level))
    clock.now = moscow(6, 16)
    real_get, calls = store.get, []

    def get_then_someone_writes(actor, ticket_id):
        current = real_get(actor, ticket_id)
        if not calls:  # between this read and the write, another write moves the SLA on
            calls.append(1)
            store.tickets.update_one({"_id": ticket_id}, {"$inc": {"sla_rev": 1}})
        return current

    monkeypatch.setattr(store, "get", get_then_someone_writes)
    store.add_comment(employee(), ticket["_id"], "Выезжаем", "public")
    after = real_get(employee(), ticket["_id"])
    assert after["sla"]["targets"]["reaction"]["met_at"] == moscow(6, 16)
    assert len(after["comments"]) == 1 and after["sla_rev"] == 3


def test_a_contracts_new_service_level_retargets_its_open_tickets_keeping_pauses(world, db, clock):
    store, level = world
    premium = ServiceLevelStore(db).create("acc-1", {"name": "Premium", "targets": {
        p: {"reaction_minutes": 30, "resolution_minutes": 120} for p in TARGETS}})["_id"]
    ticket = store.create(employee(), covered(level))
    done = store.create(employee(), covered(level))
    clock.now = moscow(6, 16)
    store.change_status(employee(), ticket["_id"], "waiting")
    clock.now = moscow(6, 17)
    store.change_status(employee(), ticket["_id"], "in_progress")
    store.change_status(employee(), done["_id"], "resolved")
    assert store.retarget_open(employee(), {"sla.contract_id": "c-1"}, (premium, "c-1")) == 1
    moved = store.get(employee(), ticket["_id"])
    assert moved["sla"]["service_level_id"] == premium and len(moved["sla"]["pauses"]) == 1
    assert moved["sla"]["targets"]["resolution"]["minutes"] == 120
    # 30 before the pause, 60 after it on Thursday; 30 more on Friday from 09:00.
    assert deadlines(moved)["resolution"] == moscow(7, 9, 30)
    assert moved["history"][-1]["field"] == "sla.service_level_id"
    assert store.get(employee(), done["_id"])["sla"]["service_level_id"] == level
    assert store.retarget_open(employee(), {"sla.contract_id": "c-1"}, (premium, "c-1")) == 0


def test_a_clients_own_targets_win_and_a_change_of_them_reaches_open_tickets(world, db, clock):
    store, level = world
    db.clients.insert_one({"_id": "client-1", "account_id": "acc-1", "sla_targets": {
        "normal": {"reaction_minutes": 30, "resolution_minutes": 120}}})
    own = store.create(employee(), covered(level, client_id="client-1"))
    assert own["sla"]["targets"]["reaction"]["minutes"] == 30
    assert deadlines(own)["reaction"] == moscow(6, 16)
    high = store.create(employee(), covered(level, client_id="client-1", priority="high"))
    assert high["sla"]["targets"]["reaction"]["minutes"] == 60  # the level's: none of its own
    db.clients.update_one({"_id": "client-1"}, {"$set": {"sla_targets": {}}})
    assert store.retarget_open(employee(), {"client_id": "client-1"}) == 1
    assert store.get(employee(), own["_id"])["sla"]["targets"]["reaction"]["minutes"] == 240
