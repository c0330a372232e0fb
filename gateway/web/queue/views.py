"""The queue: /tickets, the account's tickets through the same RPC as GET /api/v1/tickets, with
filters, sorting, cursor pages, the person's saved views with their counts, bulk assignment and
status changes, and live refresh and the caller's screen pop over server-sent events (live.py).
Rendered whole, or only its results for htmx."""
import json
import os
import threading
import time
from urllib.parse import quote

from flask import (Blueprint, Response, current_app, redirect, render_template, request, session,
                   stream_with_context, url_for)
from markupsafe import escape

from gateway.calls import call, call_anonymous, first_page
from gateway.i18n import current_locale, gettext
from gateway.problems import SERVICE_ERRORS
from gateway.web import errors
from gateway.web.forms import field_errors, posted
from gateway.web.queue.live import Hub
from gateway.web.queue.vocabulary import QUEUE_LABELS, sla_badge, words
from services.shared.errors import Conflict, Forbidden, NotFound, ValidationFailed

blp = Blueprint("queue", __name__, template_folder="templates")
# (endpoint, label msgid, roles it is shown to): the console's menu; the RPC still decides.
NAVIGATION = [("web.queue.tickets", "Queue", ("admin", "dispatcher", "agent", "field_engineer"))]
blp.context_processor(lambda: {"queue_labels": QUEUE_LABELS, "sla_badge": sla_badge,
                               "words": lambda: words(current_locale())})
LIST_FILTERS = ("status", "priority", "sla_state")          # may repeat in the query string
ONE_FILTERS = ("assignee_id", "assignee_group_id", "client_id", "channel", "sla_target", "q",
               "sort")
PAGE_ROWS = 50
MORE_FILTERS = {"sla_target", "assignee_group_id", "client_id", "channel"}
DEFAULT_SORT = "-created_at"
STAFF_PAGE = 100  # the assignee picker and the names in the list
CLIENT_PAGE = 100  # the client picker
# What one gunicorn process gives live pages (docs/web.md): streams beyond the cap get 503 and
# the browser retries later; gunicorn_conf.py adds as many threads, so requests keep theirs.
LIVE_STREAMS = int(os.environ.get("GATEWAY_SSE_STREAMS", "24"))
LIVE_QUEUE = 32
# A page left behind holds its thread until a write finds the connection gone: beats 5 s apart
# free it within seconds when a person clicks from page to page (each console page has a stream).
HEARTBEAT_SECONDS = 5
LIFETIME_SECONDS = 300
RETRY_MILLISECONDS = 3000
CONSUMER_WAIT_SECONDS = 3
HUB_LOCK = threading.Lock()
# A bulk action's refusals of one ticket, shown on its row; the others go on.
ROW_REFUSALS = (Conflict, NotFound, Forbidden, ValidationFailed)


def query_of(args):
    """The RPC's query from the page's query string; empty choices are no filter. The service
    validates it (an unknown status is a 422 naming the field)."""
    query = {name: values for name in LIST_FILTERS if (values := [v for v in args.getlist(name) if v])}
    query.update({name: args[name] for name in ONE_FILTERS if args.get(name)})
    return query


def results(query, cursor=None, outcomes=None):
    """The list's part of the page: the tickets, the names for their ids, any 422."""
    errors = {}
    try:
        page = call("tickets", "list_tickets", dict(query, limit=PAGE_ROWS,
                                                    **({"cursor": cursor} if cursor else {})))
    except ValidationFailed as error:
        page, errors = {"items": [], "next_cursor": None}, field_errors(error)
    staff = call("tickets", "list_employees", {"active": True, "limit": STAFF_PAGE})["items"]
    return dict(page=page, query=query, staff=staff, errors=errors, outcomes=outcomes or {},
                names={person["id"]: person["name"] for person in staff})


def saved_views():
    """The person's views, without their counts (views.html fetches those after the page)."""
    return call("tickets", "list_saved_views")["items"]


