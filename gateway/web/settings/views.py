"""Settings: /settings, one menu entry for the admin pages. A settings area declares
`SETTINGS = [(endpoint, label msgid, description msgid, roles)]` in its views.py instead of a
menu entry; this page lists those offered to the person's roles, in the order of AREAS, as the
menu does (each page's RPC still decides who may open it)."""
from functools import cache
from importlib import import_module

from flask import Blueprint, render_template

from gateway.web import AREAS

blp = Blueprint("settings", __name__, template_folder="templates")
NAVIGATION = [("web.settings.index", "Settings", ("admin",))]


@cache
def pages():
    return tuple(page for area in AREAS
                 for page in getattr(import_module(f"gateway.web.{area}.views"), "SETTINGS", ()))


@blp.get("/settings")
def index():
    return render_template("settings/index.html", pages=pages())
