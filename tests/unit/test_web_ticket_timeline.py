"""The ticket page's timeline: everything the services returned, in one list by time, with names
for ids; knowledge answers told apart from other comments."""
from flask import render_template

from gateway.web.ticket import timeline

ADMIN = {"kind": "employee", "id": "e1"}
NAMES = {"employees": {"e1": "Администратор", "e2": "Ольга"}, "groups": {"g1": "Выездные"},
         "clients": {}, "contacts": {"p1": "Анна"}, "sites": {}, "equipment": {}}
TICKET = {
    "assignee_id": "e2", "contact_id": "p1",
    "comments": [
        {"id": "c2", "body": "Статья\n\n/kb/articles/a7", "visibility": "public", "author": ADMIN,
         "created_at": "2026-12-07T10:05:00+00:00"},
        {"id": "c1", "body": "Позвоню", "visibility": "internal",
         "author": {"kind": "contact", "id": "p1"}, "created_at": "2026-12-07T10:01:00+00:00"}],
    "history": [
        {"at": "2026-12-07T10:00:00+00:00", "actor": ADMIN, "field": "status", "old": None, "new": "opened"},
        {"at": "2026-12-07T10:02:00+00:00", "actor": ADMIN, "field": "assignee_id", "old": None, "new": "e2"},
        {"at": "2026-12-07T10:01:00+00:00", "actor": ADMIN, "field": "comments", "old": None, "new": {"id": "c1"}}],
    "calls": [{"call_id": "k1", "number": "+79161234567", "at": "2026-12-07T09:59:00+00:00"}],
    "recordings": [{"call_id": "k1", "reference": "https://pbx.example/r.mp3"}],
    "works": [{"id": "w1", "name": "Выезд", "performed_by": "e2", "at": "2026-12-07T10:03:00+00:00"}],
}


def test_one_list_by_time_with_names():
    shared = [{"link_id": "l1", "created_at": "2026-12-07T10:04:00Z", "remote_number": "17"}]
    found = timeline.entries(TICKET, NAMES, shared, {"l1": "Завод"})
    assert [(kind, item.get("id") or item.get("call_id") or item.get("field") or item.get("link_id"))
            for kind, _, item in found] == [
        ("call", "k1"), ("history", "status"), ("comment", "c1"), ("history", "assignee_id"),
        ("work", "w1"), ("share", "l1"), ("answer", "c2")]
    kinds = {kind: item for kind, _, item in found}
    assert kinds["comment"]["who"] == "Анна"
    assert [item["new"] for kind, _, item in found if kind == "history"] == ["opened", "Ольга"]
    assert kinds["work"]["who"] == "Ольга" and kinds["share"]["partner"] == "Завод"
    assert kinds["call"]["recordings"] == ["https://pbx.example/r.mp3"]
    assert kinds["answer"]["article_id"] == "a7"


def test_only_web_addresses_are_played():
    assert timeline.playable("https://pbx.example/r.mp3")
    assert not timeline.playable("out_77aa66bb55cc44dd33ee22ff11009988")


def test_a_share_shows_the_partners_own_text_beside_ours():
    from flask import g
    from gateway.app import create_app
    app = create_app(amqp_uri="amqp://guest:guest@127.0.0.1:5672/")
    share = {"link_id": "l1", "created_at": "2026-12-07T10:04:00Z", "remote_number": "17",
             "partner_text": {"title": "Турникет на складе", "description": "Заменить плату",
                              "updated_at": "2026-12-07T11:00:00Z"}}
    with app.test_request_context("/tickets/t1"):
        g.locale = "ru"
        html = render_template("ticket/timeline.html", timeline=timeline.entries(
            {}, NAMES, [share], {"l1": "Завод"}), playable=timeline.playable)
    assert "Текст партнёра" in html and "Турникет на складе" in html and "Заменить плату" in html
    with app.test_request_context("/tickets/t1"):
        g.locale = "ru"
        html = render_template("ticket/timeline.html", timeline=timeline.entries(
            {}, NAMES, [dict(share, partner_text=None)], {}), playable=timeline.playable)
    assert "Текст партнёра" not in html
