"""The 1C connection (admins): /settings/1c, through the same RPCs as /api/v1/billing: create
and change it (the stored password is never shown; an empty password field keeps it), test it,
run a sync now, read the run history."""
from flask import Blueprint, redirect, render_template, request, url_for

from gateway.calls import call, first_page
from gateway.web.forms import field_errors, posted
from services.billing_sync.schemas import PROFILES
from services.shared.errors import ValidationFailed

blp = Blueprint("onec_admin", __name__, template_folder="templates")
SETTINGS = [("web.onec_admin.connections", "1C connection",
             "Payments and contracts from 1C: connection, test, runs.", ("admin",))]
RUNS_PAGE = 20
KEPT = ("mapping", "price_types", "sale")  # settings the API sets and this page leaves as they are


def billing(method, *args):
    return call("billing_sync", method, *args)


def connection_form():
    data = posted("url", "user", "profile", "grace_days")
    data["password"] = request.form.get("password") or None
    data["schedule_minutes"] = request.form.get("schedule_minutes") or None
    return data


def connection_page(connection, errors=None, check=None, status=200):
    cursor = request.args.get("cursor")
    query = {"limit": RUNS_PAGE, **({"cursor": cursor} if cursor else {})}
    runs = billing("list_runs", connection["id"], query) if connection.get("id") else None
    return render_template("onec_admin/connection.html", connection=connection, runs=runs,
                           errors=errors or {}, check=check, profiles=PROFILES), status


@blp.get("/settings/1c")
def connections():
    return render_template("onec_admin/connections.html",
                           connections=first_page("billing_sync", "list_connections"))


@blp.route("/settings/1c/new", methods=("GET", "POST"))
def new_connection():
    if request.method == "GET":
        return connection_page({"profile": PROFILES[0], "grace_days": 30})
    data = connection_form()
    try:
        created = billing("create_connection", data)
    except ValidationFailed as error:
        return connection_page(dict(data, password=None), field_errors(error), status=422)
    return redirect(url_for("web.onec_admin.connection", connection_id=created["id"]), 303)


@blp.route("/settings/1c/<string:connection_id>", methods=("GET", "POST"))
def connection(connection_id):
    current = billing("get_connection", connection_id)
    if request.method == "GET":
        return connection_page(current)
    data = dict({name: current[name] for name in KEPT}, **connection_form())
    try:
        billing("replace_connection", connection_id, data)
    except ValidationFailed as error:
        return connection_page(dict(current, **data), field_errors(error), status=422)
    return redirect(url_for("web.onec_admin.connection", connection_id=connection_id, saved=1),
                    303)


@blp.post("/settings/1c/<string:connection_id>/check")
def check(connection_id):
    """Test connection: the service reads 1C's $metadata and reports what the profile lacks;
    1C's failures come back in the report, shown as a message."""
    current = billing("get_connection", connection_id)
    return connection_page(current, check=billing("check_connection", connection_id))


@blp.post("/settings/1c/<string:connection_id>/runs")
def run(connection_id):
    billing("run_sync", connection_id, posted("mode"))
    return redirect(url_for("web.onec_admin.connection", connection_id=connection_id, queued=1),
                    303)
