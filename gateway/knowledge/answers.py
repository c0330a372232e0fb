"""Answer a ticket with an article: the gateway puts three calls together.

1. `knowledge.get_article` as the caller: the article must be in the caller's account (404) and
   readable by the ticket's audience, the client's contacts: published and visible to all
   clients (422 `article_id` otherwise: an internal article is never sent in a public comment).
2. `knowledge.get_answer`: if the ticket was already answered with the article, that relation is
   the answer (200) and nothing is posted again. Only employees get past this step (403).
3. `tickets.get_ticket` and, unless a public comment on the ticket already carries the article's
   link (left by an attempt whose recording failed), `tickets.add_comment` with the title, the
   excerpt and the link `/kb/articles/{id}`, visibility public.
4. `knowledge.record_answer`: the relation, idempotent per ticket and article.

If the comment was added but the relation could not be recorded, the answer is 503 with the
comment's id: posting the same answer again is safe, because step 3 finds the comment and does
not add a second one, and step 4 stores the relation once.
"""
from gateway.calls import call
from services.shared.errors import Unavailable, ValidationFailed
from services.tickets.schemas import CommentCreateSchema

COMMENT_CREATE = CommentCreateSchema()


def link(article_id):
    return f"/kb/articles/{article_id}"


def comment_body(article):
    parts = [article["title"], article.get("excerpt") or "", link(article["id"])]
    return "\n\n".join(part for part in parts if part)


def refuse_unless_public(article):
    if article.get("state") != "published":
        reason = "Only a published article can answer a ticket."
    elif article.get("visibility") not in ("all_clients", "public"):
        reason = ("The answer is a public comment: the article must be visible to all clients "
                  f"(its visibility is {article.get('visibility')}).")
    else:
        return
    raise ValidationFailed.from_fields({"article_id": [reason]})


def earlier_comment(ticket, article_id):
    """A public comment on the ticket that already carries the article's link."""
    target = link(article_id)
    for comment in ticket.get("comments") or []:
        if comment.get("visibility") == "public" and target in (comment.get("body") or ""):
            return comment
    return None


def answer_with_article(ticket_id, article_id):
    """(answer, HTTP status): 201 when the ticket is answered now, 200 when it was before."""
    article = call("knowledge", "get_article", article_id)
    refuse_unless_public(article)
    existing = call("knowledge", "get_answer", ticket_id, article_id)
    if existing is not None:
        return dict(existing, created=False), 200
    ticket = call("tickets", "get_ticket", ticket_id)
    comment = earlier_comment(ticket, article_id) or call(
        "tickets", "add_comment", ticket_id, schema=COMMENT_CREATE,
        data={"body": comment_body(article), "visibility": "public"})
    try:
        recorded = call("knowledge", "record_answer", article_id, ticket_id, comment["id"])
    except Exception as error:  # noqa: BLE001 - whatever failed, the comment is on the ticket
        reason = getattr(error, "detail", None) or type(error).__name__
        raise Unavailable(
            "The article was posted on the ticket, but the answer could not be recorded "
            f"({reason}). Posting the same answer again is safe: the comment is not "
            "repeated.", {"comment_id": comment["id"], "retry": "safe"}) from None
    return dict(recorded["answer"], created=recorded["created"]), (
        201 if recorded["created"] else 200)
