"""The knowledge base end to end: HTTP through the gateway to the real knowledge service."""
import uuid

import pytest


def marker():
    """A word of its own per test, so that searches see only what the test wrote."""
    return "метка" + uuid.uuid4().hex[:8]


def write(api, **fields):
    body = {"title": "Турникет не пропускает по карте",
            "body": "Проверьте **считыватель** турникета и срок действия карты.",
            "tags": ["СКУД"], "state": "published", "visibility": "all_clients", **fields}
    answer = api.post("/api/v1/kb/articles", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def search(api, q, **params):
    answer = api.get("/api/v1/kb/search", params={"q": q, **params})
    assert answer.status_code == 200, answer.text
    return [hit["id"] for hit in answer.json()["items"]]


def field_reasons(answer):
    assert answer.status_code == 422, answer.text
    assert answer.headers["Content-Type"].startswith("application/problem+json")
    return {error["field"]: error["reason"] for error in answer.json()["errors"]}


def test_sections_form_a_tree(acme):
    top = acme.post("/api/v1/kb/sections", json={"name": "СКУД"}).json()
    child = acme.post("/api/v1/kb/sections", json={"name": "Турникеты", "parent_id": top["id"]})
    assert child.status_code == 201, child.text
    child = child.json()
    assert acme.get(f"/api/v1/kb/sections/{child['id']}").json() == child
    level = acme.get("/api/v1/kb/sections", params={"parent_id": top["id"]}).json()["items"]
    assert [section["id"] for section in level] == [child["id"]]
    moved = acme.put(f"/api/v1/kb/sections/{top['id']}", json={"name": "СКУД",
                                                                "parent_id": child["id"]})
    assert "parent_id" in field_reasons(moved)


def test_create_read_edit_and_versions(acme):
    word = marker()
    created = write(acme, title=f"Турникет {word}", state="draft")
    assert created["version"] == 1 and created["state"] == "draft"
    assert "<strong>считыватель</strong>" in created["body_html"]
    assert acme.get(f"/api/v1/kb/articles/{created['id']}").json() == created
    assert search(acme, word) == []
    edited = acme.patch(f"/api/v1/kb/articles/{created['id']}", json={
        "title": f"Турникет {word}", "body": "Новый текст <script>alert(1)</script>",
        "state": "published", "visibility": "all_clients"})
    assert edited.status_code == 200, edited.text
    edited = edited.json()
    assert edited["version"] == 2 and edited["published_at"]
    assert "<script>" not in edited["body_html"]
    versions = acme.get(f"/api/v1/kb/articles/{created['id']}/versions").json()["items"]
    assert [v["version"] for v in versions] == [2, 1]
    assert versions[1]["body"] == created["body"] and versions[0]["author"]["kind"] == "employee"
    listed = acme.get("/api/v1/kb/articles", params={"state": "published", "limit": 100}).json()
    assert created["id"] in [article["id"] for article in listed["items"]]


def test_a_published_article_is_found_at_once_in_other_word_forms(acme):
    word = marker()
    created = write(acme, title=f"Принтер печатает полосы {word}")
    answer = acme.get("/api/v1/kb/search",
                      params={"q": f"принтеры печатают полосами {word} считыватели"})
    hits = answer.json()["items"]
    assert hits[0]["id"] == created["id"] and hits[0]["score"] > 0
    assert "<mark>считыватель</mark>" in hits[0]["snippet"]
    assert hits[0]["title_marked"].startswith("<mark>Принтер</mark> <mark>печатает</mark>")
    acme.patch(f"/api/v1/kb/articles/{created['id']}", json={
        "title": f"Шлагбаум не открывается {word}", "body": "Проверьте привод.",
        "state": "published", "visibility": "all_clients"})
    assert search(acme, "принтер полосы " + word)[:1] == [created["id"]]  # by the marker only
    assert search(acme, "шлагбаумы")[:1] == [created["id"]]
    acme.patch(f"/api/v1/kb/articles/{created['id']}", json={
        "title": f"Шлагбаум {word}", "body": "Архив.", "state": "archived"})
    assert search(acme, word) == []


def test_search_filters_by_section_and_tag(acme):
    word = marker()
    section = acme.post("/api/v1/kb/sections", json={"name": "Кассы"}).json()
    inside = write(acme, title=f"Касса {word}", section_id=section["id"])
    tagged = write(acme, title=f"Касса {word}", tags=["ФН"])
    assert search(acme, word, section_id=section["id"]) == [inside["id"]]
    assert search(acme, word, tag="фн") == [tagged["id"]]


def test_contacts_never_see_internal_draft_or_category_articles(north):
    word = marker()
    agent = north.people["agent"]
    public = write(agent, title=f"Камера {word}")
    hidden = [write(agent, title=f"Камера {word}", visibility="internal"),
              write(agent, title=f"Камера {word}", state="draft"),
              write(agent, title=f"Камера {word}", visibility="categories",
                    client_categories=["VIP"])]
    contact = north.people["client_a_company"]
    assert search(contact, word) == [public["id"]]
    assert contact.get(f"/api/v1/kb/articles/{public['id']}").status_code == 200
    for article in hidden:
        assert contact.get(f"/api/v1/kb/articles/{article['id']}").status_code == 404
    listed = contact.get("/api/v1/kb/articles", params={"limit": 100}).json()["items"]
    assert {a["id"] for a in listed} & {a["id"] for a in hidden} == set()
    assert set(search(north.people["field_engineer"], word)) == {public["id"], hidden[0]["id"],
                                                                  hidden[2]["id"]}


@pytest.mark.parametrize("who", ["field_engineer", "client_a_own"])
def test_only_admins_dispatchers_and_agents_write(north, who):
    answer = north.people[who].post("/api/v1/kb/articles", json={"title": "x", "body": "y"})
    assert answer.status_code == 403, answer.text
    assert north.people[who].post("/api/v1/kb/sections", json={"name": "x"}).status_code == 403


def test_accounts_are_isolated(acme, globex):
    word = marker()
    article = write(acme, title=f"Домофон {word}")
    section = acme.post("/api/v1/kb/sections", json={"name": "Домофоны"}).json()
    fake = uuid.uuid4().hex
    for method, path, body in [
            ("GET", "/api/v1/kb/articles/{}", None),
            ("PATCH", "/api/v1/kb/articles/{}", {"title": "взлом", "body": "взлом"}),
            ("GET", "/api/v1/kb/articles/{}/versions", None),
            ("GET", "/api/v1/kb/sections/{}", None),
            ("PUT", "/api/v1/kb/sections/{}", {"name": "взлом", "parent_id": None}),
            ("PATCH", "/api/v1/kb/sections/{}", {"name": "взлом"})]:
        real_id = section["id"] if "sections" in path else article["id"]
        answer = globex.request(method, path.format(real_id), json=body)
        missing = globex.request(method, path.format(fake), json=body)
        assert answer.status_code == missing.status_code == 404, (path, answer.text)
        assert answer.json()["detail"].replace(real_id, "?") == \
            missing.json()["detail"].replace(fake, "?")
    assert search(globex, word) == []
    assert acme.get(f"/api/v1/kb/articles/{article['id']}").json()["version"] == 1
    foreign_section = globex.post("/api/v1/kb/articles", json={
        "title": "x", "body": "y", "section_id": section["id"]})
    assert "section_id" in field_reasons(foreign_section)


@pytest.mark.parametrize("body, field", [
    ({"body": "текст"}, "title"),
    ({"title": "x", "body": "y", "state": "deleted"}, "state"),
    ({"title": "x", "body": "y", "visibility": "categories"}, "client_categories"),
    ({"title": "x", "body": "y", "account_id": "globex"}, "account_id"),
    ({"title": "x", "body": "y", "tags": [""]}, "tags.0"),
    ({"title": "x", "body": "y", "section_id": "nope"}, "section_id"),
])
def test_bad_articles_are_refused_naming_the_field(acme, body, field):
    assert field in field_reasons(acme.post("/api/v1/kb/articles", json=body))


def test_bad_search_is_refused_naming_the_field(acme):
    assert "q" in field_reasons(acme.get("/api/v1/kb/search"))
    assert "limit" in field_reasons(acme.get("/api/v1/kb/search", params={"q": "x", "limit": 0}))


def test_contacts_see_articles_for_their_category_or_service_level(north):
    """Client A holds a contract at the world's service level; client B gets the category
    'gold' mid-test and its contacts see the gold article at their next request."""
    word = marker()
    agent, admin = north.people["agent"], north.admin
    by_level = write(agent, title=f"Лифт {word}", visibility="categories",
                     service_levels=[north.ids["level"]])
    by_category = write(agent, title=f"Лифт {word}", visibility="categories",
                        client_categories=["gold"])
    contact_a, contact_b = north.people["client_a_own"], north.people["client_b_company"]
    assert search(contact_a, word) == [by_level["id"]]
    assert contact_a.get(f"/api/v1/kb/articles/{by_level['id']}").status_code == 200
    assert search(contact_b, word) == []
    assert contact_b.get(f"/api/v1/kb/articles/{by_level['id']}").status_code == 404
    client_b = admin.get(f"/api/v1/clients/{north.ids['client_b']}").json()
    changed = admin.patch(f"/api/v1/clients/{north.ids['client_b']}", json={
        "name": client_b["name"], "inn": client_b["inn"], "kpp": client_b["kpp"],
        "category": "gold"})
    assert changed.status_code == 200, changed.text
    assert search(contact_b, word) == [by_category["id"]]
    listed = contact_b.get("/api/v1/kb/articles", params={"limit": 100}).json()["items"]
    assert by_category["id"] in {a["id"] for a in listed}
    assert by_level["id"] not in {a["id"] for a in listed}
    assert search(contact_a, word) == [by_level["id"]]
    assert set(search(agent, word)) == {by_level["id"], by_category["id"]}


def test_an_audience_of_service_levels_needs_the_categories_visibility(acme):
    answer = acme.post("/api/v1/kb/articles", json={"title": "x", "body": "y",
                                                    "service_levels": ["level-1"]})
    assert "service_levels" in field_reasons(answer)
