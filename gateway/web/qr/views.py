"""/q/<code>: the page an equipment item's QR label opens. It says what the label is on (the
item's kind and model, its site, the service company) and takes a report of a problem: as the
signed-in person (a client's contact or an employee of the account), or, where the account
allows it, from a passer-by who leaves a name and a phone. It calls the RPCs behind
GET and POST /api/v1/intake/{code}; the tickets service decides who may report and how often."""
from flask import Blueprint, g, render_template, request

from gateway.calls import call_anonymous
from gateway.i18n import gettext
from gateway.web import signin
from gateway.web.forms import field_errors, posted
from services.shared.errors import Conflict, Forbidden, Throttled, ValidationFailed

blp = Blueprint("qr", __name__, template_folder="templates")
REPORT_FIELDS = ("title", "description", "reporter_name", "reporter_phone")


def reporter():
    """The signed-in person's credential, or None for a passer-by."""
    return g.get("actor")


def what_it_is(code):
    """(intake info, None), or (None, the sign-in the account asks for: its portal's slug)."""
    try:
        return call_anonymous("tickets", "intake_info", reporter(), code), None
    except Forbidden as refused:
        if refused.extra.get("sign_in") != "required":
            raise
        return None, refused.extra.get("account")


def report_page(code, info, form=None, errors=None, status=200):
    return render_template("qr/report.html", code=code, info=info, form=form or {},
                           errors=errors or {}, signed_in=signin.signed_in()), status


@blp.get("/q/<string:code>")
@signin.public
def report(code):
    info, portal = what_it_is(code)
    if info is None:
        return render_template("qr/sign_in.html", code=code, portal=portal), 401
    return report_page(code, info)


@blp.post("/q/<string:code>")
@signin.public
def send(code):
    info, portal = what_it_is(code)
    if info is None:
        return render_template("qr/sign_in.html", code=code, portal=portal), 401
    form = posted(*REPORT_FIELDS)
    data = {name: value.strip() or None for name, value in form.items()}
    data["description"] = data.get("description") or ""
    try:
        receipt = call_anonymous("tickets", "intake_ticket", reporter(), code, data,
                                 request.remote_addr or "unknown")
    except ValidationFailed as error:
        return report_page(code, info, form, field_errors(error), 422)
    except Throttled:
        return report_page(code, info, form, {"": [gettext(
            "Too many reports from this label or this address in the last hour. Please call "
            "the service company or try again later.")]}, 429)
    except Conflict:
        return report_page(code, info, form, {"": [gettext(
            "This report cannot be accepted here; please call the service company.")]}, 409)
    return render_template("qr/receipt.html", info=info, receipt=receipt), 201
