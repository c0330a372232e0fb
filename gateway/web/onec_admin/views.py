"""The 1C connection (admins): /settings/1c, through the same RPCs as /api/v1/billing: create
and change it (the stored password is never shown; an empty password field keeps it), test it,
run a sync now, read the run history."""
from flask import Blueprint, redirect, render_template, request, url_for

from gateway.calls import call, first_page
from gateway.web.forms import field_errors, posted, translate_reason
from services.billing_sync.schemas import PROFILES, SaleAccountsSchema
from services.billing_sync.vat import KINDS, RATES
from services.shared.errors import ValidationFailed

blp = Blueprint("onec_admin", __name__, template_folder="templates")
SETTINGS = [("web.onec_admin.connections", "1C connection",
             "Payments and contracts from 1C: connection, test, runs.", ("admin",))]
RUNS_PAGE = 20
KEPT = ("mapping", "price_types")  # settings the API sets and this page leaves as they are
SALE_REFS = ("organisation_ref", "currency_ref", "nomenclature_group_ref", "taxation")
SALE_ACCOUNTS = tuple(SaleAccountsSchema().fields)
VAT_CHOICES = (*RATES, *(kind for kind in KINDS if kind not in RATES))


def billing(method, *args):
    return call("billing_sync", method, *args)


def connection_form(current_sale=None):
    """The connection from the form. The sale's settings are the form's `sale.*` fields (blank:
    none, or the account's default for an account code); the sale's extra header `fields` are
    the API's only and stay as they were."""
    data = posted("url", "user", "profile", "grace_days")
    data["password"] = request.form.get("password") or None
    data["schedule_minutes"] = request.form.get("schedule_minutes") or None
    text = {name: request.form.get(f"sale.{name}", "").strip() for name in SALE_REFS}
    accounts = {name: request.form.get(f"sale.accounts.{name}", "").strip()
                for name in SALE_ACCOUNTS}
    data["sale"] = {**{name: value or None for name, value in text.items()},
                    "accounts": {name: code for name, code in accounts.items() if code},
                    "vat_rate": request.form.get("sale.vat_rate") or "БезНДС",
                    "fields": (current_sale or {}).get("fields", {})}
    return data


def connection_page(connection, errors=None, check=None, status=200):
    cursor = request.args.get("cursor")
    query = {"limit": RUNS_PAGE, **({"cursor": cursor} if cursor else {})}
    runs = billing("list_runs", connection["id"], query) if connection.get("id") else None
    return render_template("onec_admin/connection.html", connection=connection, runs=runs,
                           errors=errors or {}, check=check, profiles=PROFILES,
                           sale_accounts=SALE_ACCOUNTS, vat_choices=VAT_CHOICES), status


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
    data = dict({name: current[name] for name in KEPT}, **connection_form(current.get("sale")))
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
    report = billing("check_connection", connection_id)
    # What the sale settings name that 1C lacks goes beside each setting, like a 422's reasons.
    lacking = {name: [translate_reason(reason) for reason in reasons]
               for name, reasons in (report.get("sale_settings") or {}).items()}
    return connection_page(current, errors=lacking, check=report)


@blp.post("/settings/1c/<string:connection_id>/runs")
def run(connection_id):
    billing("run_sync", connection_id, posted("mode"))
    return redirect(url_for("web.onec_admin.connection", connection_id=connection_id, queued=1),
                    303)
