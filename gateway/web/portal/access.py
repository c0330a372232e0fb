"""Who reaches a portal page: every page lives under /p/<slug>/; the brand (name, logo) comes
from the session of a contact of that account, else from `portal_brand` (one RPC, also what
makes an unknown or deactivated account's portal a 404). Pages marked `open_page` are for
anybody (sign-in, reset, the public knowledge base); the others need a contact of this account.
A contact of another account gets the 404 page, as for an address that does not exist."""
from flask import current_app, g, redirect, request, session, url_for

from gateway.calls import call_anonymous
from gateway.web import signin
from services.shared.errors import NotFound, Unauthenticated


def open_page(view):
    view.open_page = True
    return view


def own_contact(slug):
    return signin.contact_session() and session.get("account") == slug


def brand(slug):
    if own_contact(slug):
        return {"slug": slug, "name": session["account_name"], "logo_url": session.get("logo_url")}
    return call_anonymous("tickets", "portal_brand", slug)


def before_request():
    slug = (request.view_args or {}).get("slug")
    if slug is None:
        return None
    g.portal = brand(slug)
    if own_contact(slug) or getattr(current_app.view_functions.get(request.endpoint),
                                    "open_page", False):
        return None
    if signin.contact_session():
        raise NotFound("Another account's portal.")
    if signin.signed_in():
        # An employee keeps their console session; the portal's sign-in page says so.
        return redirect(url_for("web.portal.login", slug=slug, next=request.full_path.rstrip("?")))
    raise Unauthenticated("Sign in to the portal.")  # errors.to_sign_in: the portal's login


def template_context():
    return {"portal": g.get("portal")}
