"""/api/v1/saved-views through the running suite: a person's own views, their counts in one
call, bad input named, and nobody else's view reachable (another employee's or another
account's is 404, a client contact is refused)."""
import uuid

import pytest

from tests.integration.world import PASSWORD, login


@pytest.fixture(scope="module")
def dispatcher(suite, acme):
    email = f"dispatcher-{uuid.uuid4().hex[:6]}@acme.example"
    acme.create_employee("dispatcher", email=email, password=PASSWORD)
    return login(suite.url, "acme", email, PASSWORD)


def save(api, name, **filters):
    answer = api.post("/api/v1/saved-views", json={"name": name, "filters": filters})
    assert answer.status_code == 201, answer.text
    return answer.json()


def named(answer):
    return {error["field"] for error in answer.json()["errors"]}


def test_a_view_keeps_its_filters_and_counts_what_the_list_lists(acme):
    marker = uuid.uuid4().hex[:8]
    for priority in ("high", "high", "low"):
        acme.create_ticket(title=f"Сломался принтер {marker}", priority=priority)
    view = save(acme, f"Срочные {marker}", q=marker, priority=["high", "critical"],
                status=["opened", "in_progress"])
    assert view["filters"]["priority"] == ["high", "critical"]
    assert acme.get(f"/api/v1/saved-views/{view['id']}").json() == view
    listed = acme.get("/api/v1/tickets", params=view["filters"]).json()["items"]
    counts = {item["id"]: item for item in acme.get("/api/v1/saved-views/counts").json()["items"]}
    assert counts[view["id"]]["count"] == len(listed) == 2
    assert counts[view["id"]]["name"] == view["name"]


def test_bad_views_are_refused_naming_the_field(acme):
    answer = acme.post("/api/v1/saved-views", json={"name": "", "filters": {"status": ["lost"]}})
    assert answer.status_code == 422
    assert {"name", "filters.status.0"} <= named(answer)
    save(acme, "Мои")
    again = acme.post("/api/v1/saved-views", json={"name": "мои", "filters": {}})
    assert again.status_code == 422 and named(again) == {"name"}, again.text


def test_a_view_is_its_owners_only(acme, globex, dispatcher):
    view = save(acme, f"Админские {uuid.uuid4().hex[:6]}", status=["opened"])
    for stranger in (dispatcher, globex):
        assert stranger.get(f"/api/v1/saved-views/{view['id']}").status_code == 404
        assert stranger.delete(f"/api/v1/saved-views/{view['id']}").status_code == 404
        assert view["id"] not in {v["id"] for v in stranger.get("/api/v1/saved-views").json()}
        assert view["id"] not in {
            v["id"] for v in stranger.get("/api/v1/saved-views/counts").json()["items"]}
    assert acme.delete(f"/api/v1/saved-views/{view['id']}").status_code == 204
    assert acme.get(f"/api/v1/saved-views/{view['id']}").status_code == 404


def test_a_clients_contact_keeps_no_views(suite, acme):
    client = acme.post("/api/v1/clients", json={"name": f"Клиент {uuid.uuid4().hex[:6]}"}).json()
    email = f"contact-{uuid.uuid4().hex[:6]}@client.example"
    answer = acme.post(f"/api/v1/clients/{client['id']}/contacts", json={
        "name": "Контакт", "emails": [email], "portal_access": "company", "password": PASSWORD})
    assert answer.status_code == 201, answer.text
    contact = login(suite.url, "acme", email, PASSWORD)
    assert contact.get("/api/v1/saved-views").status_code == 403
    created = contact.post("/api/v1/saved-views", json={"name": "Мои", "filters": {}})
    assert created.status_code == 403
