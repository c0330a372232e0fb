"""Which calendar a ticket's SLA runs on: the site's, else the client's, else the service level's,
else the account's; deadlines computed in each calendar's own time zone (issue 23, point 11)."""
from datetime import datetime, timedelta

import pytest

from services.tickets.sla.calendar_choice import PRECEDENCE, chosen_calendar
from services.tickets.store import tickets as store_module
from services.tickets.store.calendars import BusinessCalendarStore
from services.tickets.store.contracts import ServiceLevelStore
from services.tickets.store.tickets import TicketStore
from tests.unit.test_ticket_store import Clock, employee, ticket_input

TARGETS = {p: {"reaction_minutes": 60, "resolution_minutes": 480}
           for p in ("low", "normal", "high", "critical")}
WEEKDAYS_9_TO_6 = {day: [{"start": "09:00", "end": "18:00"}]
                   for day in ("monday", "tuesday", "wednesday", "thursday", "friday")}
# Monday 07.12.2026, 16:00 UTC: 19:00 in Moscow (closed), 02:00 on Tuesday in Vladivostok (closed).
MONDAY_EVENING = datetime(2026, 12, 7, 16, 0)


def test_the_most_specific_place_wins():
    everything = {"site": "s", "client": "c", "service_level": "l", "account": "a"}
    assert PRECEDENCE == ("site", "client", "service_level", "account")
    assert chosen_calendar(everything, lambda _: True) == ("s", "site")
    assert chosen_calendar(dict(everything, site=None), lambda _: True) == ("c", "client")
    assert chosen_calendar({"service_level": "l", "account": "a"}, lambda _: True) == (
        "l", "service_level")
    assert chosen_calendar({"account": "a"}, lambda _: True) == ("a", "account")
    assert chosen_calendar({}, lambda _: True) == (None, None)


def test_a_calendar_that_is_not_the_accounts_is_passed_over():
    named = {"site": "elsewhere", "client": "ours"}
    assert chosen_calendar(named, lambda calendar_id: calendar_id == "ours") == ("ours", "client")


@pytest.fixture
def desk(db, monkeypatch):
    monkeypatch.setattr(store_module, "utcnow", Clock(start=MONDAY_EVENING, step=timedelta(0)))
    TicketStore.create_indexes(db)
    BusinessCalendarStore.create_indexes(db)
    calendars = BusinessCalendarStore(db)
    made = {name: calendars.create("acc-1", dict(body, name=name))["_id"] for name, body in (
        ("vladivostok", {"time_zone": "Asia/Vladivostok", "week": WEEKDAYS_9_TO_6,
                         "production_calendar": None}),
        ("moscow", {"time_zone": "Europe/Moscow", "week": WEEKDAYS_9_TO_6,
                    "production_calendar": None}),
        ("always", {"time_zone": "Europe/Moscow", "week": {"always": True}}))}
    db.accounts.insert_one({"_id": "acc-1", "time_zone": "Europe/Moscow", "active": True,
                            "settings": {"sla_calendar_id": made["moscow"]}})
    levels = ServiceLevelStore(db)
    premium = levels.create("acc-1", {"name": "Премиум 24/7", "targets": TARGETS,
                                      "calendar_id": made["always"]})["_id"]
    standard = levels.create("acc-1", {"name": "Стандарт", "targets": TARGETS})["_id"]
    db.clients.insert_many([
        {"_id": "far-east", "account_id": "acc-1", "name": "Восток", "calendar_id": made["moscow"]},
        {"_id": "plain", "account_id": "acc-1", "name": "Простой"}])
    db.sites.insert_many([
        {"_id": "port", "account_id": "acc-1", "client_id": "far-east", "name": "Порт",
         "calendar_id": made["vladivostok"]},
        {"_id": "office", "account_id": "acc-1", "client_id": "far-east", "name": "Офис"},
        {"_id": "stray", "account_id": "acc-1", "client_id": "plain", "name": "Склад",
         "calendar_id": "not-a-calendar-of-this-account"}])
    return TicketStore(db), made, {"premium": premium, "standard": standard}


def reaction_deadline(desk, level, **refs):
    store, _, levels = desk
    data = ticket_input(**refs)
    data["coverage"] = {"verdict": "covered", "service_level_id": levels[level], "contract_id": "c"}
    ticket = store.create(employee(), data)
    stored = store.tickets.find_one({"_id": ticket["_id"]})["sla"]
    return stored["calendar_id"], stored["due"]["reaction"]["deadline"]


def test_a_site_in_vladivostok_runs_on_its_own_calendar_even_under_a_24_7_level(desk):
    # Opens Tuesday 09:00 in Vladivostok (UTC+10) = Monday 23:00 UTC; one hour later.
    assert reaction_deadline(desk, "premium", client_id="far-east", site_id="port") == (
        desk[1]["vladivostok"], datetime(2026, 12, 8, 0, 0))


def test_a_site_without_one_runs_on_its_clients(desk):
    # Opens Tuesday 09:00 in Moscow (UTC+3) = 06:00 UTC.
    assert reaction_deadline(desk, "premium", client_id="far-east", site_id="office") == (
        desk[1]["moscow"], datetime(2026, 12, 8, 7, 0))


def test_a_client_without_one_runs_on_its_service_levels(desk):
    # Round the clock: an hour after the ticket came in, at 20:00 in Moscow.
    assert reaction_deadline(desk, "premium", client_id="plain") == (
        desk[1]["always"], datetime(2026, 12, 7, 17, 0))
    # A site naming a calendar that is not the account's is passed over.
    assert reaction_deadline(desk, "premium", client_id="plain", site_id="stray") == (
        desk[1]["always"], datetime(2026, 12, 7, 17, 0))


def test_without_any_the_accounts_setting_decides(desk):
    assert reaction_deadline(desk, "standard", client_id="plain") == (
        desk[1]["moscow"], datetime(2026, 12, 8, 7, 0))