def render_queue(query, cursor=None, outcomes=None, view_errors=None, views=None, status=200):
    shown = results(query, cursor, outcomes)
    if shown["errors"]:
        status = 422
    if request.headers.get("HX-Request") and not view_errors:
        return render_template("queue/results.html", **shown), status
    views = saved_views() if views is None else views
    # The pickers under "More filters" are filled when it opens, unless one of them is in use
    # (or ?more=1, without JavaScript): two RPCs most page loads do not need.
    more = bool(request.args.get("more") or MORE_FILTERS & set(query)
                or query.get("sort", DEFAULT_SORT) != DEFAULT_SORT)
    return render_template("queue/tickets.html", views=views, more=more,
                           view_errors=view_errors or {}, current_view=request.args.get("view"),
                           **(pickers() if more else {}), **shown), 422 if view_errors else status


def pickers():
    return {"groups": first_page("tickets", "list_groups"),
            "clients": call("tickets", "list_clients", {"limit": CLIENT_PAGE})["items"]}


@blp.get("/tickets")
def tickets():
    """The queue; `?view=<id>` lists one of the person's saved views (anybody else's is 404,
    as on the API), other arguments are the filters themselves."""
    cursor, view_id = request.args.get("cursor"), request.args.get("view")
    if not view_id:
        return render_queue(query_of(request.args), cursor)
    views = saved_views()
    chosen = next((view for view in views if view["id"] == view_id), None)
    if chosen is None:
        raise NotFound(f"No saved view {view_id}.")
    return render_queue(dict(chosen["filters"]), cursor, views=views)


@blp.get("/tickets/views/counts")
def view_counts():
    """The saved views with how many tickets each lists now: one call for all of them."""
    return render_template("queue/views.html", views=call("tickets", "count_saved_views")["items"],
                           counted=True, current_view=request.args.get("view"),
                           all_tickets=bool(request.args.get("all")))


@blp.get("/tickets/filters")
def more_filters():
    """The pickers under "More filters", for the filters the form holds now."""
    return render_template("queue/more_filters.html", query=query_of(request.args), **pickers())


@blp.post("/tickets/views")
def save_view():
    """Save the filters on screen under a name; the name's 422 shows beside the views."""
    query = query_of(request.form)
    try:
        view = call("tickets", "create_saved_view", {"name": request.form.get("name", ""),
                                                     "filters": query})
    except ValidationFailed as error:
        return render_queue(query, view_errors=field_errors(error))
    return redirect(url_for("web.queue.tickets", view=view["id"]))


@blp.post("/tickets/views/<string:view_id>/delete")
def delete_view(view_id):
    call("tickets", "delete_saved_view", view_id)
    return redirect(url_for("web.queue.tickets"))


@blp.post("/tickets/bulk")
def bulk():
    """Assign or change the status of the checked tickets, one RPC per ticket as the API would
    take them; each ticket gets its own outcome, and a refusal (409 for a transition the ticket's
    status does not allow) stays on its row while the others go through."""
    # The new values are named apart from the filters the form carries back (assignee_id,
    # status), which say what list to show afterwards.
    form = posted("action", "new_assignee_id", "new_status")
    action = form.get("action")
    if action == "assign":
        method, argument = "update_ticket", {"assignee_id": form.get("new_assignee_id") or None}
    elif action == "status":
        method, argument = "change_status", {"status": form.get("new_status", "")}
    else:
        raise ValidationFailed.from_fields({"action": ["Must be one of: assign, status."]})
    outcomes = {}
    for ticket_id in request.form.getlist("ticket_id")[:PAGE_ROWS]:
        try:
            call("tickets", method, ticket_id, argument)
            outcomes[ticket_id] = {"status": 200, "reasons": []}
        except ROW_REFUSALS as refusal:
            outcomes[ticket_id] = {"status": SERVICE_ERRORS[type(refusal)][0],
                                   "reasons": refusal_reasons(refusal)}
    return render_queue(query_of(request.form), outcomes=outcomes)


