"""What the bridge tells about partners: the manufacturer's view and the partner's view.

Both read the account's correlations: `created_at` is when a ticket was shared (or arrived),
`first_reply_at` when the other side's first status or public comment was applied here, and
`remote_resolved_at` when it reported the ticket resolved or closed. Times are measured here,
on arrival, so they include the delivery: a partner whose answers wait in a paused link is
slower for it, which is what its counterpart experienced.

The manufacturer's view: per partner, tickets shared with it and from it, its reaction and
resolution times on the tickets shared with it; over every shared ticket, the most frequent
equipment models and problems (titles, case and spacing ignored). The partner's view: each
request it shared with a manufacturer, the number it got there and how long the answer took.
"""
from statistics import median

ORIGIN, REPLICA = "origin", "replica"


def _minutes(start, end):
    if start is None or end is None:
        return None
    return round((end - start).total_seconds() / 60, 1)


def _durations(values):
    values = [v for v in values if v is not None]
    if not values:
        return {"count": 0, "median_minutes": None, "average_minutes": None}
    return {"count": len(values), "median_minutes": round(median(values), 1),
            "average_minutes": round(sum(values) / len(values), 1)}


def _top(counts, limit):
    ranked = sorted(counts.items(), key=lambda item: (-item[1]["tickets"], item[0]))
    return [entry for _, entry in ranked[:limit]]


def _problem_key(title):
    return " ".join(title.lower().split())


def manufacturer_view(correlations, links, *, top=10):
    """The manufacturer's report over its correlations and links (plain documents)."""
    names = {link["link_id"]: (link.get("partner") or {}).get("account_name") for link in links}
    partners, models, problems = {}, {}, {}
    for correlation in correlations:
        row = partners.setdefault(correlation["link_id"], {
            "link_id": correlation["link_id"], "partner_name": names.get(correlation["link_id"]),
            "shared_with": 0, "shared_from": 0, "reaction": [], "resolution": []})
        if correlation["side"] == ORIGIN:
            row["shared_with"] += 1
            row["reaction"].append(_minutes(correlation["created_at"], correlation.get("first_reply_at")))
            row["resolution"].append(_minutes(correlation["created_at"],
                                              correlation.get("remote_resolved_at")))
        else:
            row["shared_from"] += 1
        summary = correlation.get("summary") or {}
        equipment = summary.get("equipment") or {}
        if equipment.get("model"):
            key = f"{equipment.get('manufacturer') or ''}\x00{equipment['model']}"
            entry = models.setdefault(key, {"manufacturer": equipment.get("manufacturer"),
                                            "model": equipment["model"], "tickets": 0})
            entry["tickets"] += 1
        if summary.get("title"):
            entry = problems.setdefault(_problem_key(summary["title"]),
                                        {"problem": summary["title"], "tickets": 0})
            entry["tickets"] += 1
    rows = []
    for row in partners.values():
        reaction, resolution = row.pop("reaction"), row.pop("resolution")
        rows.append(dict(row, reaction=_durations(reaction), resolution=_durations(resolution)))
    rows.sort(key=lambda r: (-(r["shared_with"] + r["shared_from"]), r["partner_name"] or ""))
    return {"partners": rows, "equipment_models": _top(models, top),
            "problems": _top(problems, top)}


def partner_requests(correlations, links):
    """The partner's view: the tickets it shared, newest first, with the answer's times."""
    names = {link["link_id"]: (link.get("partner") or {}).get("account_name") for link in links}
    return [{"ticket_id": c["local_ticket_id"], "link_id": c["link_id"],
             "partner_name": names.get(c["link_id"]), "remote_number": c.get("remote_number"),
             "state": c["state"], "title": (c.get("summary") or {}).get("title"),
             "shared_at": c["created_at"], "first_reply_at": c.get("first_reply_at"),
             "resolved_at": c.get("remote_resolved_at"),
             "reaction_minutes": _minutes(c["created_at"], c.get("first_reply_at")),
             "resolution_minutes": _minutes(c["created_at"], c.get("remote_resolved_at"))}
            for c in sorted(correlations, key=lambda c: c["created_at"], reverse=True)
            if c["side"] == ORIGIN]
