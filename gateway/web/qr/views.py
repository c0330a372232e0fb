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


class SignInFirst(Exception):
    """The account takes reports from its clients' signed-in people only."""

    def __init__(self, portal):
        super().__init__(portal)
        self.portal = portal  # the account's slug: its portal's sign-in leads back here


def what_it_is(code):
    """The intake info of the label; SignInFirst where the visitor must sign in."""
    try:
        return call_anonymous("tickets", "intake_info", reporter(), code)
    except Forbidden as refused:
        if refused.extra.get("sign_in") != "required":
            raise
        raise SignInFirst(refused.extra.get("account")) from None


@blp.errorhandler(SignInFirst)
def sign_in_first(refusal):
    return render_template("qr/sign_in.html", code=request.view_args["code"],
                           portal=refusal.portal), 401


def report_page(code, info, form=None, errors=None, status=200):
    return render_template("qr/report.html", code=code, info=info, form=form or {},
                           errors=errors or {}, signed_in=signin.signed_in()), status


@blp.get("/q/<string:code>")
@signin.public
def report(code):
    return report_page(code, what_it_is(code))


@blp.post("/q/<string:code>")
@signin.public
def send(code):
    info = what_it_is(code)
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
