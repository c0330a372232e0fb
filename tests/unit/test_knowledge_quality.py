"""Search quality on the Russian corpus of bench/knowledge_corpus: the whole path from the
articles' Markdown through the index in the embedded store to the ranked hits, on the three
query sets (bench/knowledge_search.py reports the same figures per kind, beside PostgreSQL).
The floors sit a little under what docs/performance.md reports, so that a change that loses
quality fails here."""
import json
from pathlib import Path

from services.knowledge.store.search_index import AccountIndexes, SearchIndex
from services.knowledge.synonyms import BUILT_IN

CORPUS = Path(__file__).resolve().parents[2] / "bench" / "knowledge_corpus"
FLOORS = {"queries.jsonl": (0.86, 0.96), "queries_holdout.jsonl": (0.85, 0.96),
          "queries_fresh.jsonl": (0.90, 0.96)}  # hit@1, hit@5


def read_lines(name):
    with open(CORPUS / name, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def test_hit_at_1_and_hit_at_5_stay_above_their_floors_on_every_query_set(db):
    SearchIndex.create_indexes(db)
    index = SearchIndex(db, AccountIndexes())
    for article in read_lines("articles.jsonl"):
        index.put({"_id": article["id"], "account_id": "acme", "title": article["title"],
                   "version": 1, "state": "published",
                   "body": article["body"], "tags": article["tags"],
                   "equipment_kinds": article.get("equipment_kinds", []),
                   "visibility": "all_clients", "section_id": None})
    measured = {}
    for name in FLOORS:
        queries = read_lines(name)
        hit1 = hit5 = 0
        for query in queries:
            ranked = [hit[0] for hit in index.search("acme", query["query"],
                                                     lambda entry: True, 10, BUILT_IN)]
            hit1 += bool(ranked) and ranked[0] == query["relevant"][0]
            hit5 += bool(set(ranked[:5]) & set(query["relevant"]))
        measured[name] = (hit1 / len(queries), hit5 / len(queries))
    print(f"\nknowledge search hit@1, hit@5: {measured}")
    assert all(measured[name][0] >= floor1 and measured[name][1] >= floor5
               for name, (floor1, floor5) in FLOORS.items()), measured
