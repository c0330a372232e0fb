"""Search quality on the Russian corpus of bench/knowledge_corpus: the whole path from the
articles' Markdown through the index in the embedded store to the ranked hits."""
import json
from pathlib import Path

from services.knowledge.store.search_index import AccountIndexes, SearchIndex
from services.knowledge.synonyms import BUILT_IN

CORPUS = Path(__file__).resolve().parents[2] / "bench" / "knowledge_corpus"


def read_lines(name):
    with open(CORPUS / name, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def test_hit_at_5_on_the_corpus_is_at_least_three_quarters(db):
    SearchIndex.create_indexes(db)
    index = SearchIndex(db, AccountIndexes())
    for article in read_lines("articles.jsonl"):
        index.put({"_id": article["id"], "account_id": "acme", "title": article["title"],
                   "version": 1, "state": "published",
                   "body": article["body"], "tags": article["tags"],
                   "equipment_kinds": article.get("equipment_kinds", []),
                   "visibility": "all_clients", "section_id": None})
    queries = read_lines("queries.jsonl")
    hit1 = hit5 = reciprocal = 0.0
    for query in queries:
        ranked = [hit[0] for hit in index.search("acme", query["query"], lambda entry: True, 10,
                                                    BUILT_IN)]
        ranks = [position for position, found in enumerate(ranked) if found in query["relevant"]]
        if ranks:
            hit1 += ranks[0] == 0
            hit5 += ranks[0] < 5
            reciprocal += 1 / (ranks[0] + 1)
    count = len(queries)
    print(f"\nknowledge search on {count} queries: hit@1 {hit1 / count:.3f}, "
          f"hit@5 {hit5 / count:.3f}, MRR@10 {reciprocal / count:.3f}")
    assert hit5 / count >= 0.75
