"""A search request: the actor's scope and filters, the ranked index hits, their snippets."""
from services.knowledge.access import index_scope
from services.knowledge.rendering import plain_text
from services.knowledge.snippets import mark_all, snippet


def index_filter(kb, actor, query):
    """The filter on the search index: the actor's scope, the section subtree and the tag."""
    scope = index_scope(actor)
    if "section_id" in query:
        scope["section_id"] = {"$in": kb.sections.subtree(actor.account_id, query["section_id"])}
    if "tag" in query:
        scope["tags"] = query["tag"].lower()
    return scope


def search(kb, actor, query):
    """The best articles for `query["q"]` the actor may read, each with a marked snippet."""
    ranked = kb.articles.index.search(actor.account_id, query["q"],
                                      index_filter(kb, actor, query), query["limit"])
    if not ranked:
        return []
    articles = {doc["_id"]: doc for doc in kb.articles.articles.find(
        {"account_id": actor.account_id, "_id": {"$in": [hit[0] for hit in ranked]}},
        {"title": 1, "body": 1, "section_id": 1, "tags": 1})}
    hits = []
    for article_id, score, matched in ranked:
        article = articles.get(article_id)
        if article is None:
            continue
        hits.append({"id": article_id, "title": article["title"],
                     "title_marked": mark_all(article["title"], matched),
                     "section_id": article.get("section_id"), "tags": article.get("tags", []),
                     "score": round(score, 4),
                     "snippet": snippet(plain_text(article["body"]), matched)})
    return hits
