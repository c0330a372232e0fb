"""The contact's requests: /p/<slug>/ (the list: their own or their company's, as the tickets
service scopes list_tickets for a contact), /p/<slug>/requests/<id> (one call,
tickets.portal_ticket: public comments only), and the forms on it: reply (add_comment, public),
confirm or reopen within the account's window (portal_confirm, portal_reopen), rate the work
(rate_ticket). A refusal shows on the page with its reason."""
from flask import redirect, render_template, request, url_for

from gateway.calls import call
from gateway.i18n import gettext
from gateway.web.forms import field_errors, posted
from gateway.web.portal.views import blp
from services.shared.errors import Conflict, ValidationFailed

PAGE_SIZE = 50
SHOWN = {"open": ["opened", "in_progress", "waiting", "reopened"], "done": ["resolved", "closed"]}


@blp.get("/")
def home(slug):
    shown = request.args.get("show") if request.args.get("show") in SHOWN else None
    query = {"limit": PAGE_SIZE, "sort": "-updated_at"}
    if shown:
        query["status"] = SHOWN[shown]
    if request.args.get("cursor"):
        query["cursor"] = request.args["cursor"]
    return render_template("portal/requests.html", page=call("tickets", "list_tickets", query),
                           shown=shown)


def ticket_page(ticket_id, errors=None, status=200, notice=None):
    found = call("tickets", "portal_ticket", ticket_id)
    return render_template("portal/request.html", errors=errors or {}, notice=notice,
                           **found), status


@blp.get("/requests/<ticket_id>")
def ticket(slug, ticket_id):
    return ticket_page(ticket_id, notice=request.args.get("done") and gettext("Thank you, it is saved."))


def after(slug, ticket_id):
    return redirect(url_for("web.portal.ticket", slug=slug, ticket_id=ticket_id, done=1) + "#timeline", 303)


@blp.post("/requests/<ticket_id>/reply")
def reply(slug, ticket_id):
    try:
        call("tickets", "add_comment", ticket_id, dict(posted("body"), visibility="public"))
    except ValidationFailed as error:
        return ticket_page(ticket_id, {"body": field_errors(error).get("body", [])}, 422)
    return after(slug, ticket_id)


@blp.post("/requests/<ticket_id>/<any(confirm, reopen):action>")
def feedback(slug, ticket_id, action):
    form = {"comment": request.form.get("comment", "").strip() or None}
    try:
        call("tickets", f"portal_{action}", ticket_id, form)
    except ValidationFailed as error:
        return ticket_page(ticket_id, {"comment": field_errors(error).get("comment", [])}, 422)
    except Conflict:
        return ticket_page(ticket_id, {"": [gettext(
            "This is no longer possible: the time to confirm or reopen is over, or the request "
            "has moved on.")]}, 409)
    return after(slug, ticket_id)


@blp.post("/requests/<ticket_id>/rating")
def rate(slug, ticket_id):
    form = posted("score", "comment")
    if "score" in form:
        form["score"] = int(form["score"]) if form["score"].isdigit() else form["score"]
    try:
        call("tickets", "rate_ticket", ticket_id, form)
    except ValidationFailed as error:
        return ticket_page(ticket_id, field_errors(error), 422)
    except Conflict:
        return ticket_page(ticket_id, {"": [gettext("The request is rated already.")]}, 409)
    return after(slug, ticket_id)
