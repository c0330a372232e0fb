"""Every list answers `items`, `next_cursor` and `limit`, and the limit really cuts the page in
the service (the nine lists that used to answer everything)."""
import uuid

import pytest

TARGETS = {p: {"reaction_minutes": 60, "resolution_minutes": 480}
           for p in ("low", "normal", "high", "critical")}


def unique(prefix):
    return f"{prefix} {uuid.uuid4().hex[:8]}"


def make_group(api):
    return api.post("/api/v1/groups", json={"name": unique("Группа"), "member_ids": []})


def make_kind(api):
    return api.post("/api/v1/equipment-kinds", json={"name": unique("Вид")})


def make_level(api):
    return api.post("/api/v1/service-levels", json={
        "name": unique("Уровень"), "targets": TARGETS, "monthly_price": {"amount": "100"}})


def make_contract(api):
    client = api.post("/api/v1/clients", json={"name": unique("Клиент")}).json()
    return api.post("/api/v1/contracts", json={"number": unique("Д"), "client_id": client["id"],
                                               "service_level_id": make_level(api).json()["id"],
                                               "valid_from": "2026-01-01"})


def make_price_item(api):
    return api.post("/api/v1/price-items", json={"code": unique("C"), "name": "Работа",
                                                 "unit": "час", "price": {"amount": "10"}})


def make_calendar(api):
    return api.post("/api/v1/calendars", json={"name": unique("Календарь"), "time_zone": "Asia/Omsk",
                                               "week": {"always": True}})


def make_token(api):
    return api.post("/api/v1/tokens", json={"name": unique("токен")})


def make_link(api):
    return api.post("/api/v1/partner-links/invitations", json={})


LISTS = {"/api/v1/groups": make_group, "/api/v1/equipment-kinds": make_kind,
         "/api/v1/service-levels": make_level, "/api/v1/contracts": make_contract,
         "/api/v1/price-items": make_price_item, "/api/v1/calendars": make_calendar,
         "/api/v1/tokens": make_token, "/api/v1/partner-links": make_link}


@pytest.fixture(scope="module")
def pages(suite):
    return suite.admin("pages")


def everything(api, path, limit):
    seen, cursor = [], None
    while True:
        answer = api.get(path, params={"limit": limit, **({"cursor": cursor} if cursor else {})})
        assert answer.status_code == 200, answer.text
        page = answer.json()
        assert page["limit"] == limit and len(page["items"]) <= limit
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return seen


@pytest.mark.parametrize("path", LISTS)
def test_a_list_comes_in_pages_of_its_limit(pages, path):
    made = [LISTS[path](pages) for _ in range(3)]
    assert all(answer.status_code == 201 for answer in made), [a.text for a in made]
    first = pages.get(path, params={"limit": 2}).json()
    assert set(first) == {"items", "next_cursor", "limit"}
    assert len(first["items"]) == 2 and first["next_cursor"] and first["limit"] == 2
    listed = everything(pages, path, 2)
    assert len(listed) == len(set(listed)) == len(everything(pages, path, 100)) >= 3


@pytest.mark.parametrize("path", [*LISTS, "/api/v1/billing/connections"])
@pytest.mark.parametrize("params, field", [({"limit": 101}, "limit"), ({"limit": 0}, "limit"),
                                           ({"cursor": "nonsense"}, "cursor")])
def test_a_list_refuses_a_limit_past_its_maximum_and_a_foreign_cursor(pages, path, params, field):
    answer = pages.get(path, params=params)
    assert answer.status_code == 422, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == [field]


def test_the_1c_connection_list_is_a_page_too(pages):
    created = pages.post("/api/v1/billing/connections", json={
        "url": "http://127.0.0.1:9/base/odata/standard.odata/", "user": "odata",
        "password": "Secret-password-1", "profile": "bp30"})
    assert created.status_code == 201, created.text
    page = pages.get("/api/v1/billing/connections", params={"limit": 1}).json()
    assert page == {"items": [page["items"][0]], "next_cursor": None, "limit": 1}
    assert page["items"][0]["id"] == created.json()["id"]


def test_contracts_filter_by_client(pages):
    contract = make_contract(pages).json()
    page = pages.get("/api/v1/contracts", params={"client_id": contract["client_id"]}).json()
    assert [c["id"] for c in page["items"]] == [contract["id"]]


def test_pages_stay_in_their_account(pages, globex):
    make_group(pages)
    theirs = globex.get("/api/v1/groups", params={"limit": 100}).json()["items"]
    mine = pages.get("/api/v1/groups", params={"limit": 100}).json()["items"]
    assert not {g["id"] for g in theirs} & {g["id"] for g in mine}


def test_the_owners_list_of_accounts_is_a_page_too(suite, pages, globex):
    owner = suite.owner()
    first = owner.get("/api/v1/accounts", params={"limit": 1}).json()
    assert len(first["items"]) == 1 and first["next_cursor"] and first["limit"] == 1
    slugs = [a["slug"] for a in owner.get("/api/v1/accounts", params={"limit": 100}).json()["items"]]
    assert slugs == sorted(slugs) and {"pages", "globex"} <= set(slugs)
    assert len(everything(owner, "/api/v1/accounts", 2)) == len(slugs)