def refusal_reasons(refusal):
    """Why the service refused one ticket, in the person's language."""
    if isinstance(refusal, ValidationFailed):
        return [reason for found in field_errors(refusal).values() for reason in found]
    allowed = refusal.extra.get("allowed") if isinstance(refusal, Conflict) else None
    if allowed is not None:
        named = words(current_locale())["status"]
        return [gettext("Not from “%(current)s”; it may go to: %(allowed)s.",
                        current=named[refusal.extra["current_status"]],
                        allowed=", ".join(named[one] for one in allowed))]
    return [gettext(errors.MESSAGES[type(refusal)])]


@blp.get("/tickets/caller/<string:call_id>")
def caller(call_id):
    """The screen pop: the caller card of a ringing number (one RPC), with one click to open a
    ticket for the caller or to attach the call to one of the caller's open tickets."""
    number = request.args.get("number", "")
    card = call("tickets", "caller_card", {"number": number}) if number else None
    return render_template("queue/caller.html", card=card, call_id=call_id, number=number)


@blp.post("/tickets/caller/<string:call_id>/attach")
def attach_call(call_id):
    form = posted("ticket_id")
    call("telephony", "link_call_to_ticket", call_id, {"ticket_id": form.get("ticket_id", "")})
    # The ticket page's address, whichever area renders it.
    return redirect(url_for("web.queue.tickets") + "/" + quote(form["ticket_id"], safe=""))


def hub():
    """The process's one Hub (made on first use: after gunicorn's fork)."""
    app = current_app._get_current_object()
    with HUB_LOCK:
        if "live" not in app.extensions:
            app.extensions["live"] = Hub(app.config["AMQP_URI"], LIVE_STREAMS, LIVE_QUEUE)
        return app.extensions["live"]


@blp.get("/tickets/events")
def events():
    """The page's server-sent events: `changed` (a ticket id of the person's account) and
    `ringing` (a call on the person's extension, as an element that loads its caller card)."""
    actor = call_anonymous("tickets", "authenticate", session["credential"])
    if actor["kind"] != "employee":
        raise Forbidden("Live updates are for employees.")
    live = hub()
    stream = live.open(actor["account_id"], actor["id"])
    if stream is None:
        return Response("", 503, {"Retry-After": str(RETRY_MILLISECONDS // 1000)})
    # The first stream of a process starts the consumer: the page hears what happens once it
    # is open, so the stream opens when the consumer listens (or after CONSUMER_WAIT_SECONDS).
    live.wait_ready(CONSUMER_WAIT_SECONDS)
    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return Response(stream_with_context(sent(live, stream)), mimetype="text/event-stream",
                    headers=headers)


def sent(live, stream, wanted=None):
    """The stream's text: a retry hint, messages as they come (those `wanted(name, data)`
    accepts, when given), heartbeats in between; it ends after LIFETIME_SECONDS (the browser
    reconnects) or when the person leaves."""
    deadline = time.monotonic() + LIFETIME_SECONDS
    try:
        yield f"retry: {RETRY_MILLISECONDS}\n\n"
        while (left := deadline - time.monotonic()) > 0:
            message = stream.next(min(HEARTBEAT_SECONDS, left))
            if message is None:
                yield ": heartbeat\n\n"
                continue
            name, data = message
            if wanted is None or wanted(name, data):
                yield f"event: {name}\ndata: {rendered(name, data)}\n\n"
    finally:
        live.close(stream)


def rendered(name, data):
    """One line of data: the ticket id, or for a ring the element that fetches its card."""
    if name == "changed":
        return json.dumps(data)
    url = url_for("web.queue.caller", call_id=data["call_id"], number=data.get("number") or "")
    return (f'<div class="caller-pending" hx-get="{escape(url)}" hx-trigger="load" '
            f'hx-swap="outerHTML" data-call="{escape(data["call_id"])}"></div>')

