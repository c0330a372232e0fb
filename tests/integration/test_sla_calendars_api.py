"""Calendars per service level, client and site through the API: the ticket's clock runs on the most
specific one (docs/sla.md, "Which calendar"), each calendar in its own time zone; a calendar of
another account is refused by name (issue 23, point 11)."""
import uuid
from datetime import date, datetime, timedelta, timezone

import pytest

from tests.integration.world import made

TARGETS = {p: {"reaction_minutes": 60, "resolution_minutes": 480}
           for p in ("low", "normal", "high", "critical")}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


def instant(text):
    return datetime.fromisoformat(text)


@pytest.fixture(scope="module")
def desk(suite):
    admin = suite.admin(f"calendars-{uuid.uuid4().hex[:6]}")
    calendars = {name: made(admin.post("/api/v1/calendars", json=body)) for name, body in (
        ("vladivostok", {"name": "Владивосток", "time_zone": "Asia/Vladivostok",
                         "production_calendar": None,
                         "week": {day: [{"start": "09:00", "end": "18:00"}] for day in WEEKDAYS}}),
        ("always", {"name": "Круглосуточно", "time_zone": "Europe/Moscow", "week": {"always": True}}))}
    level = made(admin.post("/api/v1/service-levels", json={
        "name": "Премиум 24/7", "targets": TARGETS, "monthly_price": {"amount": "90000"},
        "calendar_id": calendars["always"]["id"]}))
    client = made(admin.post("/api/v1/clients", json={"name": "Дальний Восток"}))
    sites = {name: made(admin.post(f"/api/v1/clients/{client['id']}/sites", json=dict(
        {"name": name}, **extra))) for name, extra in (
            ("Порт", {"time_zone": "Asia/Vladivostok", "calendar_id": calendars["vladivostok"]["id"]}),
            ("Офис", {}))}
    made(admin.post("/api/v1/contracts", json={
        "number": f"П-{uuid.uuid4().hex[:6]}", "client_id": client["id"],
        "service_level_id": level["id"], "valid_from": (date.today() - timedelta(days=1)).isoformat()}))
    return {"admin": admin, "calendars": calendars, "level": level, "client": client, "sites": sites}


def clock_of(ticket):
    reaction = ticket["sla"]["targets"]["reaction"]
    return ticket["sla"]["calendar_id"], instant(reaction["deadline"]) - instant(ticket["created_at"])


def test_the_levels_24_7_calendar_and_the_sites_own_in_its_time_zone(desk):
    admin, calendars = desk["admin"], desk["calendars"]
    assert admin.get(f"/api/v1/service-levels/{desk['level']['id']}").json()["calendar_id"] == (
        calendars["always"]["id"])
    office = admin.create_ticket(site_id=desk["sites"]["Офис"]["id"])
    assert clock_of(office) == (calendars["always"]["id"], timedelta(hours=1))
    port = admin.create_ticket(site_id=desk["sites"]["Порт"]["id"])
    calendar_id, wait = clock_of(port)
    assert calendar_id == calendars["vladivostok"]["id"]
    deadline = instant(port["sla"]["targets"]["reaction"]["deadline"])
    local = deadline.astimezone(timezone(timedelta(hours=10)))  # Vladivostok, no DST
    # An hour of the port's working day: within 10:00-18:00 local time, on a weekday.
    assert local.weekday() < 5 and 10 <= local.hour + local.minute / 60 <= 18, local


def test_a_clients_calendar_wins_over_the_level_and_a_sites_over_both(desk):
    admin, calendars, client = desk["admin"], desk["calendars"], desk["client"]
    changed = made(admin.patch(f"/api/v1/clients/{client['id']}",
                               json={"calendar_id": calendars["vladivostok"]["id"]}), 200)
    assert changed["calendar_id"] == calendars["vladivostok"]["id"]
    try:
        office = admin.create_ticket(site_id=desk["sites"]["Офис"]["id"])
        assert office["sla"]["calendar_id"] == calendars["vladivostok"]["id"]
        # A PUT that does not name the calendar keeps it; null clears it.
        whole = {k: changed[k] for k in ("name", "legal_name", "inn", "kpp", "category",
                                         "manager_id", "notes", "sla_targets")}
        assert made(admin.put(f"/api/v1/clients/{client['id']}", json=whole), 200)[
            "calendar_id"] == calendars["vladivostok"]["id"]
    finally:
        cleared = made(admin.patch(f"/api/v1/clients/{client['id']}", json={"calendar_id": None}), 200)
    assert cleared["calendar_id"] is None


def test_a_calendar_of_another_account_or_none_at_all_is_refused_by_name(desk, globex):
    theirs = made(globex.post("/api/v1/calendars", json={
        "name": f"Чужой {uuid.uuid4().hex[:4]}", "time_zone": "Europe/Moscow", "week": {"always": True}}))
    admin, client = desk["admin"], desk["client"]
    for path, body in ((f"/api/v1/clients/{client['id']}", {"calendar_id": theirs["id"]}),
                       (f"/api/v1/clients/{client['id']}/sites/{desk['sites']['Офис']['id']}",
                        {"calendar_id": "0" * 32}),
                       (f"/api/v1/service-levels/{desk['level']['id']}", {"calendar_id": theirs["id"]})):
        answer = admin.patch(path, json=body)
        assert answer.status_code == 422, answer.text
        assert [e["field"] for e in answer.json()["errors"]] == ["calendar_id"]
    refused = admin.post("/api/v1/service-levels", json={
        "name": "Чужой календарь", "targets": TARGETS, "monthly_price": {"amount": "1"},
        "calendar_id": theirs["id"]})
    assert [e["field"] for e in refused.json()["errors"]] == ["calendar_id"]
    # Nor does the other account see this account's level, or change its calendar.
    assert globex.get(f"/api/v1/service-levels/{desk['level']['id']}").status_code == 404
    assert globex.patch(f"/api/v1/service-levels/{desk['level']['id']}",
                        json={"calendar_id": theirs["id"]}).status_code == 404
