"""Suggestions with their deflection report, and tickets answered with an article, end to end:
HTTP through the gateway to the real knowledge and tickets services."""
import time
import uuid
from datetime import datetime, timedelta, timezone

from tests.integration.world import PASSWORD, login


def marker():
    """A word of its own per test, so that suggestions see only what the test wrote."""
    return "метка" + uuid.uuid4().hex[:8]


def publish(api, title, **fields):
    body = {"title": title, "body": "Проверьте **считыватель** турникета и срок действия карты.",
            "state": "published", "visibility": "all_clients", **fields}
    answer = api.post("/api/v1/kb/articles", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def field_reasons(answer):
    assert answer.status_code == 422, answer.text
    assert answer.headers["Content-Type"].startswith("application/problem+json")
    return {error["field"]: error["reason"] for error in answer.json()["errors"]}


def suggest(api, title, description=""):
    answer = api.post("/api/v1/kb/suggestions", json={"title": title, "description": description})
    assert answer.status_code == 201, answer.text
    return answer.json()


def day(offset=0):
    return (datetime.now(timezone.utc).date() + timedelta(days=offset)).isoformat()


# -- suggestions -------------------------------------------------------------------------------

def test_a_ticket_written_with_a_suggestion_settles_its_outcome(north):
    """The outcome follows the ticket through the tickets service's ticket_created event, for
    the actor who was shown the suggestion only."""
    word = marker()
    publish(north.admin, f"Камера не показывает картинку {word}")
    client = north.admin.post("/api/v1/clients", json={"name": f"Клиент {word}"}).json()
    contacts = []
    for name in ("Анна", "Олег"):
        email = f"{name}-{word}@example.com"
        created = north.admin.post(f"/api/v1/clients/{client['id']}/contacts", json={
            "name": name, "emails": [email], "portal_access": "company", "password": PASSWORD})
        assert created.status_code == 201, created.text
        contacts.append(login(north.admin.url, north.slug, email, PASSWORD))
    contact, colleague = contacts
    shown = suggest(contact, f"камера не показывает {word}")["suggestion_id"]
    someone_else = colleague.create_ticket(title=f"Камера {word}", suggestion_id=shown)
    ticket = contact.create_ticket(title=f"Камера {word}", suggestion_id=shown)
    assert ticket["suggestion_id"] == shown
    path = f"/api/v1/kb/suggestions/{shown}"
    deadline = time.monotonic() + 20
    while contact.get(path).json()["outcome"] is None and time.monotonic() < deadline:
        time.sleep(0.1)
    recorded = contact.get(path).json()["outcome"]
    assert recorded["ticket_created"] is True and recorded["ticket_id"] == ticket["id"]
    assert recorded["ticket_id"] != someone_else["id"]
    assert "suggestion_id" in field_reasons(contact.post("/api/v1/tickets", json={
        "title": "x", "suggestion_id": ""}))


def test_suggestions_opened_outcome_and_the_deflection_report(north):
    word = marker()
    article = publish(north.admin, f"Турникет не пропускает по карте {word}")
    deflected_by = north.people["client_a_own"]
    shown = suggest(deflected_by, f"Турникеты не пускают {word}", "карта не срабатывает")
    assert shown["items"][0]["id"] == article["id"] and shown["suggestion_id"]
    path = f"/api/v1/kb/suggestions/{shown['suggestion_id']}"
    opened = deflected_by.post(f"{path}/opened", json={"article_id": article["id"]})
    assert opened.status_code == 200, opened.text
    outcome = deflected_by.post(f"{path}/outcome", json={"ticket_created": False})
    assert outcome.status_code == 200, outcome.text
    record = deflected_by.get(path).json()
    assert record["opened"] == [article["id"]] and record["outcome"]["ticket_created"] is False
    assert record["actor"] == {"kind": "contact", "id": north.ids["client_a_own"]}

    still_wrote = north.people["client_a_company"]
    second = suggest(still_wrote, f"турникет {word}")["suggestion_id"]
    still_wrote.post(f"/api/v1/kb/suggestions/{second}/opened", json={"article_id": article["id"]})
    ticket = still_wrote.create_ticket(title=f"Турникет {word}")
    answer = still_wrote.post(f"/api/v1/kb/suggestions/{second}/outcome",
                              json={"ticket_created": True, "ticket_id": ticket["id"]})
    assert answer.status_code == 200, answer.text
    conflicting = still_wrote.post(f"/api/v1/kb/suggestions/{second}/outcome",
                                   json={"ticket_created": False})
    assert conflicting.status_code == 409, conflicting.text

    agent = north.people["agent"]
    third = suggest(agent, f"турникет {word}")["suggestion_id"]  # shown, never opened
    agent.post(f"/api/v1/kb/suggestions/{third}/outcome", json={"ticket_created": False})

    params = {"from": day(-1), "to": day(1), "article_id": article["id"]}
    report = north.people["dispatcher"].get("/api/v1/kb/reports/deflection", params=params)
    assert report.status_code == 200, report.text
    report = report.json()
    assert report["articles"] == [{
        "article_id": article["id"], "title": article["title"], "shown": 3, "opened": 2,
        "deflected": 1, "tickets_created": 1, "awaiting_outcome": 0, "deflection_rate": 0.5}]
    assert report["total"] == {"suggestions": 3, "shown": 3, "opened": 2, "deflected": 1,
                               "tickets_created": 1, "awaiting_outcome": 0,
                               "deflection_rate": 0.5}
    later = north.admin.get("/api/v1/kb/reports/deflection",
                            params={"from": day(2), "article_id": article["id"]}).json()
    assert later["articles"] == [] and later["total"]["suggestions"] == 0
    for refused in (agent, deflected_by):
        assert refused.get("/api/v1/kb/reports/deflection").status_code == 403


def test_a_suggestion_record_is_its_owners_only(north, south):
    word = marker()
    article = publish(north.admin, f"Шлагбаум не открывается {word}")
    owner = north.people["client_a_own"]
    shown = suggest(owner, f"шлагбаум {word}")
    assert [hit["id"] for hit in shown["items"]] == [article["id"]]
    path = f"/api/v1/kb/suggestions/{shown['suggestion_id']}"
    for other in (north.people["client_a_company"], north.people["client_b_own"],
                  north.people["agent"], south.admin, south.people["client_a_own"]):
        assert other.get(path).status_code == 404
        assert other.post(f"{path}/opened", json={"article_id": article["id"]}).status_code == 404
        assert other.post(f"{path}/outcome", json={"ticket_created": False}).status_code == 404
    assert owner.get(path).json()["opened"] == []
    # South's report never counts north's suggestions, nor can it name north's article.
    south_report = south.admin.get("/api/v1/kb/reports/deflection",
                                   params={"article_id": article["id"]}).json()
    assert south_report["articles"] == [] and south_report["total"]["suggestions"] == 0


def test_a_contact_is_not_shown_internal_articles(north):
    word = marker()
    internal = publish(north.admin, f"Сервисный пароль {word}", visibility="internal")
    assert suggest(north.people["client_a_own"], f"пароль {word}")["items"] == []
    shown = suggest(north.people["agent"], f"пароль {word}")["items"]
    assert [hit["id"] for hit in shown] == [internal["id"]]


def test_bad_input_names_the_field(north):
    contact = north.people["client_a_own"]
    assert "title" in field_reasons(contact.post("/api/v1/kb/suggestions",
                                                 json={"description": "не работает"}))
    assert "limit" in field_reasons(contact.post("/api/v1/kb/suggestions",
                                                 json={"title": "турникет", "limit": 99}))
    path = f"/api/v1/kb/suggestions/{suggest(contact, 'турникет')['suggestion_id']}"
    assert "article_id" in field_reasons(contact.post(f"{path}/opened", json={}))
    assert "article_id" in field_reasons(contact.post(f"{path}/opened",
                                                      json={"article_id": "not-shown"}))
    assert "ticket_created" in field_reasons(contact.post(f"{path}/outcome",
                                                          json={"ticket_created": "maybe"}))
    assert "ticket_id" in field_reasons(contact.post(
        f"{path}/outcome", json={"ticket_created": False, "ticket_id": "t1"}))
    admin = north.admin
    assert "from" in field_reasons(admin.get("/api/v1/kb/reports/deflection",
                                             params={"from": "вчера"}))
    assert "to" in field_reasons(admin.get("/api/v1/kb/reports/deflection",
                                           params={"from": "2026-11-25", "to": "2026-11-01"}))
    ticket_id = north.ids["ticket_client_a"]
    assert "article_id" in field_reasons(north.people["agent"].post(
        f"/api/v1/tickets/{ticket_id}/answers", json={}))


# -- answers with an article -------------------------------------------------------------------

def article_comments(api, ticket_id, article_id):
    ticket = api.get(f"/api/v1/tickets/{ticket_id}")
    assert ticket.status_code == 200, ticket.text
    return [comment for comment in ticket.json()["comments"]
            if f"/kb/articles/{article_id}" in comment["body"]]


def answered_tickets(api, article_id):
    return api.get(f"/api/v1/kb/articles/{article_id}").json()["answered_tickets"]


def test_an_agent_answers_a_ticket_with_an_article_once(north):
    agent = north.people["agent"]
    article = publish(north.admin, f"Турникет не пропускает по карте {marker()}")
    assert article["answered_tickets"] == 0 and article["excerpt"].startswith("Проверьте")
    ticket_id = north.ids["ticket_client_a"]
    answer = agent.post(f"/api/v1/tickets/{ticket_id}/answers", json={"article_id": article["id"]})
    assert answer.status_code == 201, answer.text
    answer = answer.json()
    assert answer["created"] is True and answer["ticket_id"] == ticket_id
    assert answer["answered_by"] == {"kind": "employee", "id": north.ids["agent"]}
    # The comment is public: the client's contact sees it, with title, excerpt and link.
    seen = article_comments(north.people["client_a_company"], ticket_id, article["id"])
    assert [comment["id"] for comment in seen] == [answer["comment_id"]]
    assert seen[0]["visibility"] == "public"
    assert seen[0]["body"].startswith(article["title"]) and "считыватель" in seen[0]["body"]
    assert answered_tickets(agent, article["id"]) == 1

    again = agent.post(f"/api/v1/tickets/{ticket_id}/answers", json={"article_id": article["id"]})
    assert again.status_code == 200, again.text
    assert again.json()["created"] is False and again.json()["comment_id"] == answer["comment_id"]
    assert len(article_comments(agent, ticket_id, article["id"])) == 1
    assert answered_tickets(agent, article["id"]) == 1

    other = north.ids["ticket_client_b"]
    assert north.people["dispatcher"].post(f"/api/v1/tickets/{other}/answers",
                                           json={"article_id": article["id"]}).status_code == 201
    assert answered_tickets(north.people["client_b_company"], article["id"]) == 2


def test_a_retry_after_a_failed_recording_does_not_post_twice(north):
    """The state a failed `record_answer` leaves: the comment is on the ticket, no relation."""
    agent = north.people["agent"]
    article = publish(north.admin, f"Принтер печатает полосы {marker()}")
    ticket = north.admin.create_ticket(title="Принтер полосит", client_id=north.ids["client_a"])
    left = agent.post(f"/api/v1/tickets/{ticket['id']}/comments", json={
        "body": f"{article['title']}\n\n/kb/articles/{article['id']}", "visibility": "public"})
    assert left.status_code == 201, left.text
    answer = agent.post(f"/api/v1/tickets/{ticket['id']}/answers",
                        json={"article_id": article["id"]})
    assert answer.status_code == 201, answer.text
    assert answer.json()["comment_id"] == left.json()["id"]
    assert len(article_comments(agent, ticket["id"], article["id"])) == 1
    assert answered_tickets(agent, article["id"]) == 1


def test_only_published_articles_for_all_clients_answer_a_ticket(north):
    agent = north.people["agent"]
    ticket_id = north.ids["ticket_client_a"]
    word = marker()
    for fields in ({"visibility": "internal"}, {"state": "draft"},
                   {"visibility": "categories", "client_categories": ["VIP"]}):
        article = publish(north.admin, f"Закрытая статья {word}", **fields)
        refused = agent.post(f"/api/v1/tickets/{ticket_id}/answers",
                             json={"article_id": article["id"]})
        assert "article_id" in field_reasons(refused)
        assert article_comments(agent, ticket_id, article["id"]) == []
        assert answered_tickets(agent, article["id"]) == 0


def test_answers_stay_in_the_account_and_with_employees(north, south):
    agent = north.people["agent"]
    north_article = publish(north.admin, f"Турникет {marker()}")
    ticket_id = north.ids["ticket_client_a"]
    # South's article on north's ticket, north's article on south's ticket: both unknown.
    assert agent.post(f"/api/v1/tickets/{ticket_id}/answers",
                      json={"article_id": south.ids["kb_article"]}).status_code == 404
    assert agent.post(f"/api/v1/tickets/{south.ids['ticket_client_a']}/answers",
                      json={"article_id": north_article["id"]}).status_code == 404
    assert south.admin.post(f"/api/v1/tickets/{ticket_id}/answers",
                            json={"article_id": north_article["id"]}).status_code == 404
    contact = north.people["client_a_company"]
    assert contact.post(f"/api/v1/tickets/{ticket_id}/answers",
                        json={"article_id": north_article["id"]}).status_code == 403
    assert article_comments(agent, ticket_id, north_article["id"]) == []
    assert answered_tickets(agent, north_article["id"]) == 0


def test_a_ticket_cannot_name_another_accounts_suggestion(north, south):
    word = marker()
    publish(north.admin, f"Шлагбаум не открывается {word}")
    theirs = suggest(north.admin, f"шлагбаум {word}")["suggestion_id"]
    refused = south.admin.post("/api/v1/tickets", json={"title": f"Шлагбаум {word}",
                                                        "suggestion_id": theirs})
    assert "suggestion_id" in field_reasons(refused)
    made_up = south.admin.post("/api/v1/tickets", json={"title": "x", "suggestion_id": "nope"})
    assert "suggestion_id" in field_reasons(made_up)
    mine = suggest(south.admin, f"шлагбаум {word}")["suggestion_id"]
    assert south.admin.create_ticket(title=f"Шлагбаум {word}", suggestion_id=mine)["suggestion_id"] == mine
