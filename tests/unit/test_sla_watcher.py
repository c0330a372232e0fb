"""The SLA watcher on the embedded engine: each warning and breach announced once per ticket and
target (also when two replicas race and after a restart), and the escalation rules carried out
in the same conditional update, those limited to working hours when the office opens."""
from datetime import datetime, timedelta

import pytest

from services.tickets.store import tickets as store_module
from services.tickets.store.contracts import ServiceLevelStore
from services.tickets.store.people import GroupStore
from services.tickets.store.sla_sources import SlaSources
from services.tickets.store.sla_watcher import SlaWatcher
from services.tickets.store.tickets import TicketStore
from tests.unit.test_ticket_store import Clock, employee, ticket_input

TARGETS = {"low": {"reaction_minutes": 120, "resolution_minutes": 960},
           "normal": {"reaction_minutes": 60, "resolution_minutes": 480},
           "high": {"reaction_minutes": 30, "resolution_minutes": 240},
           "critical": {"reaction_minutes": 15, "resolution_minutes": 120}}
# Friday 07.11.2025, 17:00 in Moscow: the built-in calendar closes at 18:00.
FRIDAY_5PM = datetime(2025, 11, 7, 14, 0)
MONDAY_9AM = datetime(2025, 11, 10, 6, 0)


@pytest.fixture
def clock(monkeypatch):
    fake = Clock(start=FRIDAY_5PM, step=timedelta(0))
    monkeypatch.setattr(store_module, "utcnow", fake)
    return fake


def prepare(db):
    TicketStore.create_indexes(db)
    SlaWatcher.create_indexes(db)
    db.accounts.insert_one({"_id": "acc-1", "time_zone": "Europe/Moscow", "settings": {},
                            "active": True})
    return ServiceLevelStore(db).create("acc-1", {"name": "Standard", "targets": TARGETS})["_id"]


@pytest.fixture
def world(db, clock):
    level = prepare(db)
    return TicketStore(db), SlaWatcher(db), level


def open_ticket(store, level, **overrides):
    data = ticket_input(**overrides)
    data["coverage"] = {"verdict": "covered", "service_level_id": level, "contract_id": "c-1"}
    return store.create(employee(), data)


def announced(store, ticket_id):
    doc = store.tickets.find_one({"_id": ticket_id})
    return [(e["type"], e["payload"]["target"]) for e in doc["outbox"]
            if e["type"].startswith("sla_")]


def test_each_milestone_is_announced_once(world):
    store, watcher, level = world
    ticket = open_ticket(store, level)
    assert watcher.scan(FRIDAY_5PM + timedelta(minutes=49)) and announced(store, ticket["_id"]) == [
        ("sla_warning", "reaction")]
    assert watcher.scan(FRIDAY_5PM + timedelta(minutes=50)) == []
    written = watcher.scan(FRIDAY_5PM + timedelta(minutes=61))
    assert [t["_id"] for t in written] == [ticket["_id"]]
    assert announced(store, ticket["_id"]) == [("sla_warning", "reaction"), ("sla_breached", "reaction")]
    breach = store.tickets.find_one({"_id": ticket["_id"]})["outbox"][-1]["payload"]
    assert breach["deadline"] == "2025-11-07T15:00:00+00:00" and breach["number"] == ticket["number"]
    assert watcher.scan(MONDAY_9AM) == []
    # Next is the resolution warning, 0.8 x 480 = 384 business minutes in: 60 on Friday, 324 on
    # Monday from 09:00, so 14:24 in Moscow.
    assert store.tickets.find_one({"_id": ticket["_id"]})["sla_next_deadline"] == datetime(2025, 11, 10, 11, 24)


def test_two_replicas_reading_the_same_ticket_announce_it_once(world, db):
    store, watcher, level = world
    ticket = open_ticket(store, level)
    SlaSources(db).set_escalation_rules("acc-1", {"rules": [
        {"target": "reaction", "milestone": "breach", "action": "notify", "recipients": ["boss"]}]})
    other = SlaWatcher(db)
    seen = store.tickets.find_one({"_id": ticket["_id"]})
    account = db.accounts.find_one({"_id": "acc-1"})
    at = FRIDAY_5PM + timedelta(hours=2)
    first = watcher.handle(account, [seen], at)
    second = other.handle(account, [seen], at)  # read before the first wrote
    assert [t["_id"] for t in first] == [ticket["_id"]] and second == []
    assert announced(store, ticket["_id"]) == [("sla_warning", "reaction"), ("sla_breached", "reaction")]
    assert db.sla_notifications.count_documents({}) == 1


