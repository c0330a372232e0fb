"""Who is signed in on the web pages: a signed session cookie holding the session credential the
login RPC issued, the person's name, the account's time zone and language.

The credential itself is what the services check on every call (`g.actor`), so a revoked session,
a deactivated person or account stops working at the next page, as on the API.
"""
from urllib.parse import urlsplit

from flask import current_app, g, request, session, url_for
from flask.sessions import SecureCookieSessionInterface

from gateway.i18n import DEFAULT_LOCALE, LOCALES
from gateway.web.csrf_check import protect
from services.shared.errors import Unauthenticated

SESSION_SECONDS = 12 * 3600  # the session credential's own lifetime (tickets service)
LOCALE_COOKIE = "servicedesk_locale"
LOCALE_COOKIE_SECONDS = 5 * 365 * 24 * 3600
DEFAULT_TIME_ZONE = "Europe/Moscow"


class SessionInterface(SecureCookieSessionInterface):
    def get_cookie_secure(self, app):
        """Secure when the request came over https (directly or, with TRUSTED_PROXIES, through
        the ingress): a laptop's http://127.0.0.1 keeps working."""
        return request.is_secure


def public(view):
    """Marks a page anybody may open (the sign-in form)."""
    view.public = True
    return view


def signed_in():
    return "credential" in session


def sign_in(credential, person, account, actor=None):
    """`actor`: who the login RPC said the credential stands for; pages may start a read as it
    before the request's own authentication answers (see ticket/views.py), never trust it alone."""
    session.clear()
    session.permanent = True
    if actor:
        session["actor"] = actor
    session.update(credential=credential, name=person["name"], roles=person.get("roles", []),
                   account=account["slug"], account_name=account["name"],
                   time_zone=account.get("time_zone") or DEFAULT_TIME_ZONE,
                   account_locale=account.get("locale") or DEFAULT_LOCALE)
    g.actor = {"credential": credential}


def sign_out():
    session.clear()
    g.pop("actor", None)


def chosen_locale():
    """The person's choice (a long-lived cookie: the services keep no language per person), else
    the account's language, else Russian."""
    chosen = request.cookies.get(LOCALE_COOKIE)
    if chosen in LOCALES:
        return chosen
    return session.get("account_locale", DEFAULT_LOCALE)


def safe_next(target):
    """Where to go after signing in: a path on this site only, never another host (browsers read
    "/\\host" as "//host")."""
    if (target and target.startswith("/") and not target.startswith("//") and "\\" not in target
            and not urlsplit(target).netloc):
        return target
    return url_for("web.queue.tickets")


def before_request():
    g.locale = chosen_locale()
    if "credential" in session:
        g.actor = {"credential": session["credential"]}
    protect()
    view = current_app.view_functions.get(request.endpoint)
    if not getattr(view, "public", False) and not signed_in():
        raise Unauthenticated("Sign in first.")  # errors.to_sign_in: to /login and back


def template_context():
    return {"user": session if signed_in() else None, "locale": g.get("locale", DEFAULT_LOCALE)}
