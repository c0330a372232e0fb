"""/settings: the admins' settings, one page per thing the API lets an admin set. This area
holds the page that lists them and the layout every settings page extends
(templates/settings/layout.html: the list of sections beside the page); each section is its own
area (service_levels, calendars, price_list, sla_rules, api_tokens)."""
from flask import Blueprint, render_template

blp = Blueprint("settings", __name__, template_folder="templates")
# Settings are written by admins (the RPCs refuse the others); API tokens are everybody's own,
# so the other roles find their tokens in the menu directly.
NAVIGATION = [("web.settings.index", "Settings", ("admin",)),
              ("web.api_tokens.tokens", "API tokens", ("dispatcher", "agent", "field_engineer"))]


@blp.get("/settings")
def index():
    return render_template("settings/index.html")
