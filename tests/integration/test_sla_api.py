"""The SLA through the gateway: deadlines, remaining time and state per target on every ticket,
lists filtered and sorted by them, business calendars for admins, escalation rules and the SLA
report, each confined to its account and (for contacts) to their company."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from tests.integration.world import PASSWORD, login, sla_notices

TARGETS = {p: {"reaction_minutes": r, "resolution_minutes": r * 8}
           for p, r in (("low", 480), ("normal", 240), ("high", 60), ("critical", 30))}
ROUND_THE_CLOCK = {"name": "Дежурная смена", "time_zone": "Europe/Moscow", "week": {"always": True}}


def made(answer):
    assert answer.status_code == 201, answer.text
    return answer.json()


def instant(text):
    return datetime.fromisoformat(text)


@pytest.fixture(scope="module")
def desk(suite):
    """An account on a 24x7 calendar (so a deadline is its creation plus the target), a client
    under a paid contract, a dispatcher, an agent and a contact with company access."""
    slug = f"sla-{uuid.uuid4().hex[:6]}"
    admin = suite.admin(slug)
    calendar = made(admin.post("/api/v1/calendars", json=ROUND_THE_CLOCK))
    client = made(admin.post("/api/v1/clients", json={"name": "ТЦ Радуга"}))
    other_client = made(admin.post("/api/v1/clients", json={"name": "Склад Восток"}))
    level = made(admin.post("/api/v1/service-levels", json={
        "name": "Золото", "targets": TARGETS, "monthly_price": {"amount": "45000"}}))
    contract = made(admin.post("/api/v1/contracts", json={
        "number": "СО-1", "client_id": client["id"], "service_level_id": level["id"],
        "valid_from": "2025-01-01", "payment": {"state": "paid"}}))
    people = {}
    for role in ("dispatcher", "agent"):
        email = f"{role}-{uuid.uuid4().hex[:6]}@{slug}.example"
        admin.create_employee(role, email=email, password=PASSWORD)
        people[role] = login(suite.url, slug, email, PASSWORD)
    email = f"contact-{uuid.uuid4().hex[:6]}@{slug}.example"
    made(admin.post(f"/api/v1/clients/{client['id']}/contacts", json={
        "name": "Иван", "emails": [email], "portal_access": "company", "password": PASSWORD}))
    people["contact"] = login(suite.url, slug, email, PASSWORD)
    return {"admin": admin, "calendar": calendar, "client": client, "other_client": other_client,
            "level": level, "contract": contract, "people": people}


def test_a_covered_ticket_shows_its_deadlines_remaining_time_and_states(desk):
    ticket = desk["admin"].create_ticket(client_id=desk["client"]["id"], priority="high")
    sla = ticket["sla"]
    assert (sla["service_level_id"], sla["calendar_id"]) == (desk["level"]["id"], desk["calendar"]["id"])
    created = instant(ticket["created_at"])
    reaction, resolution = sla["targets"]["reaction"], sla["targets"]["resolution"]
    assert instant(reaction["deadline"]) == created + timedelta(minutes=60)
    assert instant(resolution["deadline"]) == created + timedelta(minutes=480)
    assert instant(reaction["warning_at"]) == created + timedelta(minutes=48)
    assert reaction["state"] == resolution["state"] == "running"
    assert 59 <= reaction["remaining_minutes"] <= 60 and reaction["met_at"] is None
    shown = desk["admin"].get(f"/api/v1/tickets/{ticket['id']}").json()["sla"]
    assert shown["targets"]["resolution"]["deadline"] == resolution["deadline"]


def test_a_ticket_without_a_contract_has_no_sla(desk):
    ticket = desk["admin"].create_ticket(client_id=desk["other_client"]["id"])
    assert ticket["sla"] is None


def test_waiting_pauses_and_an_employees_move_to_in_progress_meets_the_reaction(desk):
    admin = desk["admin"]
    ticket = admin.create_ticket(client_id=desk["client"]["id"])
    waiting = admin.post(f"/api/v1/tickets/{ticket['id']}/status", json={"status": "waiting"}).json()
    assert waiting["sla"]["paused"] is True
    assert {t["state"] for t in waiting["sla"]["targets"].values()} == {"paused"}
    assert waiting["sla"]["targets"]["reaction"]["deadline"] is None
    working = admin.post(f"/api/v1/tickets/{ticket['id']}/status", json={"status": "in_progress"}).json()
    reaction = working["sla"]["targets"]["reaction"]
    assert reaction["state"] == "met" and reaction["met_in_time"] is True
    assert working["sla"]["targets"]["resolution"]["state"] == "running"
    # The deadline moved by the pause: never earlier than the creation plus the target.
    resolution = instant(working["sla"]["targets"]["resolution"]["deadline"])
    assert resolution >= instant(ticket["created_at"]) + timedelta(minutes=1920)


def test_raising_the_priority_recomputes_the_targets(desk):
    admin = desk["admin"]
    ticket = admin.create_ticket(client_id=desk["client"]["id"], priority="low")
    raised = admin.patch(f"/api/v1/tickets/{ticket['id']}", json={"priority": "critical"}).json()
    assert raised["sla"]["targets"]["reaction"]["minutes"] == 30
    assert instant(raised["sla"]["targets"]["reaction"]["deadline"]) == (
        instant(ticket["created_at"]) + timedelta(minutes=30))


def test_lists_filter_by_sla_state_and_sort_by_the_next_deadline(desk):
    admin = desk["admin"]
    slow = admin.create_ticket(client_id=desk["client"]["id"], priority="low", title="Медленная")
    fast = admin.create_ticket(client_id=desk["client"]["id"], priority="critical", title="Срочная")
    done = admin.create_ticket(client_id=desk["client"]["id"], title="Отвеченная")
    admin.post(f"/api/v1/tickets/{done['id']}/comments", json={"body": "Выезжаем", "visibility": "public"})
    ordered = admin.get("/api/v1/tickets", params={"sort": "sla_deadline", "limit": 100}).json()["items"]
    ids = [t["id"] for t in ordered]
    assert ids.index(fast["id"]) < ids.index(slow["id"])
    deadlines = [min(x["deadline"] for x in t["sla"]["targets"].values()
                     if x["met_at"] is None and x["deadline"]) for t in ordered
                 if t["sla"] and any(x["met_at"] is None and x["deadline"] for x in t["sla"]["targets"].values())]
    assert [instant(d) for d in deadlines] == sorted(instant(d) for d in deadlines)
    met = admin.get("/api/v1/tickets", params={"sla_state": "met", "sla_target": "reaction"}).json()["items"]
    assert done["id"] in {t["id"] for t in met} and fast["id"] not in {t["id"] for t in met}
    running = admin.get("/api/v1/tickets", params={"sla_state": ["running", "warning"]}).json()["items"]
    assert {fast["id"], slow["id"]} <= {t["id"] for t in running}
    page = admin.get("/api/v1/tickets", params={"sort": "sla_deadline", "limit": 2}).json()
    following = admin.get("/api/v1/tickets", params={"sort": "sla_deadline", "limit": 100,
                                                      "cursor": page["next_cursor"]}).json()["items"]
    assert [t["id"] for t in page["items"] + following] == ids
    bad = admin.get("/api/v1/tickets", params={"sla_state": "late"})
    assert bad.status_code == 422 and [e["field"] for e in bad.json()["errors"]] == ["sla_state.0"]


def test_calendars_for_admins_with_field_named_errors(desk):
    admin = desk["admin"]
    broken = admin.post("/api/v1/calendars", json={
        "name": "Сломанный", "time_zone": "Europe/Moscow",
        "week": {"monday": [{"start": "18:00", "end": "09:00"}]}})
    assert broken.status_code == 422
    assert [e["field"] for e in broken.json()["errors"]] == ["week.monday.0.end"]
    unknown = admin.post("/api/v1/calendars", json=dict(ROUND_THE_CLOCK, name="X", colour="red"))
    assert unknown.status_code == 422 and [e["field"] for e in unknown.json()["errors"]] == ["colour"]
    zone = admin.post("/api/v1/calendars", json=dict(ROUND_THE_CLOCK, name="Y", time_zone="Mars/Base"))
    assert [e["field"] for e in zone.json()["errors"]] == ["time_zone"]
    office = made(admin.post("/api/v1/calendars", json={
        "name": "Офис", "time_zone": "Asia/Vladivostok",
        "week": {"monday": [{"start": "09:00", "end": "18:00"}]}, "days_off": ["2026-12-31"]}))
    changed = admin.patch(f"/api/v1/calendars/{office['id']}", json={
        "name": "Офис", "time_zone": "Asia/Vladivostok",
        "week": {"monday": [{"start": "08:00", "end": "18:00"}]}}).json()
    assert changed["revision"] == 2 and changed["week"]["monday"] == [{"start": "08:00", "end": "18:00"}]
    assert {c["name"] for c in admin.get("/api/v1/calendars", params={"limit": 100}).json()["items"]} >= {"Офис", "Дежурная смена"}
    assert desk["people"]["dispatcher"].get(f"/api/v1/calendars/{office['id']}").status_code == 200
    assert desk["people"]["dispatcher"].post("/api/v1/calendars", json=dict(
        ROUND_THE_CLOCK, name="Z")).status_code == 403


def test_escalation_rules_are_validated_and_kept(desk, north):
    admin = desk["admin"]
    foreign = admin.put("/api/v1/sla/escalation-rules", json={"rules": [
        {"target": "resolution", "milestone": "breach", "action": "reassign",
         "group_id": north.ids["group"]}]})
    assert foreign.status_code == 422
    assert [e["field"] for e in foreign.json()["errors"]] == ["rules.0.group_id"]
    rules = {"rules": [{"target": "reaction", "milestone": "warning", "action": "notify",
                        "working_hours_only": True, "group_id": None, "recipients": []}]}
    assert admin.put("/api/v1/sla/escalation-rules", json=rules).json() == rules
    assert admin.get("/api/v1/sla/escalation-rules").json() == rules
    assert desk["people"]["agent"].put("/api/v1/sla/escalation-rules", json=rules).status_code == 403


def test_the_report_adds_up_to_the_tickets_behind_it(desk):
    admin = desk["admin"]
    now = datetime.now(timezone.utc)
    period = {"created_from": (now - timedelta(hours=1)).isoformat(),
              "created_to": (now + timedelta(hours=1)).isoformat()}
    ticket = admin.create_ticket(client_id=desk["client"]["id"], title="Для отчёта")
    admin.post(f"/api/v1/tickets/{ticket['id']}/status", json={"status": "resolved"})
    found = desk["people"]["dispatcher"].get("/api/v1/sla/report", params=period)
    assert found.status_code == 200, found.text
    report = found.json()
    with_sla = [t for t in admin.get("/api/v1/tickets", params={"limit": 100}).json()["items"] if t["sla"]]
    assert report["total"]["tickets"] == len(with_sla)
    for grouping in ("by_client", "by_service_level", "by_assignee", "by_group"):
        assert sum(row["tickets"] for row in report[grouping]) == len(with_sla)
    assert report["by_client"] == [dict(report["total"], key=desk["client"]["id"])]
    assert report["total"]["resolution"]["met"] >= 1
    assert report["business_minutes"]["resolution"]["count"] == report["total"]["resolution"]["met"]
    assert desk["people"]["agent"].get("/api/v1/sla/report", params=period).status_code == 403
    backwards = admin.get("/api/v1/sla/report", params={"created_from": period["created_to"],
                                                         "created_to": period["created_from"]})
    assert [e["field"] for e in backwards.json()["errors"]] == ["created_to"]


def test_another_account_sees_none_of_it(desk, globex):
    calendar = desk["calendar"]["id"]
    assert globex.get(f"/api/v1/calendars/{calendar}").status_code == 404
    assert globex.patch(f"/api/v1/calendars/{calendar}", json=ROUND_THE_CLOCK).status_code == 404
    assert calendar not in {c["id"] for c in globex.get("/api/v1/calendars", params={"limit": 100}).json()["items"]}
    now = datetime.now(timezone.utc)
    report = globex.get("/api/v1/sla/report", params={
        "created_from": (now - timedelta(days=1)).isoformat(),
        "created_to": (now + timedelta(days=1)).isoformat()}).json()
    keys = {row["key"] for name in ("by_client", "by_service_level") for row in report[name]}
    assert not keys & {desk["client"]["id"], desk["level"]["id"]}
    assert globex.get("/api/v1/sla/escalation-rules").json() == {"rules": []}


def test_a_contact_sees_the_sla_of_their_companys_tickets_only(desk):
    contact = desk["people"]["contact"]
    mine = contact.create_ticket(title="Не открывается шлагбаум")
    assert mine["sla"]["targets"]["reaction"]["state"] == "running"
    listed = contact.get("/api/v1/tickets", params={"limit": 100}).json()["items"]
    assert listed and {t["client_id"] for t in listed} == {desk["client"]["id"]}
    assert all(t["sla"] is not None for t in listed)
    other = desk["admin"].create_ticket(client_id=desk["other_client"]["id"], title="Чужая")
    assert contact.get(f"/api/v1/tickets/{other['id']}").status_code == 404
    assert other["id"] not in {t["id"] for t in contact.get(
        "/api/v1/tickets", params={"sla_state": ["running", "paused", "met", "warning", "breached"]}
    ).json()["items"]}
    for path in ("/api/v1/calendars", f"/api/v1/calendars/{desk['calendar']['id']}",
                 "/api/v1/sla/escalation-rules"):
        assert contact.get(path).status_code == 403
    now = datetime.now(timezone.utc).isoformat()
    assert contact.get("/api/v1/sla/report", params={"created_from": "2026-01-01T00:00:00+00:00",
                                                     "created_to": now}).status_code == 403


def test_a_new_service_level_on_the_contract_retargets_its_open_tickets(desk):
    """Last in this module: it changes the desk's contract."""
    admin = desk["admin"]
    ticket = admin.create_ticket(client_id=desk["client"]["id"])
    platinum = made(admin.post("/api/v1/service-levels", json={
        "name": "Платина", "monthly_price": {"amount": "90000"},
        "targets": {p: {"reaction_minutes": 15, "resolution_minutes": 60} for p in TARGETS}}))
    moved = admin.patch(f"/api/v1/contracts/{desk['contract']['id']}",
                        json={"service_level_id": platinum["id"]})
    assert moved.status_code == 200, moved.text
    sla = admin.get(f"/api/v1/tickets/{ticket['id']}").json()["sla"]
    assert sla["service_level_id"] == platinum["id"]
    assert instant(sla["targets"]["reaction"]["deadline"]) == instant(ticket["created_at"]) + timedelta(minutes=15)


