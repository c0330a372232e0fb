"""The audit log (admins): /audit, through the same RPC as GET /api/v1/audit, with its filters
(action, person, target, days in the account's time zone) and cursor pages."""
from datetime import date, datetime, time, timedelta

from flask import Blueprint, render_template, request

from gateway.calls import call
from gateway.web.formatting import time_zone
from gateway.web.forms import field_errors
from services.shared.errors import ValidationFailed

blp = Blueprint("audit", __name__, template_folder="templates")
NAVIGATION = [("web.audit.entries", "Audit log", ("admin",))]
SETTINGS = [("web.audit.entries", "Audit log", "Who did what and when.", ("admin",))]
PAGE = 50
STAFF_PAGE = 100  # the person picker and the names in the list
FILTERS = ("action", "actor_id", "target_type", "target_id", "cursor")
# The page's day fields -> the RPC's moments: (field, days added to the chosen day).
DAYS = {"created_from": 0, "created_to": 1}


def moment(day, days_after):
    """Midnight of a day in the account's zone as ISO 8601, `days_after` days later (the "to"
    day is included); a text that is no date goes as it is, for the service to name."""
    try:
        chosen = date.fromisoformat(day) + timedelta(days=days_after)
    except ValueError:
        return day
    return datetime.combine(chosen, time(0), tzinfo=time_zone()).isoformat()


def query_of(args):
    query = {name: args[name] for name in FILTERS if args.get(name)}
    query.update({name: moment(args[name], later)
                  for name, later in DAYS.items() if args.get(name)})
    return query


@blp.get("/audit")
def entries():
    errors = {}
    try:
        page = call("tickets", "list_audit", dict(query_of(request.args), limit=PAGE))
    except ValidationFailed as error:
        page, errors = {"items": [], "next_cursor": None}, field_errors(error)
    staff = call("tickets", "list_employees", {"limit": STAFF_PAGE})["items"]
    template = "audit/results.html" if request.headers.get("HX-Request") else "audit/entries.html"
    return render_template(template, page=page, staff=staff, errors=errors,
                           names={person["id"]: person["name"] for person in staff},
                           args=request.args), 422 if errors else 200
