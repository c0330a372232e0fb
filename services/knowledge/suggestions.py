"""Suggestions for a draft ticket, and the record of what happened next.

One record per suggestion, in the account: who asked (`actor`), when (`created_at`), the articles
shown (`shown`, best first), those opened (`opened`) and the `outcome` (was a ticket still
created, which one, when recorded). Only the actor who was shown a suggestion records on it;
for anyone else it does not exist (NotFound). The draft's text is not kept.
"""
from services.knowledge import deflection, searching


def suggest(store, actor, request):
    """The best articles the actor may read for a draft ticket's title and description, and the
    record that they were shown."""
    text = f"{request['title']}\n{request.get('description') or ''}"
    hits = searching.search(store, actor, {"q": text, "limit": request["limit"]})
    record = store.suggestions.create(actor, [hit["id"] for hit in hits])
    return {"suggestion_id": record["_id"], "items": hits}


def deflection_report(store, account_id, query):
    """The deflection report of the account for the query's period and article."""
    first_day, last_day, article_id = query.get("from_"), query.get("to"), query.get("article_id")
    records = store.suggestions.in_period(account_id, first_day, last_day, article_id)
    ids = sorted({shown for record in records for shown in record.get("shown") or []})
    result = deflection.report(records, article_id, store.articles.titles(account_id, ids))
    result["period"] = {"from": first_day, "to": last_day}
    return result
