"""The ticket page, /tickets/<id>: header with the allowed status moves, the coverage verdict, the
SLA clocks, one timeline, and the forms that change the ticket. Every form calls the RPC behind
the API endpoint that does the same (named beside each view); a refusal is shown on the page
beside the form that caused it, and htmx swaps the page's body in place of a reload."""
from concurrent.futures import ThreadPoolExecutor

from flask import (Blueprint, copy_current_request_context, g, redirect, render_template, request,
                   session, url_for)

from gateway.calls import call
from gateway.i18n import gettext
from gateway.knowledge.answers import answer_with_article
from gateway.web.errors import MESSAGES
from gateway.web.forms import field_errors, posted
from gateway.web.ticket import timeline
from services.shared.errors import Conflict, Forbidden, ValidationFailed

blp = Blueprint("ticket", __name__, template_folder="templates")
ARTICLE_HITS = 5       # "answer with an article" while typing
RECENT_CALLS = 10      # "link a call"
STATUS_OF = {Conflict: 409, Forbidden: 403}
# The partner panel's read beside the workspace's (page_context); the RPC pool bounds the calls.
SIDE_CALLS = ThreadPoolExecutor(8, thread_name_prefix="ticket-page")


def hx():
    return bool(request.headers.get("HX-Request"))


def optional(service, method, *args):
    """A panel only some roles may see (partner sharing: office staff): None for the others,
    whose page shows the rest."""
    try:
        return call(service, method, *args)
    except Forbidden:
        return None


def searched_articles(text):
    """GET /api/v1/kb/search: (articles, errors)."""
    if not text:
        return [], {}
    try:
        return call("knowledge", "search", {"q": text, "limit": ARTICLE_HITS})["items"], {}
    except ValidationFailed as error:
        return [], field_errors(error)


def recent_calls(number):
    """GET /api/v1/telephony/calls?number=: (calls, errors); None before a number is asked."""
    if not number:
        return None, {}
    try:
        found = call("telephony", "list_calls", {"number": number, "limit": RECENT_CALLS})
        return found["items"], {}
    except ValidationFailed as error:
        return [], field_errors(error)


def sharing_as(actor, ticket_id):
    """The partner panel read as `actor`, in a thread of its own with the request's context."""
    @copy_current_request_context
    def read():
        g.actor = actor
        return optional("partner_bridge", "ticket_sharing", ticket_id)
    return SIDE_CALLS.submit(read)


def page_context(ticket_id):
    """What the page shows, in two calls whatever the length of the timeline, side by side: the
    tickets service's workspace read (the ticket, the names of all it mentions, the pickers'
    choices; it authenticates the session and hands back the actor), and the partner panel, which
    partner_bridge (owning no credentials) reads as the actor the session signed in as. The panel
    is used only if the workspace's actor is that very actor (a revoked session fails the
    workspace read and shows nothing); otherwise it is read again as the workspace's actor."""
    signed_in_as = session.get("actor")
    early = sharing_as(signed_in_as, ticket_id) if signed_in_as else None
    workspace = call("tickets", "ticket_workspace", ticket_id)  # GET /tickets/{id} and more
    ticket, names, g.actor = workspace["ticket"], workspace["names"], workspace["actor"]
    if early is not None and workspace["actor"] == signed_in_as and ticket["id"] == ticket_id:
        sharing = early.result() or {}
    else:
        sharing = optional("partner_bridge", "ticket_sharing", ticket["id"]) or {}
    links = sharing.get("links")
    partners = {link["id"]: (link.get("partner") or {}).get("account_name")
                for link in links or ()}
    return {"ticket": ticket, "names": names, "assignees": workspace["assignees"],
            "groups": workspace["groups"], "prices": workspace["price_items"],
            "links": links, "phones": workspace["caller_numbers"],
            "timeline": timeline.entries(ticket, names, sharing.get("correlations") or [],
                                         partners),
            "playable": timeline.playable}


def show_page(ticket_id, status=200, errors=None, message=None):
    """The whole page, or its body for htmx; `errors` = {form: {field: reasons}}. Without
    JavaScript the article search and the calls of a number come in the query string."""
    calls, call_errors = recent_calls(request.args.get("call_number", "").strip())
    articles, article_errors = searched_articles(request.args.get("article_q", "").strip())
    context = dict(page_context(ticket_id), errors=errors or {}, message=message,
                   form=request.form, calls=calls, call_errors=call_errors, articles=articles,
                   article_errors=article_errors)
    template = "ticket/body.html" if hx() else "ticket/page.html"
    return render_template(template, **context), status


