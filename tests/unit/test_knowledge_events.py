"""`article_published` is written into the article's outbox in the same write that publishes it,
once per publication, with the documented payload."""
import pytest

from services.knowledge.schemas import ArticlePublishedEventSchema, ArticleWriteSchema
from services.knowledge.store import Store
from services.shared.validation import load

AUTHOR = {"kind": "employee", "id": "e1"}


def article(**fields):
    return load(ArticleWriteSchema(), {"title": "Турникет не пропускает по карте",
                                       "body": "Проверьте считыватель.", "state": "published",
                                       "visibility": "all_clients", **fields})


@pytest.fixture
def kb(db):
    Store.create_indexes(db)
    return Store(db)


def stored_outbox(kb, article_id):
    return kb.articles.articles.find_one({"_id": article_id}).get("outbox", [])


def test_publishing_at_creation_writes_the_announcement_with_the_article(kb):
    created = kb.articles.create("acme", AUTHOR, article(tags=["СКУД"]))
    [entry] = stored_outbox(kb, created["_id"])
    assert created["outbox"] == [entry]
    assert entry["type"] == "article_published"
    payload = entry["payload"]
    assert set(payload) == set(ArticlePublishedEventSchema().fields)
    assert payload["event_id"] == entry["id"] and payload["account_id"] == "acme"
    assert payload["published_by"] == AUTHOR
    assert payload["article"]["id"] == created["_id"] and payload["article"]["tags"] == ["СКУД"]
    assert "body" not in payload["article"]


def test_each_publication_is_announced_once_and_edits_are_not(kb):
    draft = kb.articles.create("acme", AUTHOR, article(state="draft"))
    assert stored_outbox(kb, draft["_id"]) == []
    published = kb.articles.replace("acme", draft["_id"], AUTHOR, article())
    assert [e["payload"]["article"]["version"] for e in published["outbox"]] == [2]
    kb.articles.replace("acme", draft["_id"], AUTHOR, article(title="Новый заголовок"))
    kb.articles.replace("acme", draft["_id"], AUTHOR, article(state="archived"))
    again = kb.articles.replace("acme", draft["_id"], AUTHOR, article())
    assert [e["payload"]["article"]["version"] for e in stored_outbox(kb, draft["_id"])] == [2, 5]
    assert len(again["outbox"]) == 2


def test_published_entries_leave_the_outbox(kb):
    created = kb.articles.create("acme", AUTHOR, article())
    sent = []
    kb.articles.publish_pending(lambda kind, payload: sent.append((kind, payload)), created,
                                "knowledge")
    assert [kind for kind, _ in sent] == ["article_published"]
    stored = kb.articles.articles.find_one({"_id": created["_id"]})
    assert stored["outbox"] == [] and "outbox_pending" not in stored
