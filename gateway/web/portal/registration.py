"""A new request from the portal: /p/<slug>/new. The contact picks a site and an item of their
own company (tickets.portal_sites, portal_equipment), describes the problem and sees articles
of the knowledge base while typing (knowledge.suggest, as the contact: client audiences only);
before sending, the coverage verdict as the client is told it (tickets.portal_coverage). When the
visit would be paid the client accepts the price or withdraws; tickets.portal_register refuses
(409) a paid request the client did not accept, so the rule holds for any caller.

"This solved it" on an article opened from the suggestions records the suggestion's outcome
(no ticket): the deflection the knowledge base's report counts (docs/knowledge.md)."""
from flask import redirect, render_template, request, url_for

from gateway.calls import call
from gateway.i18n import gettext
from gateway.web.forms import field_errors
from gateway.web.portal.views import blp
from gateway.web.registration.views import suggestions  # the console's: knowledge.suggest as the caller
from services.shared.errors import Conflict, ValidationFailed

FIELDS = ("title", "description", "site_id", "equipment_id", "suggestion_id")
CHOICES = 100


def typed(source):
    return {name: source[name].strip() for name in FIELDS if source.get(name, "").strip()}


def places(values):
    """The pickers' choices and the verdict for what is chosen; a choice that does not fit (an
    item of another site) is dropped, as the picker no longer offers it."""
    sites = call("tickets", "portal_sites", {"limit": CHOICES})["items"]
    if values.get("site_id") not in {site["id"] for site in sites}:
        values.pop("site_id", None)
    where = {"site_id": values["site_id"]} if values.get("site_id") else {}
    equipment = call("tickets", "portal_equipment", {**where, "limit": CHOICES})["items"]
    if values.get("equipment_id") not in {item["id"] for item in equipment}:
        values.pop("equipment_id", None)
    chosen = {name: values[name] for name in ("site_id", "equipment_id") if name in values}
    verdict = call("tickets", "portal_coverage", chosen) if chosen else None
    return {"sites": sites, "equipment": equipment, "verdict": verdict}


def page(values, errors=None, status=200, **extra):
    found = suggestions(values) if "suggestion_id" not in values else None
    if found:
        values["suggestion_id"] = found["suggestion_id"]
    return render_template("portal/new.html", values=values, errors=errors or {},
                           suggestion=found, **places(values), **extra), status


@blp.get("/new")
def new(slug):
    return page(typed(request.args))


@blp.get("/new/places")
def refreshed_places(slug):
    """The pickers and the verdict, re-rendered by htmx when a choice changes."""
    values = typed(request.args)
    return render_template("portal/places.html", values=values, errors={}, **places(values))


@blp.post("/new/suggestions")
def suggested(slug):
    """Articles for what is typed so far (htmx)."""
    return render_template("portal/suggestions.html", suggestion=suggestions(typed(request.form)))


@blp.post("/new")
def create(slug):
    values = typed(request.form)
    if "check" in request.form:  # the pickers' and the verdict's way without JavaScript
        return page(values)
    if "withdraw" in request.form:
        if values.get("suggestion_id"):
            call("knowledge", "record_suggestion_outcome", values["suggestion_id"],
                 {"ticket_created": False})
        return render_template("portal/withdrawn.html")
    try:
        ticket = call("tickets", "portal_register",
                      dict(values, paid_accepted=request.form.get("paid_accepted") == "yes"))
    except ValidationFailed as error:
        return page(values, field_errors(error), 422)
    except Conflict as error:
        if error.extra.get("action") == "paid_work":
            return page(values, {"paid_accepted": [gettext(
                "The visit is paid: tick that you accept the price, or withdraw the request.")]}, 409)
        # The account's policy refuses the request: its message is written for clients.
        return page(values, {"": [error.detail]}, 409)
    return redirect(url_for("web.portal.ticket", slug=slug, ticket_id=ticket["id"]), 303)


@blp.post("/solved")
def solved(slug):
    """The article opened from the suggestions answered it: no ticket (a deflection)."""
    suggestion_id, article_id = request.form.get("suggestion_id", ""), request.form.get("article_id", "")
    call("knowledge", "record_suggestion_opened", suggestion_id, {"article_id": article_id})
    call("knowledge", "record_suggestion_outcome", suggestion_id, {"ticket_created": False})
    return render_template("portal/withdrawn.html", solved=True)
