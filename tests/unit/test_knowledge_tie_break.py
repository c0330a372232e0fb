"""Equal scores are ordered by what the articles say, never by chance: the query's words in the
title, then the newest change, then the title, and the id last. Two installations with the same
articles (other ids, another order of writing) rank every query the same."""
import datetime
import json
import random
from pathlib import Path

from services.knowledge.index_documents import index_document
from services.knowledge.memory_index import MemoryIndex
from services.knowledge.synonyms import BUILT_IN

CORPUS = Path(__file__).resolve().parents[2] / "bench" / "knowledge_corpus"
DAY = datetime.datetime(2026, 12, 1, 12, 0)


def document(article_id, title, body, tags=(), updated_at=DAY):
    return index_document({"_id": article_id, "account_id": "acme", "version": 1,
                           "state": "published", "title": title, "body": body,
                           "tags": list(tags), "visibility": "all_clients",
                           "updated_at": updated_at})


def ranked(memory, query):
    return [(entry.title, entry.article_id)
            for _, _, _, entry in memory.search(query, lambda entry: True, 10, BUILT_IN)]


def order_of_ties(*documents):
    """The order `MemoryIndex` gives articles whose scores are equal, for the query term «замок»."""
    memory = MemoryIndex()
    for doc in documents:
        memory.put(doc["_id"], doc)
    scores = {entry.slot: 1.5 for entry in memory.entries.values()}
    wanted = frozenset().union(*memory.expand([("замок", "замок")]))
    return [entry.article_id for entry, _ in memory._best(scores, 10, wanted)]


def test_equal_scores_go_first_to_the_query_words_in_the_title():
    assert order_of_ties(document("a", "Дверь", "Замок"),
                         document("b", "Замок двери", "Текст")) == ["b", "a"]


def test_then_to_the_newest_change_then_by_title_then_by_id():
    assert order_of_ties(
        document("b", "Замок двери", "Текст", updated_at=DAY),
        document("a", "Замок двери", "Текст", updated_at=DAY),
        document("c", "Замок двери", "Текст", updated_at=DAY + datetime.timedelta(1)),
        document("d", "Двери замок", "Текст", updated_at=DAY)) == ["c", "d", "a", "b"]


def test_the_best_of_many_include_every_article_tied_with_the_last():
    """A tie at the edge of the best N is broken by the same rule, not by which came first."""
    memory = MemoryIndex()
    for article_id in ("e", "d", "c", "b", "a"):
        memory.put(article_id, document(article_id, "Замок", "Текст"))
    hits = memory.search("замок", lambda entry: True, 1, BUILT_IN)
    assert [hit[0] for hit in hits] == ["a"]


def installation(articles, ids, order):
    memory = MemoryIndex()
    for position in order:
        article = articles[position]
        memory.put(ids[position], document(ids[position], article["title"], article["body"],
                                           tags=article["tags"]))
    return memory


def test_two_installations_with_the_same_articles_rank_every_query_the_same():
    """The corpus written twice, each article also under a second copy (ties on every score),
    with other ids and in another order; each installation's last articles arrive after its first
    searches (the average lengths move on while searches are cached)."""
    with open(CORPUS / "articles.jsonl", encoding="utf-8") as lines:
        articles = [json.loads(line) for line in lines][:120]
    articles = articles + articles  # copies: equal scores everywhere
    with open(CORPUS / "queries.jsonl", encoding="utf-8") as lines:
        queries = [json.loads(line)["query"] for line in lines]
    shuffled = list(range(len(articles)))
    random.Random(25).shuffle(shuffled)
    one = installation(articles, [f"{n:04d}" for n in range(len(articles))],
                       range(len(articles) - 20))
    two = installation(articles, [f"x{random.Random(n).random()}" for n in range(len(articles))],
                       [n for n in shuffled if n < len(articles) - 20])
    for query in queries[:20]:
        one.search(query, lambda entry: True, 10, BUILT_IN)
        two.search(query, lambda entry: True, 10, BUILT_IN)
    for position in range(len(articles) - 20, len(articles)):
        one.put(f"{position:04d}", document(f"{position:04d}", articles[position]["title"],
                                            articles[position]["body"],
                                            tags=articles[position]["tags"]))
        two.put(f"x{random.Random(position).random()}", document(
            f"x{random.Random(position).random()}", articles[position]["title"],
            articles[position]["body"], tags=articles[position]["tags"]))
    for query in queries:
        first = one.search(query, lambda entry: True, 10, BUILT_IN)
        second = two.search(query, lambda entry: True, 10, BUILT_IN)
        assert [(entry.title, score) for _, score, _, entry in first] == [
            (entry.title, score) for _, score, _, entry in second], query


def test_the_best_articles_gain_a_fifth_for_the_query_words_in_their_title():
    """Of two articles that match about as well, the one whose title says what was asked comes
    first: the best RERANKED scores grow by TITLE_BONUS times the share of query words in the
    title."""
    from services.knowledge import memory_index
    memory = MemoryIndex()
    memory.put("a", document("a", "Замок двери", "Текст"))
    memory.put("b", document("b", "Дверь", "Замок текст"))
    memory.put("c", document("c", "Калитка", "Замок"))
    slots = {article_id: memory.entries[article_id].slot for article_id in "abc"}
    groups = memory.expand([("замок", "замок"), ("калитк", "калитка")])
    scores = {slot: 1.0 for slot in slots.values()}
    memory._title_bonus(scores, groups, frozenset().union(*groups))
    assert scores[slots["a"]] == scores[slots["c"]] == 1 + memory_index.TITLE_BONUS / 2
    assert scores[slots["b"]] == 1.0
