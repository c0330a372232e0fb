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
PORTAL_BLUEPRINT = "web.portal"


class StaffOnly(Exception):
    """A client contact's session on a console page: errors.staff_only points them to their
    portal."""


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


def sign_in_contact(credential, profile):
    """A client contact's session: it reaches the portal of its own account only."""
    session.clear()
    session.permanent = True
    account = profile["account"]
    session.update(credential=credential, kind="contact", name=profile["name"], roles=[],
                   client_name=profile["client_name"], account=account["slug"],
                   account_name=account["name"], logo_url=account.get("logo_url"),
                   time_zone=profile.get("time_zone") or DEFAULT_TIME_ZONE,
                   account_locale=profile.get("locale") or DEFAULT_LOCALE)
    g.actor = {"credential": credential}


def contact_session():
    return signed_in() and session.get("kind") == "contact"


def portal_request():
    """The portal's pages (gateway/web/portal) check their sessions themselves: a contact's of
    the portal's own account, sign-in at the portal's own address."""
    return request.blueprint is not None and request.blueprint.startswith(PORTAL_BLUEPRINT)


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
    if portal_request():
        return None
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "public", False):
        return None
    if not signed_in():
        raise Unauthenticated("Sign in first.")  # errors.to_sign_in: to /login and back
    if contact_session():
        raise StaffOnly("The console is for the service company's staff.")


def template_context():
    return {"user": session if signed_in() else None, "locale": g.get("locale", DEFAULT_LOCALE)}
