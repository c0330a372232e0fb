"""The deflection report: pure arithmetic over suggestion records, no database.

A suggestion record says which articles were shown (`shown`), which of them were opened
(`opened`) and, once known, whether a ticket was created anyway (`outcome.ticket_created`).

Per article, over the suggestions that showed it:
- `shown`: suggestions that showed it; `opened`: of those, the ones where it was opened;
- `deflected`: opened, and the outcome says no ticket was created;
- `tickets_created`: opened, and a ticket was created anyway;
- `awaiting_outcome`: opened, no outcome recorded yet;
- `deflection_rate`: deflected / (deflected + tickets_created), over openings whose outcome is
  known; None when there is none.

The total counts suggestions, not article impressions (two articles opened in one suggestion
make one deflection, not two): `suggestions` (all records), `shown` (with at least one article),
`opened` (at least one article opened), and `deflected`, `tickets_created`, `awaiting_outcome`,
`deflection_rate` as above for those.
"""
from collections import defaultdict

COUNTS = ("shown", "opened", "deflected", "tickets_created", "awaiting_outcome")


def rate(deflected, tickets_created):
    decided = deflected + tickets_created
    return round(deflected / decided, 4) if decided else None


def _after_opening(counts, outcome):
    """Add one opening with its `outcome` (a dict or None) to `counts`."""
    counts["opened"] += 1
    if outcome is None:
        counts["awaiting_outcome"] += 1
    elif outcome.get("ticket_created"):
        counts["tickets_created"] += 1
    else:
        counts["deflected"] += 1


def report(records, article_id=None, titles=None):
    """{"total": {...}, "articles": [{article_id, title, ...}]} over `records`; with
    `article_id`, only suggestions that showed that article and only its row. Articles are listed
    by times shown, most first, then by id."""
    titles = titles or {}
    per_article = defaultdict(lambda: dict.fromkeys(COUNTS, 0))
    total = dict.fromkeys(("suggestions",) + COUNTS, 0)
    for record in records:
        shown = list(dict.fromkeys(record.get("shown") or []))
        if article_id is not None and article_id not in shown:
            continue
        opened = set(record.get("opened") or []).intersection(shown)
        outcome = record.get("outcome")
        total["suggestions"] += 1
        if shown:
            total["shown"] += 1
        if opened:
            _after_opening(total, outcome)
        for shown_id in shown:
            if article_id is not None and shown_id != article_id:
                continue
            counts = per_article[shown_id]
            counts["shown"] += 1
            if shown_id in opened:
                _after_opening(counts, outcome)
    rows = [dict(counts, article_id=key, title=titles.get(key),
                 deflection_rate=rate(counts["deflected"], counts["tickets_created"]))
            for key, counts in per_article.items()]
    rows.sort(key=lambda row: (-row["shown"], row["article_id"]))
    total["deflection_rate"] = rate(total["deflected"], total["tickets_created"])
    return {"total": total, "articles": rows}
