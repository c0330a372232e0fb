"""Service levels and the coverage policy (settings): /settings/service-levels (list, new, edit)
and /settings/coverage-policy, through the RPCs behind /api/v1/service-levels and
/api/v1/coverage-policy."""
from flask import Blueprint, render_template, request

from gateway.calls import call, first_page
from gateway.web.settings_forms.form_input import (attempt, checked, form_page, lines, money, nested,
                                             typed)
from gateway.web.settings_forms.names import group_names
from gateway.web.settings_forms.record_pages import RecordPages, listed
from gateway.web.vocabulary import PRIORITY
from services.tickets.schemas import VERDICTS

blp = Blueprint("service_levels", __name__, template_folder="templates")
# (endpoint, label, description, roles): listed on /settings (gateway/web/settings); the RPCs decide.
SETTINGS = [
    ("web.service_levels.levels", "Service levels",
     "Tiers sold in contracts: reaction and resolution targets per priority, monthly price.", ("admin",)),
    ("web.service_levels.coverage_policy", "Coverage policy",
     "What a new ticket gets when it is not covered, under warranty or unpaid.", ("admin",)),
]
TARGET_FIELDS = tuple(f"targets.{priority}.{kind}" for priority in PRIORITY
                      for kind in ("reaction_minutes", "resolution_minutes"))
LEVEL_FIELDS = ("name", "monthly_price", "options", *TARGET_FIELDS)
LEVEL_CHECKS = ("personal_manager", "active")
POLICY_FIELDS = (*(f"actions.{v}" for v in VERDICTS), *(f"messages.{v}" for v in VERDICTS),
                 "sales_group_id", "paid_work_code")


@blp.get("/settings/service-levels")
def levels():
    return render_template("service_levels/levels.html",
                           levels=first_page("tickets", "list_service_levels"))


def level_form(level):
    """A stored level as the form shows it."""
    form = {"name": level["name"], "monthly_price": level["monthly_price"]["amount"],
            "options": "\n".join(level.get("options", [])),
            "personal_manager": level.get("personal_manager"), "active": level.get("active")}
    for path in TARGET_FIELDS:
        _, priority, kind = path.split(".")
        form[path] = level["targets"].get(priority, {}).get(kind, "")
    return form


def posted_level():
    form = typed(LEVEL_FIELDS)
    form.update({name: checked(name) for name in LEVEL_CHECKS})
    data = nested({path: form[path] for path in TARGET_FIELDS})
    data.update(name=form["name"], monthly_price=money(form["monthly_price"]),
                options=lines(form["options"]),
                **{name: form[name] for name in LEVEL_CHECKS})
    return form, data


LEVELS = RecordPages("service_levels/level.html", "service_levels/level_form.html", LEVEL_FIELDS,
                     posted_level, "web.service_levels.levels")


@blp.route("/settings/service-levels/new", methods=("GET", "POST"))
def new_level():
    return LEVELS.new("create_service_level", {"active": True})


@blp.route("/settings/service-levels/<string:level_id>", methods=("GET", "POST"))
def edit_level(level_id):
    return LEVELS.edit("replace_service_level", level_id, lambda: level_form(
        listed(first_page("tickets", "list_service_levels"), level_id)), level_id=level_id)


def policy_form(policy):
    form = {f"{kind}.{verdict}": text for kind in ("actions", "messages")
            for verdict, text in policy.get(kind, {}).items()}
    form.update(sales_group_id=policy.get("sales_group_id") or "",
                paid_work_code=policy.get("paid_work_code") or "")
    return form


def posted_policy():
    """Empty choices are left out: the service's default action and message apply."""
    form = typed(POLICY_FIELDS)
    data = nested({path: value for path, value in form.items()
                   if path.startswith(("actions.", "messages.")) and value.strip()})
    data.setdefault("actions", {})
    data.setdefault("messages", {})
    data.update(sales_group_id=form["sales_group_id"] or None,
                paid_work_code=form["paid_work_code"] or None)
    return form, data


@blp.route("/settings/coverage-policy", methods=("GET", "POST"))
def coverage_policy():
    errors = {}
    if request.method == "GET":
        form = policy_form(call("tickets", "get_coverage_policy"))
    else:
        form, data = posted_policy()
        policy, errors = attempt(lambda: call("tickets", "set_coverage_policy", data), POLICY_FIELDS)
        form = form if errors else policy_form(policy)
    saved_now = request.method == "POST" and not errors
    return form_page("service_levels/policy.html", "service_levels/policy_form.html",
                     422 if errors else 200,
                     form=form, errors=errors, saved=saved_now, verdicts=VERDICTS,
                     groups=group_names().items(),
                     price_items=[(item["code"], f"{item['code']} · {item['name']}")
                                  for item in first_page("tickets", "list_price_items")])
