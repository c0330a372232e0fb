"""The client portal's settings (admins): /settings/portal: the portal's address, its logo (an
https address, or none) and how many days clients may confirm or reopen a resolved request. The
two are keys of the account's settings (services/tickets/portal/settings.py), written with the
RPC behind PATCH /api/v1/account: the page reads the settings, changes its two keys and writes
them all back."""
from flask import Blueprint, render_template, url_for

from gateway.calls import call
from gateway.web.settings_forms.form_input import attempt, saved, typed

blp = Blueprint("portal_admin", __name__, template_folder="templates")
SETTINGS = [("web.portal_admin.portal", "Client portal",
             "The clients' portal: its address, logo, and how long a resolved request may be reopened.",
             ("admin",))]
FIELDS = ("portal_logo_url", "portal_reopen_days")


def page(account, form, errors=None, status=200, done=False):
    return render_template("portal_admin/portal.html", account=account, form=form,
                           errors=errors or {}, done=done), status


@blp.get("/settings/portal")
def portal():
    account = call("tickets", "get_my_account")
    return page(account, {name: account["settings"].get(name, "") for name in FIELDS})


@blp.post("/settings/portal")
def save():
    account = call("tickets", "get_my_account")
    form = {name: value.strip() for name, value in typed(FIELDS).items()}
    settings = {key: value for key, value in account["settings"].items() if key not in FIELDS}
    if form["portal_logo_url"]:
        settings["portal_logo_url"] = form["portal_logo_url"]
    if form["portal_reopen_days"]:
        days = form["portal_reopen_days"]
        settings["portal_reopen_days"] = int(days) if days.isdigit() else days  # the service judges
    _, errors = attempt(lambda: call("tickets", "update_my_account", {"settings": settings}),
                        FIELDS, "settings.")
    if errors:
        return page(account, form, errors, 422)
    return saved(url_for("web.portal_admin.portal", done=1))