def test_two_watchers_racing_over_overlapping_batches_announce_each_milestone_once(world, db):
    """Each reads its batch before either writes; the batches share half their tickets. Every
    ticket and target is announced, notified and escalated exactly once, and each watcher returns
    only the tickets it won, so both together publish every event once."""
    store, watcher, level = world
    group = GroupStore(db).create("acc-1", {"name": "Duty", "member_ids": []})["_id"]
    SlaSources(db).set_escalation_rules("acc-1", {"rules": [
        {"target": "reaction", "milestone": "breach", "action": "notify", "recipients": ["boss"]},
        {"target": "reaction", "milestone": "warning", "action": "raise_priority"},
        {"target": "resolution", "milestone": "breach", "action": "reassign", "group_id": group}]})
    ids = [open_ticket(store, level)["_id"] for _ in range(8)]
    account = db.accounts.find_one({"_id": "acc-1"})
    at = FRIDAY_5PM + timedelta(days=7)  # everything of every ticket is past due
    other = SlaWatcher(db)
    read = {t["_id"]: t for t in watcher.due(account, at)}
    read_by_other = {t["_id"]: t for t in other.due(account, at)}
    first = watcher.handle(account, [read[i] for i in ids[:6]], at)
    second = other.handle(account, [read_by_other[i] for i in ids[2:]], at)
    assert sorted(t["_id"] for t in first) == sorted(ids[:6])
    assert sorted(t["_id"] for t in second) == sorted(ids[6:])
    for ticket_id in ids:
        assert sorted(announced(store, ticket_id)) == sorted(
            (kind, target) for kind in ("sla_warning", "sla_breached")
            for target in ("reaction", "resolution"))
        after = store.tickets.find_one({"_id": ticket_id})
        assert (after["priority"], after["assignee_group_id"]) == ("high", group)
        assert [h["field"] for h in after["history"] if h["actor"]["kind"] == "system"] == [
            "priority", "assignee_group_id"]
    assert sorted(n["ticket_id"] for n in db.sla_notifications.find()) == sorted(ids)
    assert watcher.scan(at) == [] and other.scan(at) == []


def test_nothing_is_announced_again_after_a_restart(files, clock):
    db = files.open()
    level = prepare(db)
    ticket = open_ticket(TicketStore(db), level)
    SlaWatcher(db).scan(FRIDAY_5PM + timedelta(hours=3))
    db = files.reopen(db)
    assert SlaWatcher(db).scan(FRIDAY_5PM + timedelta(hours=3, minutes=5)) == []
    assert len(announced(TicketStore(db), ticket["_id"])) == 2


def test_escalation_raises_priority_with_new_targets_and_reassigns(world, db):
    store, watcher, level = world
    group = GroupStore(db).create("acc-1", {"name": "Duty", "member_ids": []})["_id"]
    SlaSources(db).set_escalation_rules("acc-1", {"rules": [
        {"target": "reaction", "milestone": "warning", "action": "raise_priority"},
        {"target": "reaction", "milestone": "warning", "action": "reassign", "group_id": group}]})
    ticket = open_ticket(store, level, assignee_id="emp-7")
    watcher.scan(FRIDAY_5PM + timedelta(minutes=50))
    after = store.tickets.find_one({"_id": ticket["_id"]})
    assert (after["priority"], after["assignee_group_id"], after["assignee_id"]) == ("high", group, None)
    assert after["sla"]["targets"]["reaction"]["minutes"] == 30
    assert [h["field"] for h in after["history"] if h["actor"]["kind"] == "system"] == [
        "priority", "assignee_group_id"]
    # 50 minutes spent of the new 30: the breach is due at once and comes with the next scan.
    watcher.scan(FRIDAY_5PM + timedelta(minutes=51))
    assert announced(store, ticket["_id"])[-1] == ("sla_breached", "reaction")


def test_a_working_hours_rule_waits_for_the_office_to_open(world, db):
    store, watcher, level = world
    SlaSources(db).set_escalation_rules("acc-1", {"rules": [
        {"target": "reaction", "milestone": "breach", "action": "notify", "working_hours_only": True},
        {"target": "reaction", "milestone": "breach", "action": "notify", "recipients": ["duty"]}]})
    ticket = open_ticket(store, level, assignee_id="emp-7")
    # The reaction deadline is 18:00 Friday, closing time: announced then, the office told Monday.
    watcher.scan(FRIDAY_5PM + timedelta(hours=1, minutes=5))
    assert [n["recipients"] for n in db.sla_notifications.find()] == [["duty"]]
    waiting = store.tickets.find_one({"_id": ticket["_id"]})
    assert waiting["sla_next_deadline"] == MONDAY_9AM
    assert watcher.scan(MONDAY_9AM - timedelta(minutes=1)) == []
    watcher.scan(MONDAY_9AM)
    assert sorted(n["recipients"] for n in db.sla_notifications.find()) == [["duty"], ["emp-7"]]
    assert store.tickets.find_one({"_id": ticket["_id"]})["sla"]["escalations"] == []


def test_a_paused_ticket_is_not_due(world, clock):
    store, watcher, level = world
    ticket = open_ticket(store, level)
    clock.now = FRIDAY_5PM + timedelta(minutes=10)
    store.change_status(employee(), ticket["_id"], "waiting")
    assert watcher.scan(FRIDAY_5PM + timedelta(days=3)) == []
