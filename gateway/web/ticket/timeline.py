"""One timeline of a ticket, oldest first: comments (public and internal, knowledge answers among
them), history with people's names, calls with their recordings, works, partner sharing. It only
arranges what the services returned; every fact is theirs."""
import re
from datetime import datetime, timezone

from gateway.web.formatting import as_datetime

# The link a knowledge answer's comment carries (gateway/knowledge/answers.py writes it).
ARTICLE_LINK = re.compile(r"/kb/articles/([\w-]+)")
# History fields whose values are ids, shown by the names the tickets service gave for them.
NAMED_FIELDS = {"assignee_id": "employees", "assignee_group_id": "groups", "client_id": "clients",
                "contact_id": "contacts", "site_id": "sites", "equipment_id": "equipment"}
SHOWN_ITSELF = ("comments", "works", "calls")
EARLIEST = datetime.min.replace(tzinfo=timezone.utc)


def when(value):
    moment = as_datetime(value) if value else None
    if moment is None:
        return EARLIEST
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def person(reference, names, fallback=None):
    """A name for an actor reference: an employee's from `names`, else what the entry says."""
    reference = reference or {}
    kind = {"employee": "employees", "contact": "contacts"}.get(reference.get("kind"))
    if kind:
        return names[kind].get(reference.get("id")) or reference.get("id")
    return fallback or reference.get("name") or reference.get("kind")


def shown_value(field, value, names):
    if isinstance(value, dict):
        return value.get("call_id") or value.get("code") or value.get("id")
    kind = NAMED_FIELDS.get(field)
    return names[kind].get(value, value) if kind and value else value


def entries(ticket, names, correlations, partners):
    """[(kind, at, fields)] sorted by time: what templates/ticket/timeline.html draws."""
    found = []
    for comment in ticket.get("comments", []):
        article = ARTICLE_LINK.search(comment.get("body") or "")
        kind = "answer" if article and comment.get("visibility") == "public" else "comment"
        found.append((kind, comment.get("created_at"), dict(
            comment, who=person(comment.get("author"), names, comment.get("author_name")),
            article_id=article.group(1) if article else None)))
    for entry in ticket.get("history", []):
        if entry.get("field") in SHOWN_ITSELF and (entry.get("new") or entry["field"] == "comments"):
            continue  # the comment, work or call itself is on the timeline (a removal is not)
        found.append(("history", entry.get("at"), dict(
            entry, who=person(entry.get("actor"), names),
            old=shown_value(entry.get("field"), entry.get("old"), names),
            new=shown_value(entry.get("field"), entry.get("new"), names))))
    recordings = {}
    for recording in ticket.get("recordings", []):
        recordings.setdefault(recording.get("call_id"), []).append(recording.get("reference"))
    for call in ticket.get("calls", []):
        found.append(("call", call.get("at") or call.get("linked_at"), dict(
            call, recordings=recordings.get(call.get("call_id"), []))))
    for work in ticket.get("works", []):
        found.append(("work", work.get("at"), dict(
            work, who=names["employees"].get(work.get("performed_by"), work.get("performed_by")))))
    for correlation in correlations:
        found.append(("share", correlation.get("created_at"), dict(
            correlation, partner=partners.get(correlation.get("link_id")))))
    return sorted(found, key=lambda item: when(item[1]))


def playable(reference):
    """A recording the browser can play itself: a web address (other PBXs give their own ids)."""
    return isinstance(reference, str) and reference.startswith(("https://", "http://"))