def test_a_clients_own_targets_win_over_the_level_for_its_open_tickets(desk):
    """After the contract test: changes the desk's client."""
    admin = desk["admin"]
    ticket = admin.create_ticket(client_id=desk["client"]["id"], priority="normal")
    own = {"normal": {"reaction_minutes": 45, "resolution_minutes": 300}}
    changed = admin.patch(f"/api/v1/clients/{desk['client']['id']}",
                        json={"name": desk["client"]["name"], "sla_targets": own})
    assert changed.status_code == 200 and changed.json()["sla_targets"] == own
    sla = admin.get(f"/api/v1/tickets/{ticket['id']}").json()["sla"]
    assert sla["targets"]["reaction"]["minutes"] == 45
    assert instant(sla["targets"]["resolution"]["deadline"]) == instant(ticket["created_at"]) + timedelta(minutes=300)
    broken = admin.patch(f"/api/v1/clients/{desk['client']['id']}", json={
        "name": "X", "sla_targets": {"urgent": {"reaction_minutes": 1, "resolution_minutes": 2}}})
    assert broken.status_code == 422


def test_sla_notices_for_employees_filtered_and_paged(north):
    """The notices of the `notify` escalation (north has a rule on the reaction warning and a
    client on one-minute targets): every employee reads them, contacts never."""
    first = north.admin.get(f"/api/v1/sla/notifications/{north.ids['sla_notification']}").json()
    assert (first["ticket_id"], first["kind"], first["target"], first["recipients"]) == (
        north.ids["sla_ticket"], "sla_warning", "reaction", [north.ids["agent"]])
    second = north.admin.create_ticket(title="Ещё заявка на минуту", client_id=north.ids["sla_client"])
    later = sla_notices(north.admin, second["id"])[0]
    # north's other tickets run on the same 24x7 calendar and rule, so their notices come and go
    # in the same lists: what is checked is where these two stand among them.
    ours = (later["id"], first["id"])

    def among(listed):
        return [notice_id for notice_id in listed if notice_id in ours]

    for role in ("agent", "field_engineer", "dispatcher"):
        listed = north.people[role].get("/api/v1/sla/notifications", params={"limit": 100}).json()
        assert among(n["id"] for n in listed["items"]) == [later["id"], first["id"]]  # newest first
    for contact in ("client_a_company", "client_a_own"):
        assert north.people[contact].get("/api/v1/sla/notifications").status_code == 403
        assert north.people[contact].get(
            f"/api/v1/sla/notifications/{first['id']}").status_code == 403
    paged, cursor = [], None
    while len(among(paged)) < 2:
        params = {"limit": 1, **({"cursor": cursor} if cursor else {})}
        page = north.admin.get("/api/v1/sla/notifications", params=params).json()
        assert len(page["items"]) == 1
        paged.append(page["items"][0]["id"])
        cursor = page["next_cursor"]
        assert cursor or len(among(paged)) == 2, "the pages ended before both notices"
    assert among(paged) == [later["id"], first["id"]] and len(set(paged)) == len(paged)

    def ids(**query):
        answer = north.admin.get("/api/v1/sla/notifications", params=dict(query, limit=100))
        assert answer.status_code == 200, answer.text
        return [n["id"] for n in answer.json()["items"]]

    assert ids(ticket_id=north.ids["sla_ticket"]) == [first["id"]]
    assert among(ids(target="reaction", kind="sla_warning")) == [later["id"], first["id"]]
    assert ids(target="resolution") == [] and ids(kind="sla_breached") == []
    assert among(ids(created_from=later["created_at"])) == [later["id"]]
    assert among(ids(created_to=later["created_at"])) == [first["id"]]
    for query, field in (({"kind": "sla_breach"}, "kind"), ({"target": "lunch"}, "target"),
                         ({"limit": 0}, "limit"), ({"created_from": later["created_at"],
                                                    "created_to": first["created_at"]}, "created_to")):
        answer = north.admin.get("/api/v1/sla/notifications", params=query)
        assert answer.status_code == 422 and [e["field"] for e in answer.json()["errors"]] == [field]


