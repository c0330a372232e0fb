"""The client portal (docs/portal.md): /p/<account slug>/... for client contacts, on a phone as
well as a desktop, in its own layout (templates/web/portal.html). This module holds the
blueprint and the session pages (sign-in, sign-out, password, reset with an admin's token);
requests.py, registration.py and knowledge.py add the other pages to the same blueprint."""
from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, url_for

from gateway.calls import call, call_anonymous
from gateway.i18n import gettext
from gateway.web import signin
from gateway.web.forms import field_errors, posted
from gateway.web.portal import access, links
from gateway.web.session.views import attempt_login, changed_password, ended
from services.shared.errors import Unauthenticated, ValidationFailed

blp = Blueprint("portal", __name__, template_folder="templates", url_prefix="/p/<slug>")
blp.before_request(access.before_request)
blp.context_processor(access.template_context)
blp.add_app_template_filter(links.portal_links, "portal_links")


def portal_next(slug, target):
    """Where to go after signing in: a page of this portal, or the QR label page that sent the
    contact here to sign in (gateway/web/qr), only."""
    home = url_for("web.portal.home", slug=slug)
    if (target and target.startswith((home, "/q/")) and "\\" not in target
            and not urlsplit(target).netloc):
        return target
    return home


@blp.route("/login", methods=("GET", "POST"))
@access.open_page
def login(slug):
    if request.method == "GET":
        if access.own_contact(slug):
            return redirect(portal_next(slug, request.args.get("next")))
        return render_template("portal/login.html", form={}, errors={},
                               staff=signin.signed_in())
    form = posted("login", "password")
    issued, errors, status = attempt_login(dict(form, account=slug))
    if issued is None:
        errors.pop("account", None)  # the address names the account
        return refused(form, errors or {"": [gettext("Unknown account, login or password.")]}, status)
    if issued["actor"]["kind"] != "contact":
        call("tickets", "logout")
        return refused(form, {"": [gettext(
            "This is the client portal. Employees of the service company sign in to the console.")]},
            403)
    signin.sign_in_contact(issued["token"], call("tickets", "portal_profile"))
    return redirect(portal_next(slug, request.args.get("next")), 303)


def refused(form, errors, status):
    form.pop("password", None)
    return render_template("portal/login.html", form=form, errors=errors, staff=False), status


@blp.post("/logout")
@access.open_page
def logout(slug):
    if signin.contact_session():  # an employee's console session is not this page's to end
        ended()
    return redirect(url_for("web.portal.login", slug=slug), 303)


@blp.route("/password", methods=("GET", "POST"))
def password(slug):
    if request.method == "GET":
        return render_template("portal/password.html", errors={}, changed=False)
    errors = changed_password()
    return render_template("portal/password.html", errors=errors, changed=not errors), \
        422 if errors else 200


@blp.route("/reset", methods=("GET", "POST"))
@access.open_page
def reset(slug):
    """A new password with the token an administrator issued (POST /api/v1/clients/{id}/
    contacts/{id}/password-reset;
    e-mail delivery plugs in when messaging exists)."""
    if request.method == "GET":
        return render_template("portal/reset.html", errors={}, token=request.args.get("token", ""))
    form = posted("token", "new_password")
    try:
        call_anonymous("tickets", "redeem_password_reset", dict(form, account=slug))
    except ValidationFailed as error:
        errors = field_errors(error)
        errors.pop("account", None)
        return render_template("portal/reset.html", errors=errors, token=form.get("token")), 422
    except Unauthenticated:
        return render_template("portal/reset.html", errors={"token": [gettext(
            "The token is unknown, used or expired: ask your service company for a new one.")]},
            token=form.get("token")), 422
    return render_template("portal/login.html", form={}, errors={}, staff=False,
                           notice=gettext("The password is set: sign in with it.")), 200


from gateway.web.portal import knowledge, live, pwa, registration, requests  # noqa: E402,F401  (their pages)
