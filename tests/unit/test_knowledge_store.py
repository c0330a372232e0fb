"""Sections, articles, versions and the index kept in step, on the embedded store."""
import pytest

from services.knowledge import searching
from services.knowledge.access import reader, writer
from services.knowledge.schemas import ArticleWriteSchema, SectionWriteSchema
from services.knowledge.store import Store
from services.shared.actor import Actor
from services.shared.errors import Conflict, Forbidden, NotFound, ValidationFailed
from services.shared.validation import load

AGENT = Actor("acme", "employee", "e1", roles=("agent",))
ENGINEER = Actor("acme", "employee", "e2", roles=("field_engineer",))
CONTACT = Actor("acme", "contact", "c1", client_id="k1", client_scope="company")
OTHER = Actor("globex", "employee", "e9", roles=("admin",))


@pytest.fixture
def kb(db):
    Store.create_indexes(db)
    return Store(db)


def article(**fields):
    return load(ArticleWriteSchema(), {"title": "Турникет не пропускает по карте",
                                       "body": "Проверьте **считыватель** турникета.",
                                       "tags": ["СКУД"], "state": "published",
                                       "visibility": "all_clients", **fields})


def found(kb, actor, q, **filters):
    return [hit["id"] for hit in searching.search(kb, actor, {"q": q, "limit": 10, **filters})]


def test_a_published_article_is_searchable_at_once_with_a_marked_snippet(kb):
    created = kb.articles.create("acme", AGENT.as_reference(), article())
    assert created["body_html"] == "<p>Проверьте <strong>считыватель</strong> турникета.</p>\n"
    hits = searching.search(kb, AGENT, {"q": "турникеты не пускают", "limit": 5})
    assert [hit["id"] for hit in hits] == [created["_id"]]
    assert "<mark>турникета</mark>" in hits[0]["snippet"]


def test_every_edit_is_a_version_and_the_index_follows_it(kb):
    created = kb.articles.create("acme", AGENT.as_reference(), article(state="draft"))
    assert found(kb, AGENT, "турникет") == []
    kb.articles.replace("acme", created["_id"], ENGINEER.as_reference(), article())
    assert found(kb, AGENT, "турникет") == [created["_id"]]
    kb.articles.replace("acme", created["_id"], AGENT.as_reference(),
                        article(title="Шлагбаум не открывается", body="Проверьте привод."))
    assert found(kb, AGENT, "турникет") == []
    assert found(kb, AGENT, "шлагбаумы") == [created["_id"]]
    kb.articles.replace("acme", created["_id"], AGENT.as_reference(), article(state="archived"))
    assert found(kb, AGENT, "турникет шлагбаум") == []
    history = kb.articles.history("acme", created["_id"])
    assert [v["version"] for v in history] == [4, 3, 2, 1]
    assert [v["state"] for v in history] == ["archived", "published", "published", "draft"]
    assert history[2]["author"] == {"kind": "employee", "id": "e2"}


def test_an_edit_over_a_stale_version_conflicts(kb, monkeypatch):
    created = kb.articles.create("acme", AGENT.as_reference(), article())
    stale = dict(created)
    kb.articles.replace("acme", created["_id"], AGENT.as_reference(), article(title="Новое"))
    monkeypatch.setattr(kb.articles, "get", lambda scope, article_id: stale)
    with pytest.raises(Conflict):
        kb.articles.replace("acme", created["_id"], AGENT.as_reference(), article())


def test_contacts_see_only_published_articles_for_all_clients(kb):
    public = kb.articles.create("acme", AGENT.as_reference(), article())
    internal = kb.articles.create("acme", AGENT.as_reference(), article(visibility="internal"))
    chosen = kb.articles.create("acme", AGENT.as_reference(), article(
        visibility="categories", client_categories=["VIP"]))
    draft = kb.articles.create("acme", AGENT.as_reference(), article(state="draft"))
    assert found(kb, CONTACT, "турникет") == [public["_id"]]
    assert set(found(kb, AGENT, "турникет")) == {public["_id"], internal["_id"], chosen["_id"]}
    for hidden in (internal, chosen, draft):
        with pytest.raises(NotFound):
            kb.articles.readable(CONTACT, hidden["_id"])
    docs, _ = kb.articles.list_readable(CONTACT, {"limit": 10, "state": "draft"})
    assert docs == []


def test_accounts_never_see_each_other(kb):
    created = kb.articles.create("acme", AGENT.as_reference(), article())
    assert found(kb, OTHER, "турникет") == []
    with pytest.raises(NotFound):
        kb.articles.readable(OTHER, created["_id"])
    with pytest.raises(NotFound):
        kb.articles.replace("globex", created["_id"], OTHER.as_reference(), article())


def test_search_filters_by_section_subtree_and_tag(kb):
    section = lambda **f: kb.sections.create("acme", load(SectionWriteSchema(), f))  # noqa: E731
    top = section(name="СКУД")
    child = section(name="Турникеты", parent_id=top["_id"])
    other = section(name="Видео")
    inside = kb.articles.create("acme", AGENT.as_reference(), article(section_id=child["_id"]))
    outside = kb.articles.create("acme", AGENT.as_reference(),
                                 article(section_id=other["_id"], tags=["Сервис"]))
    assert found(kb, AGENT, "турникет", section_id=top["_id"]) == [inside["_id"]]
    assert found(kb, AGENT, "турникет", tag="сервис") == [outside["_id"]]


def test_a_section_cannot_move_under_itself_or_a_missing_parent(kb):
    top = kb.sections.create("acme", {"name": "СКУД", "parent_id": None})
    child = kb.sections.create("acme", {"name": "Турникеты", "parent_id": top["_id"]})
    with pytest.raises(ValidationFailed) as failed:
        kb.sections.replace("acme", top["_id"], {"name": "СКУД", "parent_id": child["_id"]})
    assert "parent_id" in failed.value.fields
    with pytest.raises(ValidationFailed):
        kb.sections.create("globex", {"name": "Чужой", "parent_id": top["_id"]})


def test_typos_fall_back_to_close_index_terms(kb):
    created = kb.articles.create("acme", AGENT.as_reference(), article())
    assert found(kb, AGENT, "турникит") == [created["_id"]]


def test_writers_are_admins_dispatchers_and_agents():
    assert writer(AGENT.to_dict()) == AGENT
    for actor in (ENGINEER, CONTACT):
        with pytest.raises(Forbidden):
            writer(actor.to_dict())
    assert reader(CONTACT.to_dict()) == CONTACT
    with pytest.raises(Forbidden):
        reader({"account_id": "acme", "kind": "partner_link", "id": "p1"})


def test_category_articles_need_categories_and_others_none():
    with pytest.raises(ValidationFailed) as failed:
        article(visibility="categories")
    assert "client_categories" in failed.value.fields
    with pytest.raises(ValidationFailed):
        article(client_categories=["VIP"])