def test_sla_settings_are_checked_when_an_admin_edits_them(desk, globex):
    admin = desk["admin"]
    before = admin.get("/api/v1/account").json()["settings"]
    theirs = made(globex.post("/api/v1/calendars", json=ROUND_THE_CLOCK))["id"]
    for settings, field in (({"sla_warning_share": 1}, "sla_warning_share"),
                            ({"sla_warning_share": "0.8"}, "sla_warning_share"),
                            ({"sla_pausing_statuses": ["closed"]}, "sla_pausing_statuses"),
                            ({"sla_pausing_statuses": ["lunch"]}, "sla_pausing_statuses"),
                            ({"sla_calendar_id": theirs}, "sla_calendar_id"),
                            ({"sla_warning_shar": 0.5}, "sla_warning_shar")):
        answer = admin.patch("/api/v1/account", json={"settings": settings})
        assert answer.status_code == 422, answer.text
        assert [e["field"] for e in answer.json()["errors"]] == [f"settings.{field}"]
    assert admin.get("/api/v1/account").json()["settings"] == before
    good = {"sla_calendar_id": desk["calendar"]["id"], "sla_pausing_statuses": ["waiting"],
            "sla_warning_share": 0.8}
    answer = admin.patch("/api/v1/account", json={"settings": good})
    assert answer.status_code == 200 and answer.json()["settings"] == good


