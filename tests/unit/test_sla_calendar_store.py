"""Business calendars per account on the embedded engine: validation naming the field, account
isolation, revisions kept for the tickets already open."""
from datetime import date, datetime, timedelta, timezone

import pytest

from services.shared.errors import Conflict, NotFound, ValidationFailed
from services.tickets.sla.calendar_schemas import CalendarSchema, CalendarWriteSchema
from services.tickets.store.calendars import BusinessCalendarStore, business_calendar

OFFICE = {"name": "Moscow office", "time_zone": "Europe/Moscow",
          "week": {day: [{"start": "09:00", "end": "13:00"}, {"start": "14:00", "end": "18:00"}]
                   for day in ("monday", "tuesday", "wednesday", "thursday", "friday")}}


@pytest.fixture
def store(db):
    BusinessCalendarStore.create_indexes(db)
    return BusinessCalendarStore(db)


def fields_of(error):
    return set(error.value.fields)


def test_create_and_read_back(store):
    created = store.create("a1", dict(OFFICE, days_off=["2025-10-15"],
                                      shortened_days=[{"date": "2025-10-16"}]))
    fetched = store.get("a1", created["_id"])
    assert fetched["revision"] == 1 and fetched["production_calendar"] == "RU"
    calendar = business_calendar(fetched)
    assert calendar.local_intervals(date(2025, 10, 14)) == ((540, 780), (840, 1080))
    assert calendar.local_intervals(date(2025, 10, 15)) == ()
    assert calendar.local_intervals(date(2025, 10, 16)) == ((540, 780), (840, 1020))
    assert [c["name"] for c in store.list("a1", {"limit": 10})[0]] == ["Moscow office"]


def test_another_account_sees_nothing(store):
    created = store.create("a1", OFFICE)
    with pytest.raises(NotFound):
        store.get("a2", created["_id"])
    with pytest.raises(NotFound):
        store.replace("a2", created["_id"], OFFICE)
    with pytest.raises(NotFound):
        store.history("a2", created["_id"])
    assert store.list("a2", {"limit": 10}) == ([], None)
    store.create("a2", OFFICE)  # the same name in another account is fine


def test_names_are_unique_within_an_account(store):
    store.create("a1", OFFICE)
    with pytest.raises(Conflict) as error:
        store.create("a1", dict(OFFICE, name="MOSCOW OFFICE"))
    assert error.value.extra == {"field": "name"}


@pytest.mark.parametrize("change, field", [
    ({"time_zone": "Moscow"}, "time_zone"),
    ({"week": {"monday": [{"start": "18:00", "end": "09:00"}]}}, "week.monday.0.end"),
    ({"week": {"monday": [{"start": "9:00", "end": "18:00"}]}}, "week.monday.0.start"),
    ({"week": {"monday": [{"start": "09:00", "end": "13:00"}, {"start": "12:00", "end": "18:00"}]}},
     "week.monday"),
    ({"week": {}}, "week._schema"),
    ({"week": {"always": True, "monday": [{"start": "09:00", "end": "18:00"}]}}, "week.always"),
    ({"production_calendar": "XX"}, "production_calendar"),
    ({"days_off": ["2025-02-30"]}, "days_off.0"),
    ({"days_off": ["2025-10-15"], "working_days": [{"date": "2025-10-15"}]}, "working_days"),
    ({"shortened_days": [{"date": "2025-10-16", "minutes": 0}]}, "shortened_days.0.minutes"),
    ({"colour": "red"}, "colour"),
])
def test_bad_input_names_the_field(store, change, field):
    with pytest.raises(ValidationFailed) as error:
        store.create("a1", dict(OFFICE, **change))
    assert field in fields_of(error)
    assert store.list("a1", {"limit": 10}) == ([], None)


def test_24x7_and_a_whole_day_interval(store):
    duty = store.create("a1", dict(OFFICE, name="Duty", week={"always": True}))
    assert duty["production_calendar"] is None  # works on holidays unless told otherwise
    assert business_calendar(duty).local_intervals(date(2026, 1, 1)) == ((0, 1440),)
    strict = store.create("a1", dict(OFFICE, name="Strict duty", week={"always": True},
                                     production_calendar="RU"))
    assert business_calendar(strict).local_intervals(date(2026, 1, 1)) == ()
    until_midnight = store.create("a1", dict(OFFICE, name="Late", week={"sunday": [
        {"start": "20:00", "end": "24:00"}]}))
    assert business_calendar(until_midnight).local_intervals(date(2025, 10, 19)) == ((1200, 1440),)


def test_a_change_keeps_the_old_revision_for_open_tickets(store):
    created = store.create("a1", OFFICE)
    opened_at = datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(seconds=1)
    longer = dict(OFFICE, week={"monday": [{"start": "08:00", "end": "20:00"}]})
    changed = store.replace("a1", created["_id"], longer, expected_revision=1)
    assert changed["revision"] == 2
    history = store.history("a1", created["_id"], since=opened_at)
    assert len(history.periods) == 2
    (_, before), (since, after) = history.periods
    assert before.local_intervals(date(2025, 10, 13)) == ((540, 780), (840, 1080))
    assert after.local_intervals(date(2025, 10, 13)) == ((480, 1200),)
    # A ticket opened after the change sees only the new revision.
    assert len(store.history("a1", created["_id"], since=since.replace(tzinfo=None)).periods) == 1


def test_a_stale_edit_is_a_conflict(store):
    created = store.create("a1", OFFICE)
    store.replace("a1", created["_id"], OFFICE, expected_revision=1)
    with pytest.raises(Conflict):
        store.replace("a1", created["_id"], OFFICE, expected_revision=1)
    assert store.get("a1", created["_id"])["revision"] == 2


def test_a_revision_lost_in_a_crash_is_healed(store, db):
    created = store.create("a1", OFFICE)
    db.business_calendar_revisions.delete_many({"account_id": "a1"})  # as if the process died
    store.replace("a1", created["_id"], OFFICE)
    revisions = sorted(r["revision"] for r in db.business_calendar_revisions.find({"account_id": "a1"}))
    assert revisions == [1, 2]


def test_what_is_read_can_be_written_back(store):
    created = store.create("a1", dict(OFFICE, working_days=[{"date": "2025-10-18"}],
                                      shortened_days=[{"date": "2025-10-16", "minutes": 30}]))
    shown = CalendarSchema().dump(store.get("a1", created["_id"]))
    assert shown["id"] == created["_id"] and shown["revision"] == 1
    assert shown["effective_from"].endswith("+00:00")
    editable = {k: v for k, v in shown.items() if k in CalendarWriteSchema().fields}
    assert store.replace("a1", created["_id"], editable)["working_days"] == created["working_days"]
