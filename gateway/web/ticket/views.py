"""The ticket page, /tickets/<id>: header with the allowed status moves, the coverage verdict, the
SLA clocks, one timeline, and the forms that change the ticket. Every form calls the RPC behind
the API endpoint that does the same (named beside each view); a refusal is shown on the page
beside the form that caused it, and htmx swaps the page's body in place of a reload."""
from flask import Blueprint, g, redirect, render_template, request, url_for

from gateway.calls import call, first_page
from gateway.i18n import gettext
from gateway.knowledge.answers import answer_with_article
from gateway.web.errors import MESSAGES
from gateway.web.forms import field_errors, posted
from gateway.web.ticket import timeline
from gateway.web.ticket.fanout import resolved_actor, together
from services.shared.errors import Conflict, Forbidden, ValidationFailed
from services.shared.page_schemas import MAX_PAGE

blp = Blueprint("ticket", __name__, template_folder="templates")
STAFF_PAGE = 100       # the assignee picker
ARTICLE_HITS = 5       # "answer with an article" while typing
RECENT_CALLS = 10      # "link a call"
STATUS_OF = {Conflict: 409, Forbidden: 403}


def hx():
    return bool(request.headers.get("HX-Request"))


def optional(service, method, *args):
    """A panel only some roles may see (partner links: admins; sharing: office staff): None for
    the others, whose page shows the rest."""
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


def caller_phones(ticket):
    """The numbers to look calls up by: the ticket's contact's, then those its calls came from."""
    phones = []
    if ticket.get("contact_id") and ticket.get("client_id"):
        phones = call("tickets", "get_contact", ticket["client_id"], ticket["contact_id"])["phones"]
    phones += [c["number"] for c in ticket.get("calls", []) if c.get("number")]
    return list(dict.fromkeys(phones))


def page_context(ticket_id):
    """What the page shows: the same RPCs whatever the length of the timeline, in two rounds."""
    ticket, g.actor = together((call, "tickets", "get_ticket", ticket_id),  # GET /tickets/{id}
                               (resolved_actor,))
    names, staff, groups, prices, links, shared, phones = together(
        (call, "tickets", "names_of", timeline.referenced_ids(ticket)),
        (call, "tickets", "list_employees", {"active": True, "limit": STAFF_PAGE}),
        (first_page, "tickets", "list_groups"),
        (first_page, "tickets", "list_price_items"),
        (optional, "partner_bridge", "list_links", {"state": "active", "limit": MAX_PAGE}),
        (optional, "partner_bridge", "list_correlations", {"ticket_id": ticket["id"]}),
        (caller_phones, ticket))
    assignees = [(person["id"], person["name"]) for person in staff["items"]]
    if ticket.get("assignee_id") not in (None, *(value for value, _ in assignees)):
        # An assignee no longer active (or beyond the picker's page) stays chosen, by name.
        assignees.append((ticket["assignee_id"],
                          names["employees"].get(ticket["assignee_id"], ticket["assignee_id"])))
    partners = {link["id"]: (link.get("partner") or {}).get("account_name")
                for link in (links or {}).get("items", [])}
    return {"ticket": ticket, "names": names, "assignees": assignees,
            "groups": [(group["id"], group["name"]) for group in groups],
            "prices": [item for item in prices if item.get("active")],
            "links": None if links is None else links["items"], "phones": phones,
            "timeline": timeline.entries(ticket, names, (shared or {}).get("items", []), partners),
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