@pytest.mark.parametrize("time_zone, midnight", [("Asia/Vladivostok", "T14:00:00+00:00"),
                                                 ("Europe/Kaliningrad", "T22:00:00+00:00")])
def test_the_report_takes_plain_dates_in_the_accounts_time_zone(suite, time_zone, midnight):
    admin = suite.admin(f"zone-{uuid.uuid4().hex[:6]}")
    assert admin.patch("/api/v1/account", json={"time_zone": time_zone}).status_code == 200
    report = admin.get("/api/v1/sla/report", params={"created_from": "2026-12-01",
                                                     "created_to": "2026-12-08"})
    assert report.status_code == 200, report.text
    assert (report.json()["created_from"], report.json()["created_to"]) == (
        "2026-11-30" + midnight, "2026-12-07" + midnight)
    mixed = admin.get("/api/v1/sla/report", params={"created_from": "2026-12-01",
                                                    "created_to": "2026-12-02T00:00:00+00:00"})
    assert mixed.json()["created_from"] == "2026-11-30" + midnight
    for bad in ("2026-13-01", "01.12.2026"):
        refused = admin.get("/api/v1/sla/report", params={"created_from": bad,
                                                          "created_to": "2026-12-08"})
        assert [e["field"] for e in refused.json()["errors"]] == ["created_from"]
