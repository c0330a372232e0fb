"""The in-memory search index kept current across processes, and audiences chosen by client
category or service level. Two `Store`s over one database with their own
`AccountIndexes` are two replicas of the service."""
import pytest

from services.knowledge import searching
from services.knowledge.schemas import ArticleWriteSchema
from services.knowledge.store import Store, search_index
from services.knowledge.store.search_index import AccountIndexes, SearchIndex
from services.knowledge.synonyms import BUILT_IN
from services.shared.actor import Actor
from services.shared.errors import NotFound, ValidationFailed
from services.shared.validation import load

AGENT = Actor("acme", "employee", "e1", roles=("agent",))


def contact(category=None, levels=()):
    return Actor("acme", "contact", "c1", client_id="k1", client_scope="company",
                 client_category=category, service_levels=tuple(levels))


def article(**fields):
    return load(ArticleWriteSchema(), {"title": "Турникет не пропускает по карте",
                                       "body": "Проверьте считыватель турникета.",
                                       "state": "published", "visibility": "all_clients",
                                       **fields})


def found(kb, actor, q):
    return [hit["id"] for hit in searching.search(kb, actor, {"q": q, "limit": 10})]


@pytest.fixture
def replicas(db):
    Store.create_indexes(db)
    return Store(db, AccountIndexes()), Store(db, AccountIndexes())


def test_a_write_in_one_replica_is_searchable_in_the_other_at_its_next_search(replicas):
    one, two = replicas
    first = one.articles.create("acme", AGENT.as_reference(), article())
    assert found(two, AGENT, "турникет") == [first["_id"]]  # loaded whole
    second = one.articles.create("acme", AGENT.as_reference(), article(title="Турникет PERCo"))
    assert sorted(found(two, AGENT, "турникет")) == sorted([first["_id"], second["_id"]])
    one.articles.replace("acme", first["_id"], AGENT.as_reference(),
                         article(title="Шлагбаум", body="Привод шлагбаума."))
    assert found(two, AGENT, "турникет") == [second["_id"]]
    assert found(two, AGENT, "шлагбаум") == [first["_id"]]
    one.articles.replace("acme", second["_id"], AGENT.as_reference(), article(state="archived"))
    assert found(two, AGENT, "турникет") == []
    assert len(two.articles.index.memory.indexes["acme"][0]) == 1


def test_the_index_statistics_follow_changes_exactly(replicas):
    one, two = replicas
    created = [one.articles.create("acme", AGENT.as_reference(), article(body="слово " * n))
               for n in (1, 2, 3)]
    found(two, AGENT, "турникет")
    one.articles.replace("acme", created[0]["_id"], AGENT.as_reference(), article(state="draft"))
    found(two, AGENT, "турникет")
    memory = two.articles.index.memory.indexes["acme"][0]
    fresh = Store(one.articles.articles.database, AccountIndexes())
    found(fresh, AGENT, "турникет")
    reloaded = fresh.articles.index.memory.indexes["acme"][0]
    assert memory.totals == reloaded.totals and set(memory.entries) == set(reloaded.entries)
    assert ({term: memory.holders(term) for term in memory.postings}
            == {term: reloaded.holders(term) for term in reloaded.postings})


def test_a_replica_further_behind_than_the_change_log_loads_the_account_afresh(replicas,
                                                                               monkeypatch):
    one, two = replicas
    monkeypatch.setattr(search_index, "CHANGE_LOG", 3)
    kept = one.articles.create("acme", AGENT.as_reference(), article())
    assert found(two, AGENT, "турникет") == [kept["_id"]]
    later = [one.articles.create("acme", AGENT.as_reference(),
                                 article(title=f"Шлагбаум {n}", body="Привод шлагбаума."))
             for n in range(5)]
    one.articles.replace("acme", kept["_id"], AGENT.as_reference(), article(state="archived"))
    assert found(two, AGENT, "турникет") == []
    assert sorted(found(two, AGENT, "шлагбаум")) == sorted(doc["_id"] for doc in later)


def test_a_late_reindexing_of_an_older_version_never_replaces_a_newer_one(db):
    Store.create_indexes(db)
    kb = Store(db, AccountIndexes())
    created = kb.articles.create("acme", AGENT.as_reference(), article())
    newer = kb.articles.replace("acme", created["_id"], AGENT.as_reference(),
                                article(title="Шлагбаум", body="Привод."))
    kb.articles.index.put(created)  # the first write's reindexing arriving last
    assert db.index_docs.find_one({"_id": created["_id"]})["version"] == newer["version"]
    assert found(Store(db, AccountIndexes()), AGENT, "турникет") == []
    assert found(kb, AGENT, "шлагбаум") == [created["_id"]]


def test_accounts_have_separate_indexes(replicas):
    one, two = replicas
    one.articles.create("acme", AGENT.as_reference(), article())
    assert found(two, Actor("globex", "employee", "e9", roles=("admin",)), "турникет") == []
    assert "globex" in two.articles.index.memory.indexes


def test_an_index_of_the_old_layout_is_rebuilt_from_the_articles_at_start(db):
    db.articles.insert_one(dict(article(), _id="a1", account_id="acme", version=2))
    db.articles.insert_one(dict(article(state="draft"), _id="a2", account_id="acme", version=1))
    db.index_stats.insert_one({"_id": "acme", "documents": 1})
    db.index_docs.insert_one({"_id": "a1", "account_id": "acme", "terms": ["турникет"]})
    Store.create_indexes(db)
    assert db.index_stats.find_one({}) is None
    assert {doc["_id"]: doc["searchable"] for doc in db.index_docs.find()} == {"a1": True,
                                                                               "a2": False}
    assert found(Store(db), AGENT, "турникет") == ["a1"]


