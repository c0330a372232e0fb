"""The web pages: one blueprint "web" holding the shared layout, assets, sign-in state, CSRF and
error pages, with one nested blueprint per area (gateway/web/<area>/views.py, templates and
translations beside it). docs/web.md explains how to add an area, a page or a form.

Every page calls the services through gateway/calls.py as the person whose session cookie came
with the request, so the permission matrix and the account scoping are the API's own.
"""
import logging
import os
import secrets
from importlib import import_module

from flask import Blueprint

from gateway.web import errors, formatting, signin
from gateway.web.csrf_check import csrf

# The console's areas, in the order of the navigation; the portal and the engineer's workplace
# add theirs here.
AREAS = ("session", "queue", "ticket", "registration", "directory", "knowledge", "settings",
         "service_levels", "calendars", "sla_rules", "price_list", "api_tokens",
         "telephony_admin", "onec_admin", "partners_admin", "dead_letters_admin", "audit", "qr",
         "kb_synonyms", "portal_admin", "portal")



def secret_key():
    """The key that signs session cookies and CSRF tokens: GATEWAY_SECRET_KEY, which
    scripts/suite.py keeps in DATA_DIR and gunicorn_conf.py makes once for all workers when unset."""
    configured = os.environ.get("GATEWAY_SECRET_KEY")
    if configured:
        return configured
    logging.getLogger(__name__).warning(
        "GATEWAY_SECRET_KEY is unset: web sessions end when this process stops")
    return secrets.token_urlsafe(32)


def init_app(app):
    app.config.update(
        SECRET_KEY=secret_key(),
        # Checked by the web blueprint only (signin.before_request): the API takes bearer tokens,
        # which a browser never sends by itself, so it needs no CSRF token.
        WTF_CSRF_CHECK_DEFAULT=False,
        WTF_CSRF_TIME_LIMIT=None,  # valid as long as the session: a form left open stays usable
        SESSION_COOKIE_NAME="servicedesk_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=signin.SESSION_SECONDS,
    )
    app.session_interface = signin.SessionInterface()
    csrf.init_app(app)
    app.jinja_env.add_extension("jinja2.ext.i18n")
    formatting.install(app.jinja_env)
    # Made per app (tests build several): a blueprint takes no new hooks once registered.
    web = Blueprint("web", __name__, template_folder="templates")
    web.before_request(signin.before_request)
    web.context_processor(signin.template_context)
    errors.register(web)
    navigation = []
    for area in AREAS:
        views = import_module(f"gateway.web.{area}.views")
        web.register_blueprint(views.blp)
        navigation.extend(getattr(views, "NAVIGATION", ()))
    app.jinja_env.globals["navigation"] = tuple(navigation)
    app.register_blueprint(web)
