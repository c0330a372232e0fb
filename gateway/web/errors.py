"""What a page shows when a service refuses: the sign-in form when the session is missing or
ended, a 403 or 404 page (HTML, never the API's JSON), or a short message. Forms catch
ValidationFailed themselves to show each reason beside its field (see forms.py)."""
from flask import redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError

from gateway.i18n import gettext
from gateway.problems import SERVICE_ERRORS
from gateway.web import signin
from services.shared.errors import (Conflict, Forbidden, NotFound, Throttled, Unauthenticated,
                                    Unavailable, ValidationFailed)

# error type -> what the page says; the status and the title are the API's (problems.py).
MESSAGES = {
    Forbidden: "Your role does not allow this page or action.",
    NotFound: "There is no such page, or it belongs to another account.",
    Conflict: "The change conflicts with the current state; reload the page.",
    ValidationFailed: "Some fields are invalid.",
    Throttled: "Too many attempts; try again a little later.",
    Unavailable: "A service does not answer; try again in a minute.",
}
EXPIRED_FORM = (400, "The form has expired", "Reload the page and send the form again.")


def error_page(error):
    if isinstance(error, CSRFError):
        status, title, message = EXPIRED_FORM
    else:
        (status, _, title), message = SERVICE_ERRORS[type(error)], MESSAGES[type(error)]
    return render_template("web/error.html", status=status, title=gettext(title),
                           message=gettext(message)), status


def to_sign_in(error):
    """No session, or one that ended: sign in again (at the portal's own address on a portal
    page) and come back here."""
    signin.sign_out()
    here = request.full_path.rstrip("?")
    if signin.portal_request() and "slug" in (request.view_args or {}):
        target = url_for("web.portal.login", slug=request.view_args["slug"], next=here)
    else:
        target = url_for("web.session.login", next=here)
    if request.headers.get("HX-Request"):
        return "", 204, {"HX-Redirect": target}
    return redirect(target)


# Console pages a contact is sent to the portal's counterpart of: the article links the console
# puts into replies (gateway/knowledge/answers.py) open the portal's article page.
PORTAL_COUNTERPARTS = {"web.knowledge.article": "web.portal.kb_article"}


def staff_only(error):
    """A client contact on a console page: to the portal's counterpart of the page, or politely
    to their own portal."""
    counterpart = PORTAL_COUNTERPARTS.get(request.endpoint)
    if counterpart and request.method == "GET":
        return redirect(url_for(counterpart, slug=session["account"], **request.view_args))
    return render_template(
        "web/error.html", status=403, title=gettext("This page is for the service company's staff"),
        message=gettext("You are signed in as a client contact: your requests are on your portal."),
        link=(url_for("web.portal.home", slug=session["account"]), gettext("To my portal"))), 403


def register(blueprint):
    blueprint.register_error_handler(Unauthenticated, to_sign_in)
    blueprint.register_error_handler(signin.StaffOnly, staff_only)
    for error_type in (*MESSAGES, CSRFError):
        blueprint.register_error_handler(error_type, error_page)
