"""PBX integrations (admins): /settings/telephony, through the same RPCs as
/api/v1/telephony/integrations. The page shows the webhook URL the PBX posts to and which
secrets are set, never their values; the service validates every field."""
from flask import Blueprint, redirect, render_template, request, url_for

from gateway.calls import call
from gateway.labels import public_url
from gateway.web.forms import field_errors, posted
from services.shared.errors import ValidationFailed
from services.telephony.schemas import (DIALECT_SECRETS, KNOWN_CALLER_RULES, MISSED_CALL_RULES,
                                        UNKNOWN_CALLER_RULES)

blp = Blueprint("telephony_admin", __name__, template_folder="templates")
SETTINGS = [("web.telephony_admin.integrations", "PBX integrations",
             "Telephony: lines, extensions of employees, call rules, the webhook URL.", ("admin",))]
PAGE = 100
STAFF_PAGE = 100
BLANK_ROWS = 3  # empty rows under the mappings, to add lines and extensions without JavaScript
RULES = {"known_caller": KNOWN_CALLER_RULES, "unknown_caller": UNKNOWN_CALLER_RULES,
         "missed_call": MISSED_CALL_RULES}
SECRET_NAMES = sorted({name for names in DIALECT_SECRETS.values() for name in names})


def rows(prefix, names):
    """The filled rows of a posted table: fields `<prefix>-<n>-<name>`, a row left all empty is
    no row."""
    found = []
    for n in range(len(request.form)):
        row = {name: request.form.get(f"{prefix}-{n}-{name}", "").strip() for name in names}
        if any(row.values()):
            found.append(row)
    return found


def integration_form():
    """The posted integration as the RPC takes it. Secret fields left empty keep the stored
    secrets (no `secrets` at all), as on the API."""
    data = posted("name", "dialect", "region", "time_zone")
    data["area_code"] = request.form.get("area_code") or None
    data["enabled"] = "enabled" in request.form
    data["rules"] = dict(posted(*RULES), callback_window_minutes=request.form.get(
        "callback_window_minutes", ""))
    data["lines"] = rows("lines", ("number", "name"))
    data["extensions"] = rows("extensions", ("extension", "employee_id"))
    secrets = {name: value for name in SECRET_NAMES
               if (value := request.form.get(f"secret-{name}", ""))}
    if secrets:
        data["secrets"] = secrets
    return data


def form_page(integration, errors, status=200):
    staff = call("tickets", "list_employees", {"active": True, "limit": STAFF_PAGE})["items"]
    return render_template("telephony_admin/integration.html", integration=integration,
                           errors=errors, staff=staff, dialects=DIALECT_SECRETS,
                           secret_names=SECRET_NAMES, rules=RULES,
                           blank_rows=BLANK_ROWS, public_url=public_url()), status


@blp.get("/settings/telephony")
def integrations():
    page = call("telephony", "list_integrations", {"limit": PAGE})
    return render_template("telephony_admin/integrations.html", page=page,
                           public_url=public_url())


@blp.route("/settings/telephony/new", methods=("GET", "POST"))
def new_integration():
    if request.method == "GET":
        return form_page({"dialect": "generic", "region": "RU", "time_zone": "Europe/Moscow",
                          "enabled": True, "rules": {}, "lines": [], "extensions": []}, {})
    data = integration_form()
    try:
        created = call("telephony", "create_integration", data)
    except ValidationFailed as error:
        return form_page(data, field_errors(error), 422)
    return redirect(url_for("web.telephony_admin.integration", integration_id=created["id"]), 303)


@blp.route("/settings/telephony/<string:integration_id>", methods=("GET", "POST"))
def integration(integration_id):
    current = call("telephony", "get_integration", integration_id)
    if request.method == "GET":
        return form_page(current, {})
    data = integration_form()
    try:
        call("telephony", "replace_integration", integration_id, data)
    except ValidationFailed as error:
        return form_page(dict(current, **data), field_errors(error), 422)
    return redirect(url_for("web.telephony_admin.integration", integration_id=integration_id,
                            saved=1), 303)
