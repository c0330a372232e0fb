"""Tickets end to end: HTTP through the gateway to the real tickets service on a real RabbitMQ."""
from datetime import datetime, timedelta, timezone

import pytest


def test_create_returns_the_stored_ticket(acme):
    created = acme.create_ticket(description="Карта не читается", priority="high", channel="phone",
                                 type="incident")
    assert created["status"] == "opened"
    assert created["priority"] == "high" and created["channel"] == "phone"
    assert created["allowed_transitions"] == ["in_progress", "waiting", "resolved", "closed"]
    assert datetime.fromisoformat(created["created_at"]).utcoffset() == timedelta(0)
    fetched = acme.get(f"/api/v1/tickets/{created['id']}").json()
    assert fetched == created
    by_number = acme.get(f"/api/v1/tickets/by-number/{created['number']}").json()
    assert by_number["id"] == created["id"]


def test_status_machine_and_its_history(acme):
    ticket = acme.create_ticket()
    path = f"/api/v1/tickets/{ticket['id']}/status"
    moved = acme.post(path, json={"status": "in_progress"})
    assert moved.status_code == 200 and moved.json()["status"] == "in_progress"

    refused = acme.post(path, json={"status": "reopened"})
    assert refused.status_code == 409
    problem = refused.json()
    assert refused.headers["Content-Type"].startswith("application/problem+json")
    assert problem["allowed"] == ["waiting", "resolved", "closed"]
    assert problem["current_status"] == "in_progress"

    acme.post(path, json={"status": "resolved", "comment": "Заменили считыватель"})
    closed = acme.post(path, json={"status": "closed"}).json()
    assert closed["status"] == "closed" and closed["allowed_transitions"] == ["reopened"]
    status_history = [(h["old"], h["new"]) for h in closed["history"] if h["field"] == "status"]
    assert status_history == [(None, "opened"), ("opened", "in_progress"),
                              ("in_progress", "resolved"), ("resolved", "closed")]
    assert closed["comments"][0]["body"] == "Заменили считыватель"


def test_comments_public_and_internal_with_history(acme):
    ticket = acme.create_ticket()
    path = f"/api/v1/tickets/{ticket['id']}/comments"
    public = acme.post(path, json={"body": "Выезжаем завтра"})
    internal = acme.post(path, json={"body": "Клиент должен за прошлый месяц", "visibility": "internal"})
    assert public.status_code == internal.status_code == 201
    assert public.json()["visibility"] == "public" and internal.json()["visibility"] == "internal"
    stored = acme.get(f"/api/v1/tickets/{ticket['id']}").json()
    assert [c["body"] for c in stored["comments"]] == ["Выезжаем завтра", "Клиент должен за прошлый месяц"]
    comment_history = [h for h in stored["history"] if h["field"] == "comments"]
    assert [h["new"]["visibility"] for h in comment_history] == ["public", "internal"]
    assert stored["created_by"]["kind"] == "employee"
    assert all(h["actor"] == stored["created_by"] for h in comment_history)


def test_update_records_old_and_new_values(acme):
    ticket = acme.create_ticket(priority="low")
    engineer = acme.create_employee("field_engineer")["id"]
    answer = acme.patch(f"/api/v1/tickets/{ticket['id']}",
                        json={"priority": "critical", "assignee_id": engineer, "title": ticket["title"]})
    assert answer.status_code == 200
    changes = {h["field"]: (h["old"], h["new"]) for h in answer.json()["history"] if h["field"] != "status"}
    assert changes == {"priority": ("low", "critical"), "assignee_id": (None, engineer)}


def test_list_filters_sorting_and_pagination(acme):
    marker = f"насос-{datetime.now().timestamp()}"
    e1, e2 = acme.create_employee()["id"], acme.create_employee()["id"]
    made = [acme.create_ticket(title=f"Течёт {marker} {i}", priority=p, assignee_id=a)
            for i, (p, a) in enumerate([("low", e1), ("high", e2), ("critical", e1),
                                        ("high", e1), ("normal", e2)])]
    acme.post(f"/api/v1/tickets/{made[0]['id']}/status", json={"status": "waiting"})

    def listed(**params):
        answer = acme.get("/api/v1/tickets", params={"q": marker.upper(), **params})
        assert answer.status_code == 200, answer.text
        return answer.json()

    assert len(listed()["items"]) == 5
    assert [t["id"] for t in listed(status="waiting")["items"]] == [made[0]["id"]]
    high = listed(priority=["high", "critical"], sort="number")["items"]
    assert [t["id"] for t in high] == [made[1]["id"], made[2]["id"], made[3]["id"]]
    assert {t["id"] for t in listed(assignee_id=e2)["items"]} == {made[1]["id"], made[4]["id"]}
    by_priority = listed(sort="-priority")["items"]
    assert by_priority[0]["priority"] == "critical" and by_priority[-1]["priority"] == "low"
    assert "description" not in by_priority[0] and "comments" not in by_priority[0]

    later = datetime.now(timezone.utc) + timedelta(minutes=5)
    assert listed(created_from=later.isoformat())["items"] == []
    assert len(listed(created_to=later.isoformat())["items"]) == 5

    seen, cursor = [], None
    while True:
        page = listed(limit=2, sort="number", **({"cursor": cursor} if cursor else {}))
        seen += [t["number"] for t in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [t["number"] for t in made]


@pytest.mark.parametrize("path", ["/api/v1/tickets/does-not-exist", "/api/v1/tickets/by-number/999999"])
def test_unknown_ticket_is_404(acme, path):
    answer = acme.get(path)
    assert answer.status_code == 404
    assert answer.headers["Content-Type"].startswith("application/problem+json")
