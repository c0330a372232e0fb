"""Bodies are screened before anything parses them: nesting, number size, keys MongoDB cannot
store, the content type, the size of chunked bodies (gateway/bodies.py)."""
import uuid

import pytest

from tests.integration.suite_process import Api

JSON = {"Content-Type": "application/json"}
DEEP = b'{"title": ' + b"[" * 1000 + b"]" * 1000 + b"}"
HUGE_NUMBER = b'{"title": ' + b"9" * 5000 + b"}"
ENDPOINTS = ["/api/v1/tickets", "/api/v1/auth/login", "/api/v1/federation/invitations/accept",
             "/api/v1/equipment-kinds", "/api/v1/partner-links/accept"]


def problem(answer, status):
    assert answer.status_code == status, answer.text
    assert answer.headers["Content-Type"].startswith("application/problem+json")
    return answer.json()


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize("body", [DEEP, HUGE_NUMBER, b'{"title": NaN}', b'[' * 40 + b']' * 40],
                         ids=["deep", "huge-number", "nan", "deeper-than-32"])
def test_bodies_the_parser_cannot_hold_are_400_everywhere(suite, acme, path, body):
    answer = Api(suite.url, acme.token).post(path, data=body, headers=JSON)
    assert problem(answer, 400)["type"].endswith("/malformed-request")


def test_the_unauthenticated_login_refuses_them_too(anonymous):
    assert anonymous.post("/api/v1/auth/login", data=DEEP, headers=JSON).status_code == 400


def test_brackets_inside_strings_do_not_count_as_nesting(acme):
    answer = acme.post("/api/v1/tickets", json={"title": "[" * 150 + "{" * 50})
    assert answer.status_code == 201, answer.text


@pytest.mark.parametrize("key", ["a\u0000b", "$where", "a.b"])
def test_keys_mongodb_cannot_store_are_422_naming_the_path(acme, key):
    kind = acme.post("/api/v1/equipment-kinds", json={"name": f"Контроллер {uuid.uuid4().hex[:6]}"}).json()
    answer = acme.post("/api/v1/equipment", json={"kind_id": kind["id"], "parameters": {key: "1"}})
    assert f"parameters.{key}" in [e["field"] for e in problem(answer, 422)["errors"]]
    answer = acme.post("/api/v1/price-items", json={
        "code": "KEY-1", "name": "Выезд", "unit": "выезд", "price": {"amount": "100.00", "currency": "RUB"},
        "category_prices": {key: {"amount": "90.00", "currency": "RUB"}}})
    assert [e["field"] for e in problem(answer, 422)["errors"]] == [f"category_prices.{key}"]


def test_refused_keys_are_refused_deep_inside_lists_too(acme):
    answer = acme.patch("/api/v1/account", json={"settings": {"x": [{"ok": 1}, {"$set": 1}]}})
    assert "settings.x.1.$set" in [e["field"] for e in problem(answer, 422)["errors"]]


@pytest.mark.parametrize("headers", [{"Content-Type": "text/plain"}, {}],
                         ids=["text-plain", "no-content-type"])
def test_json_in_another_content_type_is_415(acme, headers):
    answer = acme.post("/api/v1/tickets", data=b'{"title": "Not read as empty"}', headers=headers)
    assert problem(answer, 415)["type"].endswith("/unsupported-media-type")


def test_chunked_body_over_the_limit_is_413(acme):
    def chunks():
        for _ in range(1100):
            yield b" " * 1024
    answer = acme.post("/api/v1/tickets", data=chunks(), headers=JSON)
    assert problem(answer, 413)["type"].endswith("/body-too-large")
    # The rest of the refused body was drained: the same keep-alive connection goes on.
    assert acme.get("/api/v1/tickets").status_code == 200


def test_chunked_body_within_the_limit_is_read(acme):
    answer = acme.post("/api/v1/tickets", data=iter([b'{"title": ', b'"chunked"}']), headers=JSON)
    assert answer.status_code == 201, answer.text


def test_405_names_the_allowed_methods(acme):
    answer = acme.delete("/api/v1/tickets")
    problem(answer, 405)
    assert set(answer.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


def test_dotted_keys_of_a_vocabulary_pass(suite):
    """1C mapping keys name parts of a sale (`sale.entity`): a known vocabulary, not free-form."""
    admin = suite.admin(f"dots-{uuid.uuid4().hex[:6]}")
    answer = admin.post("/api/v1/billing/connections", json={
        "url": "http://127.0.0.1:9/base/odata/standard.odata/", "user": "odata",
        "password": "Secret-password-1", "profile": "bp30",
        "mapping": {"sale.entity": "Document_РеализацияТоваровУслуг"}})
    assert answer.status_code == 201, answer.text
    assert answer.json()["mapping"]["sale.entity"] == "Document_РеализацияТоваровУслуг"
