"""SLA escalation rules (settings): /settings/sla-rules (list, new, edit, delete). The API keeps
the rules as one list (GET and PUT /api/v1/sla/escalation-rules), so each change here reads the
list, changes one rule and writes the list back through the same RPC."""
from flask import Blueprint, render_template, request, url_for

from gateway.calls import call
from gateway.web.settings_forms.form_input import attempt, checked, form_page, is_htmx, saved, typed
from gateway.web.settings_forms.names import group_names, staff_names
from services.shared.errors import NotFound

blp = Blueprint("sla_rules", __name__, template_folder="templates")
SETTINGS = [("web.sla_rules.rules", "SLA escalation rules",
             "Who is notified, or what changes, when a deadline nears or passes.", ("admin",))]
RULE_FIELDS = ("target", "milestone", "action", "group_id", "recipients", "working_hours_only")


def rules_page(rules, status=200):
    staff, groups = staff_names(), group_names()
    template = "sla_rules/rules_table.html" if is_htmx() else "sla_rules/rules.html"
    return render_template(template, rules=rules, staff=staff, groups=groups), status


@blp.get("/settings/sla-rules")
def rules():
    return rules_page(call("tickets", "get_escalation_rules")["rules"])


def posted_rule():
    form = typed(("target", "milestone", "action", "group_id"))
    form.update(working_hours_only=checked("working_hours_only"),
                recipients=request.form.getlist("recipients"))
    return form, dict(form, group_id=form["group_id"] or None)


def rule_page(form, errors, index=None, status=200):
    staff, groups = staff_names(), group_names()
    return form_page("sla_rules/rule.html", "sla_rules/rule_form.html", status, form=form,
                     errors=errors, index=index, staff=staff, groups=groups)


def save(rules, index, form):
    _, errors = attempt(lambda: call("tickets", "set_escalation_rules", {"rules": rules}),
                        RULE_FIELDS, f"rules.{index}.")
    if errors:
        return rule_page(form, errors, index, 422)
    return saved(url_for("web.sla_rules.rules"))


def rule_at(rules, index):
    if not 0 <= index < len(rules):
        raise NotFound(f"No escalation rule {index}.")
    return rules[index]


@blp.route("/settings/sla-rules/new", methods=("GET", "POST"))
def new_rule():
    if request.method == "GET":
        return rule_page({"target": "resolution", "milestone": "breach", "action": "notify"}, {})
    rules = call("tickets", "get_escalation_rules")["rules"]
    form, rule = posted_rule()
    return save(rules + [rule], len(rules), form)


@blp.route("/settings/sla-rules/<int:index>", methods=("GET", "POST"))
def edit_rule(index):
    rules = call("tickets", "get_escalation_rules")["rules"]
    if request.method == "GET":
        return rule_page(rule_at(rules, index), {}, index)
    rule_at(rules, index)
    form, rule = posted_rule()
    return save(rules[:index] + [rule] + rules[index + 1:], index, form)


@blp.post("/settings/sla-rules/<int:index>/delete")
def delete_rule(index):
    rules = call("tickets", "get_escalation_rules")["rules"]
    rule_at(rules, index)
    kept = call("tickets", "set_escalation_rules", {"rules": rules[:index] + rules[index + 1:]})
    if is_htmx():
        return rules_page(kept["rules"])
    return saved(url_for("web.sla_rules.rules"))
