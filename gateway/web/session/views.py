"""Signing in and out, one's password and language: /login, /logout, /account/password,
/account/language."""
from flask import Blueprint, g, redirect, render_template, request, session, url_for

from gateway.calls import call, call_anonymous
from gateway.i18n import LOCALES, gettext
from gateway.web import signin
from gateway.web.forms import field_errors, posted
from services.shared.errors import Forbidden, Throttled, Unauthenticated, ValidationFailed

blp = Blueprint("session", __name__, template_folder="templates")
LOGIN_FIELDS = ("account", "login", "password")
PASSWORD_FIELDS = ("current_password", "new_password")


@blp.get("/")
@signin.public
def home():
    if signin.contact_session():
        return redirect(url_for("web.portal.home", slug=session["account"]))
    if signin.signed_in():
        return redirect(url_for("web.queue.tickets"))
    return redirect(url_for("web.session.login"))


@blp.route("/login", methods=("GET", "POST"))
@signin.public
def login():
    if request.method == "GET":
        if signin.signed_in():
            return redirect(signin.safe_next(request.args.get("next")))
        return render_template("session/login.html", form={}, errors={})
    form = posted(*LOGIN_FIELDS)
    issued, errors, status = attempt_login(form)
    if issued is None:
        return login_refused(form, errors, status)
    if issued["actor"]["kind"] == "contact":
        # A client contact signed in here goes on to the page asked for (a console page sends
        # them to the portal's counterpart, errors.staff_only) or to their own portal.
        profile = call("tickets", "portal_profile")
        signin.sign_in_contact(issued["token"], profile)
        target = request.args.get("next")
        return redirect(signin.safe_next(target) if target else
                        url_for("web.portal.home", slug=profile["account"]["slug"]))
    person = call("tickets", "get_employee", issued["actor"]["id"])
    signin.sign_in(issued["token"], person, call("tickets", "get_my_account"), issued["actor"])
    return redirect(signin.safe_next(request.args.get("next")))


def attempt_login(form):
    """(issued, None, None) for a correct login (its credential now in g.actor), else (None,
    errors, status). The API's own login call: the same lockout, the same audit entries; the
    portal's sign-in uses it too."""
    try:
        issued = call_anonymous("tickets", "login", form)
    except ValidationFailed as error:
        return None, field_errors(error), 422
    except Unauthenticated:
        return None, {"": [gettext("Unknown account, login or password.")]}, 401
    except Throttled as error:
        minutes = max(1, round(int(error.extra.get("retry_after", 60)) / 60))
        return None, {"": [gettext(
            "Too many failed attempts: this login is locked for %(minutes)s min.", minutes=minutes)]}, 429
    g.actor = {"credential": issued["token"]}
    return issued, None, None


def login_refused(form, errors, status=422):
    form.pop("password", None)
    return render_template("session/login.html", form=form, errors=errors), status


@blp.post("/logout")
@signin.public
def logout():
    ended()
    return redirect(url_for("web.session.login"))


def ended():
    """The session's credential revoked on the server, not only forgotten here (the portal's
    sign-out too)."""
    if signin.signed_in():
        try:
            call("tickets", "logout")
        except Unauthenticated:
            pass  # it had ended already
    signin.sign_out()


@blp.route("/account/password", methods=("GET", "POST"))
def password():
    if request.method == "GET":
        return render_template("session/password.html", errors={}, changed=False)
    errors = changed_password()
    if errors:
        return render_template("session/password.html", errors=errors, changed=False), 422
    return render_template("session/password.html", errors={}, changed=True)


def changed_password():
    """Change the signed-in person's password from the posted form: {} when done, else the
    reasons by field (the portal's password page uses it too)."""
    try:
        call("tickets", "change_password", posted(*PASSWORD_FIELDS))
    except ValidationFailed as error:
        return field_errors(error)
    except Forbidden:
        return {"current_password": [gettext("The current password is wrong.")]}
    return {}


@blp.post("/account/language")
@signin.public
def language():
    chosen = request.form.get("locale")
    response = redirect(signin.safe_next(request.form.get("next")))
    if chosen in LOCALES:
        response.set_cookie(signin.LOCALE_COOKIE, chosen, max_age=signin.LOCALE_COOKIE_SECONDS,
                            httponly=True, samesite="Lax", secure=request.is_secure)
    return response
