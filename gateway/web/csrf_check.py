"""CSRF on the web pages: Flask-WTF's token (signed with the shared secret key, bound to the
session) in a hidden field of every form, or in the X-CSRFToken header of htmx requests
(static/js/web.js adds it), checked before any state-changing request reaches a view."""
from flask import request
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def protect():
    if request.method not in SAFE_METHODS:
        csrf.protect()
