"""Bad input gets a problem+json naming the field and the reason, and writes nothing."""
import pytest

from tests.integration.suite_process import Api


def ticket_count(api):
    return len(api.get("/api/v1/tickets", params={"limit": 100, "q": "ПРОВЕРКА-ВВОДА"}).json()["items"])


def field_reasons(answer):
    assert answer.status_code == 422, answer.text
    assert answer.headers["Content-Type"].startswith("application/problem+json")
    body = answer.json()
    assert body["status"] == 422 and body["type"].endswith("/invalid-input")
    return {e["field"]: e["reason"] for e in body["errors"]}


@pytest.mark.parametrize("body, field, reason", [
    ({}, "title", "Missing data for required field."),
    ({"title": 42}, "title", "Not a valid string."),
    ({"title": "ПРОВЕРКА-ВВОДА " + "я" * 200}, "title", "Length must be between 1 and 200."),
    ({"title": "ПРОВЕРКА-ВВОДА", "colour": "red"}, "colour", "Unknown field."),
    ({"title": "ПРОВЕРКА-ВВОДА", "priority": "urgent"}, "priority", "Must be one of: low, normal, high, critical."),
    ({"title": "ПРОВЕРКА-ВВОДА", "description": "x" * 20001}, "description", "Longer than maximum length 20000."),
    ({"title": "   "}, "title", "Must not be blank."),
])
def test_create_rejects_bad_fields_and_writes_nothing(suite, acme, body, field, reason):
    before = ticket_count(acme)
    english = Api(suite.url, acme.token, language="en")
    assert field_reasons(english.post("/api/v1/tickets", json=body))[field] == reason
    assert ticket_count(acme) == before


@pytest.mark.parametrize("body, field, reason", [
    ({}, "title", "Обязательное поле."),
    ({"title": "ПРОВЕРКА-ВВОДА " + "я" * 200}, "title", "Длина должна быть от 1 до 200 символов."),
    ({"title": "ПРОВЕРКА-ВВОДА", "colour": "red"}, "colour", "Неизвестное поле."),
    ({"title": "ПРОВЕРКА-ВВОДА", "priority": "urgent"}, "priority",
     "Допустимые значения: low, normal, high, critical."),
    ({"title": "   "}, "title", "Не может быть пустым."),
    ({"title": "ПРОВЕРКА-ВВОДА", "assignee_group_id": "g-404"}, "assignee_group_id",
     "Нет такой группы в организации."),
])
def test_field_reasons_speak_russian_by_default(acme, body, field, reason):
    assert field_reasons(acme.post("/api/v1/tickets", json=body))[field] == reason


@pytest.mark.parametrize("suffix, body, field", [
    ("status", {"status": "done"}, "status"),
    ("status", {"status": "resolved", "by": "me"}, "by"),
    ("comments", {"body": ""}, "body"),
    ("comments", {"body": "ok", "visibility": "secret"}, "visibility"),
])
def test_actions_reject_bad_fields(acme, suffix, body, field):
    ticket = acme.create_ticket()
    assert field in field_reasons(acme.post(f"/api/v1/tickets/{ticket['id']}/{suffix}", json=body))
    assert acme.get(f"/api/v1/tickets/{ticket['id']}").json()["status"] == "opened"


def test_empty_patch_is_422(acme):
    ticket = acme.create_ticket()
    assert "_schema" in field_reasons(acme.patch(f"/api/v1/tickets/{ticket['id']}", json={}))


@pytest.mark.parametrize("params, field", [
    ({"limit": 1000}, "limit"), ({"limit": "ten"}, "limit"), ({"sort": "colour"}, "sort"),
    ({"status": "lost"}, "status.0"), ({"created_from": "2026-01-01T10:00:00"}, "created_from"),
    ({"cursor": "not-a-cursor"}, "cursor"),
])
def test_list_rejects_bad_query(acme, params, field):
    assert field in field_reasons(acme.get("/api/v1/tickets", params=params))


def test_body_over_the_limit_is_413(acme):
    answer = acme.post("/api/v1/tickets", data=b"{" + b" " * (1024 * 1024 + 10) + b"}",
                       headers={"Content-Type": "application/json"})
    assert answer.status_code == 413
    assert answer.json()["type"].endswith("/body-too-large")
    # The refused body was drained: the same keep-alive connection serves the next request.
    assert acme.get("/api/v1/tickets").status_code == 200


def test_malformed_json_is_400(acme):
    answer = acme.post("/api/v1/tickets", data=b'{"title": ', headers={"Content-Type": "application/json"})
    assert answer.status_code == 400
    assert answer.headers["Content-Type"].startswith("application/problem+json")


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic abc"}])
def test_missing_or_wrong_credentials_are_401(suite, headers):
    answer = Api(suite.url).get("/api/v1/tickets", headers=headers)
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")


def test_titles_speak_russian_by_default_and_english_on_request(suite, acme):
    russian = Api(suite.url, acme.token).get("/api/v1/tickets/nope").json()
    english = Api(suite.url, acme.token, language="en-GB,en;q=0.9").get("/api/v1/tickets/nope").json()
    assert russian["title"] == "Не найдено"
    assert english["title"] == "Not found"


def test_a_cursor_cannot_be_reused_under_another_sort(acme):
    for _ in range(2):
        acme.create_ticket()
    page = acme.get("/api/v1/tickets", params={"limit": 1, "sort": "number"}).json()
    answer = acme.get("/api/v1/tickets", params={"limit": 1, "sort": "-number",
                                                 "cursor": page["next_cursor"]})
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "cursor"


def test_a_number_too_large_to_exist_is_404(acme):
    assert acme.get(f"/api/v1/tickets/by-number/{10 ** 30}").status_code == 404
