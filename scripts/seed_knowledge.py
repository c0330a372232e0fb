"""The seeded knowledge base: the 329 articles of bench/knowledge_corpus in their nine sections,
published, so that search can be tried on a realistic base (docs/knowledge.md lists sample
queries and what they find).

Visibility, to show every audience: an article whose number ends in 0 is internal (an engineers'
note: employees only), one ending in 5 is for clients of category "gold" only, every other one is
for all clients.
"""
import json
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "bench" / "knowledge_corpus" / "articles.jsonl"


def audience(article_id):
    last = article_id[-1]
    if last == "0":
        return {"visibility": "internal"}
    if last == "5":
        return {"visibility": "categories", "client_categories": ["gold"]}
    return {"visibility": "all_clients"}


def seed_knowledge(post, headers):
    """Publish the corpus through the API with `post(path, body, headers)`; the article count."""
    with open(CORPUS, encoding="utf-8") as lines:
        articles = [json.loads(line) for line in lines if line.strip()]
    sections = {}
    for article in articles:
        name = article["section"]
        if name not in sections:
            sections[name] = post("/api/v1/kb/sections", {"name": name}, headers).json()["id"]
        post("/api/v1/kb/articles", {
            "title": article["title"], "body": article["body"], "tags": article["tags"],
            "equipment_kinds": article["equipment_kinds"], "section_id": sections[name],
            "state": "published", **audience(article["id"])}, headers)
    return len(articles)
