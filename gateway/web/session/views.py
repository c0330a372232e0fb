"""Signing in and out, one's password and language: /login, /logout, /account/password,
/account/language."""
from flask import Blueprint, g, redirect, render_template, request, url_for

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
    try:
        # The API's own login call: the same lockout, the same audit entries.
        issued = call_anonymous("tickets", "login", form)
    except ValidationFailed as error:
        return login_refused(form, field_errors(error))
    except Unauthenticated:
        return login_refused(form, {"": [gettext("Unknown account, login or password.")]}, 401)
    except Throttled as error:
        minutes = max(1, round(int(error.extra.get("retry_after", 60)) / 60))
        return login_refused(form, {"": [gettext(
            "Too many failed attempts: this login is locked for %(minutes)s min.", minutes=minutes)]}, 429)
    g.actor = {"credential": issued["token"]}
    if issued["actor"]["kind"] != "employee":
        call("tickets", "logout")  # the portal for clients' contacts comes in its own issue
        return login_refused(form, {"": [gettext(
            "This form is for the service company's employees. Client contacts will sign in on "
            "the client portal.")]}, 403)
    person = call("tickets", "get_employee", issued["actor"]["id"])
    signin.sign_in(issued["token"], person, call("tickets", "get_my_account"), issued["actor"])
    return redirect(signin.safe_next(request.args.get("next")))


def login_refused(form, errors, status=422):
    form.pop("password", None)
    return render_template("session/login.html", form=form, errors=errors), status


@blp.post("/logout")
@signin.public
def logout():
    if signin.signed_in():
        try:
            call("tickets", "logout")  # revoked on the server, not only forgotten here
        except Unauthenticated:
            pass  # it had ended already
    signin.sign_out()
    return redirect(url_for("web.session.login"))


@blp.route("/account/password", methods=("GET", "POST"))
def password():
    if request.method == "GET":
        return render_template("session/password.html", errors={}, changed=False)
    form = posted(*PASSWORD_FIELDS)
    try:
        call("tickets", "change_password", form)
    except ValidationFailed as error:
        return render_template("session/password.html", errors=field_errors(error), changed=False), 422
    except Forbidden:
        errors = {"current_password": [gettext("The current password is wrong.")]}
        return render_template("session/password.html", errors=errors, changed=False), 422
    return render_template("session/password.html", errors={}, changed=True)


@blp.post("/account/language")
@signin.public
def language():
    chosen = request.form.get("locale")
    response = redirect(signin.safe_next(request.form.get("next")))
    if chosen in LOCALES:
        response.set_cookie(signin.LOCALE_COOKIE, chosen, max_age=signin.LOCALE_COOKIE_SECONDS,
                            httponly=True, samesite="Lax", secure=request.is_secure)
    return response
