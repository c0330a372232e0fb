"""What a page shows when a service refuses: the sign-in form when the session is missing or
ended, a 403 or 404 page (HTML, never the API's JSON), or a short message. Forms catch
ValidationFailed themselves to show each reason beside its field (see forms.py)."""
from flask import redirect, render_template, request, url_for
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
    """No session, or one that ended: sign in again and come back here."""
    signin.sign_out()
    target = url_for("web.session.login", next=request.full_path.rstrip("?"))
    if request.headers.get("HX-Request"):
        return "", 204, {"HX-Redirect": target}
    return redirect(target)


def register(blueprint):
    blueprint.register_error_handler(Unauthenticated, to_sign_in)
    for error_type in (*MESSAGES, CSRFError):
        blueprint.register_error_handler(error_type, error_page)