def test_documents_an_older_analysis_wrote_are_rebuilt_at_start(replicas):
    """Issue 25 changed the terms (stop words, families, the change date): an index document
    without the current LAYOUT is written again from its article when the service starts, and
    the change log tells every replica."""
    from services.knowledge.index_documents import LAYOUT
    one, two = replicas
    kept = one.articles.create("acme", AGENT.as_reference(),
                               article(title="Выезд", body="Сколько стоит выезд."))
    db = one.articles.articles.database
    db.index_docs.update_one({"_id": kept["_id"]}, {"$unset": {"layout": "", "families": ""}})
    assert found(two, AGENT, "стоит") == [kept["_id"]]  # by the body's own word
    assert found(Store(db, AccountIndexes()), AGENT, "стоимость") == []  # no families yet
    Store.create_indexes(db)
    rebuilt = db.index_docs.find_one({"_id": kept["_id"]})
    assert rebuilt["layout"] == LAYOUT and "сто:сто" in rebuilt["families"]
    assert found(two, AGENT, "стоимость") == [kept["_id"]]


def test_contacts_see_articles_chosen_for_their_category_or_service_level(replicas):
    kb, _ = replicas
    write = lambda **f: kb.articles.create("acme", AGENT.as_reference(), article(**f))  # noqa: E731
    public = write()
    gold = write(visibility="categories", client_categories=["gold"])
    premium = write(visibility="categories", service_levels=["level-premium"])
    internal = write(visibility="internal")
    cases = {contact(): {public["_id"]},
             contact("gold"): {public["_id"], gold["_id"]},
             contact("silver", ["level-premium"]): {public["_id"], premium["_id"]},
             contact("gold", ["level-premium", "level-basic"]):
                 {public["_id"], gold["_id"], premium["_id"]}}
    for actor, visible in cases.items():
        assert set(found(kb, actor, "турникет")) == visible
        docs, _ = kb.articles.list_readable(actor, {"limit": 10})
        assert {doc["_id"] for doc in docs} == visible
        for hidden in {public["_id"], gold["_id"], premium["_id"], internal["_id"]} - visible:
            with pytest.raises(NotFound):
                kb.articles.readable(actor, hidden)
    assert len(found(kb, AGENT, "турникет")) == 4


def test_an_audience_needs_the_categories_visibility():
    assert article(visibility="categories", service_levels=["l1"])["service_levels"] == ["l1"]
    with pytest.raises(ValidationFailed) as failed:
        article(service_levels=["l1"])
    assert "service_levels" in failed.value.fields


def test_search_index_rejects_nothing_it_cannot_find(db):
    """A search of an account with no articles yet answers nothing and loads an empty index."""
    index = SearchIndex(db, AccountIndexes())
    assert index.search("acme", "турникет", lambda entry: True, 10, BUILT_IN) == []


def test_cached_weights_score_exactly_as_bm25f_while_the_epoch_holds(replicas):
    """The per-term weights kept between searches give the scores `ranking.score` computes from
    scratch with the epoch's averages, also after articles were added and removed (times the
    title bonus: both query words are in every title here)."""
    from services.knowledge import memory_index, ranking
    kb, _ = replicas
    bodies = ["турникет " * n + "карта считыватель" for n in range(1, 40)]
    created = [kb.articles.create("acme", AGENT.as_reference(), article(body=body))
               for body in bodies]
    found(kb, AGENT, "турникет карта")  # weights cached for both terms
    kb.articles.replace("acme", created[0]["_id"], AGENT.as_reference(), article(state="draft"))
    kb.articles.create("acme", AGENT.as_reference(), article(body="карта"))
    memory = kb.articles.index.memory.indexes["acme"][0]
    hits = memory.search("турникет карта", lambda entry: True, 50)
    documents = len(memory.entries)
    idfs = {term: ranking.idf(memory.frequency(term), documents) for term in ("турникет", "карт")}
    for article_id, score, matched, entry in hits:
        counts = {term: dict(zip(ranking.FIELDS, memory.holders(term)[article_id]))
                  for term in matched}
        assert score == pytest.approx(ranking.score(counts, entry.lengths, memory.epoch_averages,
                                                    idfs) * (1 + memory_index.TITLE_BONUS))
    assert len(hits) == len(bodies)  # one unpublished, one added


def test_warming_loads_every_account_and_catches_up_with_changes(replicas):
    one, two = replicas
    one.articles.create("acme", AGENT.as_reference(), article())
    one.articles.create("globex", AGENT.as_reference(), article())
    two.articles.index.warm()
    held = two.articles.index.memory.indexes
    assert {account: len(index) for account, (index, _) in held.items()} == {"acme": 1,
                                                                             "globex": 1}
    one.articles.create("acme", AGENT.as_reference(), article(title="Шлагбаум"))
    two.articles.index.warm()
    assert len(held["acme"][0]) == 2 and held["acme"][1] == 2


def test_loading_an_account_computes_the_gains_of_its_common_terms(replicas, monkeypatch):
    from services.knowledge import memory_index
    monkeypatch.setattr(memory_index, "PRIMED_FREQUENCY", 3)
    one, two = replicas
    for n in range(3):
        one.articles.create("acme", AGENT.as_reference(), article(title=f"Шлагбаум {n}"))
    one.articles.create("acme", AGENT.as_reference(), article(title="Домофон", body="Трубка."))
    two.articles.index.warm()
    memory = two.articles.index.memory.indexes["acme"][0]
    assert memory.primed() == {term for term in memory.postings if memory.frequency(term) >= 3}
    assert "шлагбаум" in memory.primed() and "домофон" not in memory.primed()
