"""Partner links (admins): /settings/partners, through the same RPCs as /api/v1/partner-links:
list, invite (the code is shown once, to send out of band), accept a partner's code, pause,
resume, revoke, and this side's sharing rules. The service validates every field."""
from flask import Blueprint, redirect, render_template, request, url_for

from gateway.calls import call, first_page
from gateway.web.forms import field_errors, posted
from services.partner_bridge.invitations import LINK_STATES
from services.partner_bridge.vocabulary import (LOCAL_PRIORITIES, LOCAL_STATUSES, LOCAL_TYPES,
                                                PERSONAL_DATA_FIELDS, SHAREABLE_FIELDS,
                                                TMF_STATUSES)
from services.shared.errors import ValidationFailed

blp = Blueprint("partners_admin", __name__, template_folder="templates")
SETTINGS = [("web.partners_admin.links", "Partner links",
             "Sharing tickets with partner companies: invitations, links, sharing rules.",
             ("admin",))]
VOCABULARY = {"shareable": SHAREABLE_FIELDS, "personal": PERSONAL_DATA_FIELDS,
              "tmf_statuses": TMF_STATUSES, "local_statuses": LOCAL_STATUSES,
              "priorities": LOCAL_PRIORITIES, "types": LOCAL_TYPES}
KEEP_STATUS = ""  # the form's choice for "keep the local status" (null in the rule)


def partners(method, *args):
    return call("partner_bridge", method, *args)


def links_page(errors=None, invitation=None, accept_code="", status=200):
    query = {"state": request.args["state"]} if request.args.get("state") else {}
    return render_template("partners_admin/links.html",
                           links=first_page("partner_bridge", "list_links", **query), states=LINK_STATES,
                           query=query, errors=errors or {}, invitation=invitation,
                           accept_code=accept_code), status


def rules_form():
    """The posted rules as the RPC takes them: both directions whole."""
    form = request.form
    return {
        "outgoing": {"fields": form.getlist("outgoing_fields"),
                     "personal_data": form.getlist("personal_data")},
        "incoming": {
            "status_map": {tmf: form.get(f"status_map-{tmf}") or None for tmf in TMF_STATUSES},
            "group_id": form.get("group_id") or None,
            "priority": form.get("priority", ""), "type": form.get("type", ""),
            "accept_comments": "accept_comments" in form, "accept_edits": "accept_edits" in form}}


def link_page(link, errors=None, status=200):
    return render_template("partners_admin/link.html", link=link, errors=errors or {},
                           groups=first_page("tickets", "list_groups"), keep=KEEP_STATUS,
                           **VOCABULARY), status


@blp.get("/settings/partners")
def links():
    return links_page()


@blp.post("/settings/partners/invitations")
def invite():
    """The invitation's code and URL are shown on this answer only (the service keeps no
    readable copy), so it is a page, not a redirect."""
    try:
        invitation = partners("invite", posted("validity_days"))
    except ValidationFailed as error:
        return links_page(errors=field_errors(error), status=422)
    return links_page(invitation=invitation, status=201)


@blp.post("/settings/partners/accept")
def accept():
    form = posted("code")
    try:
        link = partners("accept", form)
    except ValidationFailed as error:
        return links_page(errors=field_errors(error), accept_code=form.get("code", ""), status=422)
    return redirect(url_for("web.partners_admin.link", link_id=link["id"]), 303)


@blp.get("/settings/partners/<string:link_id>")
def link(link_id):
    return link_page(partners("get_link", link_id))


@blp.post("/settings/partners/<string:link_id>/state")
def change_state(link_id):
    partners("change_link_state", link_id, posted("state"))
    return redirect(url_for("web.partners_admin.link", link_id=link_id), 303)


@blp.post("/settings/partners/<string:link_id>/rules")
def rules(link_id):
    current = partners("get_link", link_id)
    data = rules_form()
    try:
        partners("set_rules", link_id, data)
    except ValidationFailed as error:
        return link_page(dict(current, rules=data), field_errors(error), 422)
    return redirect(url_for("web.partners_admin.link", link_id=link_id, saved=1), 303)
