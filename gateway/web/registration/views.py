"""Registering a call: /tickets/new. The same RPCs as the API: clients, contacts, sites and
equipment lists for the cascading pickers (GET /api/v1/clients?q=..., .../contacts, .../sites,
/api/v1/equipment), `check_coverage` for the verdict before saving (POST /api/v1/coverage/check),
the knowledge service's `suggest` while the title is typed (POST /api/v1/kb/suggestions),
`caller_card` for ?phone= (GET /api/v1/caller-card) and `create_ticket` on save
(POST /api/v1/tickets).

With htmx the pickers and the verdict are re-rendered as a fragment on every change; without
JavaScript the "check" button posts the form back and the page is rendered with the same parts.
"""
from flask import Blueprint, redirect, render_template, request

from gateway.calls import call
from gateway.knowledge.suggestion_refs import check_suggestion
from gateway.web.forms import field_errors
from services.shared.errors import Conflict, ValidationFailed

blp = Blueprint("registration", __name__, template_folder="templates")
# Every employee may open tickets (the API's tickets.create), field engineers too.
NAVIGATION = [("web.registration.new", "New ticket", ("admin", "dispatcher", "agent", "field_engineer"))]

PLACES = ("client_id", "contact_id", "site_id", "equipment_id")
TICKET_FIELDS = ("title", "description", "priority", "channel", *PLACES, "suggestion_id")
FORM_FIELDS = (*TICKET_FIELDS, "client_q")
PICKER_LIMIT = 25     # clients matching the typed text
CHOICE_LIMIT = 100    # a client's contacts, sites, equipment (the RPCs' largest page)
SUGGESTIONS = 5


def typed(source):
    """The form's non-blank values (a blank choice is no choice, not an empty id)."""
    return {name: source[name] for name in FORM_FIELDS if source.get(name, "").strip()}


def ids(items):
    return {item["id"] for item in items}


def places(values):
    """The pickers' choices for what is chosen so far, and the coverage verdict for it.

    A choice that no longer fits the one above it (a site of the previously chosen client) is
    dropped from `values`, as the picker no longer offers it."""
    query = {"limit": PICKER_LIMIT, **({"q": values["client_q"]} if values.get("client_q") else {})}
    clients = call("tickets", "list_clients", query)["items"]
    client_id = values.get("client_id")
    if client_id and client_id not in ids(clients):
        clients.insert(0, call("tickets", "get_client", client_id))
    contacts = sites = equipment = []
    if client_id:
        contacts = call("tickets", "list_contacts", client_id, {"limit": CHOICE_LIMIT, "active": True})["items"]
        sites = call("tickets", "list_sites", client_id, {"limit": CHOICE_LIMIT})["items"]
        for name, choices in (("contact_id", contacts), ("site_id", sites)):
            if values.get(name) not in ids(choices):
                values.pop(name, None)
        where = {"site_id": values["site_id"]} if values.get("site_id") else {"client_id": client_id}
        equipment = call("tickets", "list_equipment", {**where, "limit": CHOICE_LIMIT})["items"]
    else:
        for name in PLACES:
            values.pop(name, None)
    if values.get("equipment_id") not in ids(equipment):
        values.pop("equipment_id", None)
    return {"clients": clients, "contacts": contacts, "sites": sites, "equipment": equipment,
            **verdict(values)}


def verdict(values):
    """{"coverage": ...} for the chosen client, site or item; {} when nothing is chosen; a reason
    the service gives for refusing the combination goes with the pickers' errors."""
    chosen = {name: values[name] for name in ("client_id", "site_id", "equipment_id") if name in values}
    if not chosen:
        return {}
    try:
        return {"coverage": call("tickets", "check_coverage", chosen)}
    except ValidationFailed as error:
        return {"place_errors": field_errors(error)}


def caller(phone, values):
    """The caller card of ?phone=: its contact and client become the form's choices."""
    try:
        card = call("tickets", "caller_card", {"number": phone})
    except ValidationFailed as error:
        return {"number": phone, "known": False}, {"phone": field_errors(error).get("number", [])}
    if card["known"]:
        values.setdefault("client_id", card["contact"]["client_id"])
        values.setdefault("contact_id", card["contact"]["id"])
    values.setdefault("channel", "phone")
    return card, {}


def suggestions(values):
    if not values.get("title"):
        return None
    return call("knowledge", "suggest", {"title": values["title"],
                                         "description": values.get("description", ""),
                                         "limit": SUGGESTIONS})


def page(values, errors, status=200, card=None):
    found = suggestions(values) if "suggestion_id" not in values else None
    if found:
        values["suggestion_id"] = found["suggestion_id"]
    return render_template("registration/new.html", values=values, errors=errors, card=card,
                           suggestion=found, **places(values)), status


@blp.get("/tickets/new")
def new():
    values, card, errors = typed(request.args), None, {}
    if request.args.get("phone"):
        card, errors = caller(request.args["phone"], values)
    return page(values, errors, 422 if errors else 200, card)


@blp.get("/tickets/new/places")
def refreshed_places():
    """The pickers and the verdict, re-rendered by htmx when a choice changes."""
    values = typed(request.args)
    return render_template("registration/places.html", values=values, errors={}, **places(values))


@blp.post("/tickets/new/suggestions")
def suggested():
    """Articles for the title typed so far (htmx)."""
    values = typed(request.form)
    return render_template("registration/suggestions.html", suggestion=suggestions(values))


@blp.post("/tickets/new")
def create():
    values = typed(request.form)
    if "check" in request.form:  # the pickers' and the verdict's way without JavaScript
        return page(values, {})
    try:
        check_suggestion(values)
        ticket = call("tickets", "create_ticket", {name: values[name] for name in TICKET_FIELDS
                                                   if name in values})
    except ValidationFailed as error:
        return page(values, field_errors(error), 422)
    except Conflict as error:  # the coverage policy rejects: its message is for the dispatcher
        return page(values, {"": [error.detail]}, 409)
    # The ticket page is the queue area's; its address is the API's resource path.
    return redirect(f"/tickets/{ticket['id']}", 303)