def refusal(error):
    if isinstance(error, Conflict) and error.extra.get("current_status"):
        return gettext("The ticket is already in another status; this move is no longer "
                       "possible. The page shows what it can do now.")
    return gettext(MESSAGES[type(error)])


def act(ticket_id, form_name, change):
    """Runs a change; the page again with the outcome (htmx), or a redirect to it (plain POST)."""
    try:
        change()
    except ValidationFailed as error:
        return show_page(ticket_id, 422, errors={form_name: field_errors(error)})
    except (Conflict, Forbidden) as error:
        return show_page(ticket_id, STATUS_OF[type(error)], message=refusal(error))
    if hx():
        return show_page(ticket_id)
    return redirect(url_for("web.ticket.show", ticket_id=ticket_id, _anchor=form_name))


@blp.get("/tickets/<string:ticket_id>")
def show(ticket_id):
    return show_page(ticket_id)


@blp.post("/tickets/<string:ticket_id>/comments")
def reply(ticket_id):
    """POST /api/v1/tickets/{id}/comments"""
    return act(ticket_id, "reply", lambda: call(
        "tickets", "add_comment", ticket_id, posted("body", "visibility")))


@blp.post("/tickets/<string:ticket_id>/status")
def change_status(ticket_id):
    """POST /api/v1/tickets/{id}/status"""
    return act(ticket_id, "status", lambda: call(
        "tickets", "change_status", ticket_id, posted("status")))


@blp.post("/tickets/<string:ticket_id>/fields")
def update(ticket_id):
    """PATCH /api/v1/tickets/{id}: priority, assignee, group (an empty choice clears it)."""
    changes = posted("priority", "assignee_id", "assignee_group_id")
    changes.update({name: None for name in ("assignee_id", "assignee_group_id")
                    if changes.get(name) == ""})
    return act(ticket_id, "fields", lambda: call("tickets", "update_ticket", ticket_id, changes))


@blp.post("/tickets/<string:ticket_id>/works")
def add_work(ticket_id):
    """POST /api/v1/tickets/{id}/works; a decimal comma is read as the point it means."""
    work = posted("code", "quantity", "note")
    if "quantity" in work:
        work["quantity"] = work["quantity"].strip().replace(",", ".")
    return act(ticket_id, "works", lambda: call("tickets", "add_work", ticket_id, work))


@blp.get("/tickets/<string:ticket_id>/articles")
def articles(ticket_id):
    """The articles matching what is typed (GET /api/v1/kb/search): a list for htmx, the page
    with the list otherwise."""
    if not hx():
        return redirect(url_for("web.ticket.show", ticket_id=ticket_id, _anchor="answer",
                                article_q=request.args.get("article_q", "")))
    found, errors = searched_articles(request.args.get("article_q", "").strip())
    return render_template("ticket/articles.html", articles=found, ticket_id=ticket_id,
                           article_errors=errors), 422 if errors else 200


@blp.post("/tickets/<string:ticket_id>/answers")
def answer(ticket_id):
    """POST /api/v1/tickets/{id}/answers: the same orchestration (gateway/knowledge/answers.py)."""
    return act(ticket_id, "answer", lambda: answer_with_article(
        ticket_id, request.form.get("article_id", "")))


@blp.post("/tickets/<string:ticket_id>/shares")
def share(ticket_id):
    """POST /api/v1/partner-links/{link_id}/shares"""
    link_id = request.form.get("link_id", "")
    return act(ticket_id, "share", lambda: call(
        "partner_bridge", "share_ticket", link_id, {"ticket_id": ticket_id}))


@blp.get("/tickets/<string:ticket_id>/calls")
def calls(ticket_id):
    """Recent calls of a number (GET /api/v1/telephony/calls?number=), to link one."""
    number = request.args.get("call_number", "").strip()
    if not hx():
        return redirect(url_for("web.ticket.show", ticket_id=ticket_id, _anchor="link-call",
                                call_number=number))
    found, errors = recent_calls(number)
    return render_template("ticket/calls.html", calls=found, ticket_id=ticket_id,
                           call_errors=errors), 422 if errors else 200


@blp.post("/tickets/<string:ticket_id>/calls")
def link_call(ticket_id):
    """POST /api/v1/telephony/calls/{call_id}/tickets"""
    return act(ticket_id, "link-call", lambda: call(
        "telephony", "link_call_to_ticket", request.form.get("call_id", ""),
        {"ticket_id": ticket_id}))
