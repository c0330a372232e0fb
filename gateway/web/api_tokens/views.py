"""API tokens: /settings/api-tokens (one's own; an admin sees and revokes the account's, and may
issue one for another employee), through the RPCs behind /api/v1/tokens. The secret is in the
answer to the issuing request only, so it is shown once, on that answer."""
from flask import Blueprint, render_template, url_for

from gateway.calls import call, first_page
from gateway.web.settings_forms.form_input import attempt, is_htmx, saved, typed
from gateway.web.settings_forms.names import staff_names

blp = Blueprint("api_tokens", __name__, template_folder="templates")
EMPLOYEES = ("admin", "dispatcher", "agent", "field_engineer")
# Everybody has tokens of their own: listed on /settings, and in the menu of those who have no
# "Settings" entry there.
SETTINGS = [("web.api_tokens.tokens", "API tokens",
             "Tokens for programs that use the API: issue and revoke.", EMPLOYEES)]
NAVIGATION = [("web.api_tokens.tokens", "API tokens", ("dispatcher", "agent", "field_engineer"))]
TOKEN_FIELDS = ("name", "expires_in_days", "employee_id")


def tokens_page(form=None, errors=None, issued=None, status=200):
    template = "api_tokens/panel.html" if is_htmx() else "api_tokens/tokens.html"
    return render_template(template, tokens=first_page("tickets", "list_tokens"),
                           staff=staff_names(),
                           form=form or {"expires_in_days": "90"}, errors=errors or {},
                           issued=issued), status


@blp.get("/settings/api-tokens")
def tokens():
    return tokens_page()


@blp.post("/settings/api-tokens")
def create():
    form = typed(TOKEN_FIELDS)
    # Left empty, the days and the owner take the service's defaults; an empty name is the
    # service's to refuse.
    data = {name: value.strip() for name, value in form.items() if value.strip() or name == "name"}
    issued, errors = attempt(lambda: call("tickets", "create_token", data), TOKEN_FIELDS)
    if errors:
        return tokens_page(form, errors, status=422)
    return tokens_page(issued=issued, status=201)


@blp.post("/settings/api-tokens/<string:token_id>/revoke")
def revoke(token_id):
    call("tickets", "revoke_token", token_id)
    if is_htmx():
        return tokens_page()
    return saved(url_for("web.api_tokens.tokens"))
