"""Offline checks of the Grafana dashboard and the Prometheus alert rules in deploy/observability.

The point is that neither refers to a metric (or a label of it) that no process exposes: the
names the code defines are read from the source (every prometheus_client Counter, Gauge, Histogram
or Summary called with a literal name), with the suffixes the client adds when it exposes them, and
every series selector in a PromQL expression must be one of them. promtool is not installed here,
so PromQL syntax is not checked by these tests (deploy/observability/README.md says how to run it).
"""
import ast
import json
import re
from pathlib import Path

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "deploy" / "observability"
DASHBOARD = HERE / "grafana-dashboard.json"
RULES = HERE / "alert-rules.yaml"
CODE = (ROOT / "services", ROOT / "gateway")

# Series no process of ours defines: Prometheus writes `up` for every scrape, with the target's
# labels (pod labels mapped by the scrape config, see README.md).
TARGET_LABELS = {"job", "instance", "app_kubernetes_io_name", "app_kubernetes_io_part_of"}
SCRAPE_SERIES = {"up": set()}
SUFFIXES = {"Counter": ("_total", "_created"), "Gauge": ("",),
            "Histogram": ("_bucket", "_sum", "_count", "_created"),
            "Summary": ("_sum", "_count", "_created")}
REQUIRED_ALERTS = {"ServiceDown", "GatewayErrorRate", "DeadLettersGrowing", "SlaBreachSpike",
                   "OnecSyncFailing"}
SEVERITIES = {"critical", "warning", "info"}

# PromQL words that look like identifiers but are not series.
KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or",
            "unless", "offset", "inf", "nan"}
STRING = re.compile(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'|`[^`]*`')
GROUPING = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
SELECTOR = re.compile(r"(?<![\w.:])([a-zA-Z_:][\w:]*)(?![\w:])\s*(\{[^}]*\})?(?!\s*\()")
GROUPING_LABELS = re.compile(r"\b(?:by|without)\s*\(([^)]*)\)")
LABEL_NAME = re.compile(r"([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)")
DURATION = re.compile(r"\[[^\]]*\]")

DASHBOARD_SCHEMA = {
    "type": "object",
    "required": ["title", "uid", "panels", "schemaVersion", "templating"],
    "properties": {
        "title": {"type": "string", "minLength": 1},
        "uid": {"type": "string", "pattern": "^[a-zA-Z0-9_-]{1,40}$"},
        "schemaVersion": {"type": "integer"},
        "templating": {"type": "object", "required": ["list"]},
        "panels": {
            "type": "array", "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "type", "title", "gridPos"],
                "properties": {
                    "id": {"type": "integer"},
                    "title": {"type": "string", "minLength": 1},
                    "gridPos": {"type": "object", "required": ["h", "w", "x", "y"]},
                },
                "if": {"properties": {"type": {"const": "row"}}},
                "else": {
                    "required": ["datasource", "targets"],
                    "properties": {
                        "datasource": {"type": "object", "required": ["uid"]},
                        "targets": {"type": "array", "minItems": 1, "items": {
                            "type": "object", "required": ["refId", "expr"],
                            "properties": {"expr": {"type": "string", "minLength": 1}}}},
                    },
                },
            },
        },
    },
}


def defined_metrics():
    """{exposed series name: its label names} for every metric object the code declares."""
    found = dict(SCRAPE_SERIES)
    for folder in CODE:
        for path in folder.rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            if "prometheus_client" not in source:
                continue
            for node in ast.walk(ast.parse(source)):
                kind = getattr(getattr(node, "func", None), "id", None)
                if kind not in SUFFIXES or not node.args or not isinstance(node.args[0], ast.Constant):
                    continue
                name = node.args[0].value.removesuffix("_total") if kind == "Counter" else node.args[0].value
                labels = next((kw.value for kw in node.keywords if kw.arg == "labelnames"),
                              node.args[2] if len(node.args) > 2 else None)
                labels = set(ast.literal_eval(labels)) if labels is not None else set()
                for suffix in SUFFIXES[kind]:
                    found[name + suffix] = labels | ({"le"} if suffix == "_bucket" else set())
    return found


def selectors(expr):
    """(series name, label names it matches on) for each series selector of a PromQL expression.

    Strings, range brackets and grouping clauses go first, so that label values, durations and
    `by (...)` lists are never taken for series; then any identifier not called like a function
    and not a keyword is a series name."""
    labels_of = []

    def keep_labels(match):
        labels_of.append(LABEL_NAME.findall(STRING.sub('""', match.group(0))))
        return "{%d}" % (len(labels_of) - 1)

    bare = re.sub(r"\{[^}]*\}", keep_labels, expr)
    bare = GROUPING.sub(" ", DURATION.sub(" ", STRING.sub('""', bare)))
    result = []
    for name, braces in SELECTOR.findall(bare):
        if name.lower() in KEYWORDS:
            continue
        result.append((name, set(labels_of[int(braces[1:-1])]) if braces else set()))
    return result


def unknown_references(expr, defined):
    """What an expression names that the code does not define: series, labels of a series, or
    labels to aggregate by that none of its series carries."""
    problems, carried = [], set(TARGET_LABELS)
    for name, labels in selectors(expr):
        if name not in defined:
            problems.append(f"no metric {name}")
            continue
        carried |= defined[name]
        if labels - defined[name] - TARGET_LABELS:
            problems.append(f"{name} has no label {sorted(labels - defined[name] - TARGET_LABELS)}")
    grouped = {label.strip() for clause in GROUPING_LABELS.findall(STRING.sub('""', expr))
               for label in clause.split(",") if label.strip()}
    if grouped - carried:
        problems.append(f"no series carries {sorted(grouped - carried)}")
    return problems


def dashboard():
    return json.loads(DASHBOARD.read_text(encoding="utf-8"))


def rules():
    loaded = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    return [rule for group in loaded["groups"] for rule in group["rules"]]


def dashboard_exprs():
    return [target["expr"] for panel in dashboard()["panels"] for target in panel.get("targets", [])]


def test_the_metrics_of_the_code_are_collected_with_their_exposed_names():
    defined = defined_metrics()
    assert defined["http_request_duration_seconds_bucket"] == {"method", "endpoint", "status", "le"}
    assert defined["gateway_rpc_duration_seconds_count"] == {"service", "method", "outcome"}
    assert defined["onec_sync_runs_total"] == {"trigger", "result"}
    assert "onec_sync_runs_total_total" not in defined
    assert "gateway_rpc_duration_seconds" not in defined  # a histogram is only its series


def test_selectors_are_read_from_promql_without_functions_labels_or_durations():
    expr = ('histogram_quantile(0.95, sum by (le, service) (rate(gateway_rpc_duration_seconds_bucket'
            '{outcome!="ok", service=~"tick.*"}[5m] offset 1h))) > 2 * up or vector(1e3)')
    assert selectors(expr) == [("gateway_rpc_duration_seconds_bucket", {"outcome", "service"}),
                               ("up", set())]


def test_a_misspelled_metric_or_label_is_reported():
    defined = defined_metrics()
    assert unknown_references('sum(rate(events_handeld_total{outcome="dead"}[5m]))', defined) == [
        "no metric events_handeld_total"]
    assert unknown_references('rate(events_handled_total{outcom="dead"}[5m])', defined) == [
        "events_handled_total has no label ['outcom']"]
    assert unknown_references('rate(gateway_rpc_duration_seconds[5m])', defined) == [
        "no metric gateway_rpc_duration_seconds"]
    assert unknown_references('sum by (vendr) (rate(telephony_webhook_events_total[5m]))',
                              defined) == ["no series carries ['vendr']"]


def test_the_dashboard_is_a_grafana_model_with_unique_panel_ids():
    model = dashboard()
    jsonschema.validate(model, DASHBOARD_SCHEMA)
    ids = [panel["id"] for panel in model["panels"]]
    assert len(ids) == len(set(ids))
    # Panels query the Prometheus chosen in the dashboard's datasource variable.
    variables = {v["name"]: v for v in model["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource"
    assert variables["datasource"]["query"] == "prometheus"
    for panel in model["panels"]:
        if panel["type"] != "row":
            assert panel["datasource"]["uid"] == "${datasource}", panel["title"]
            assert len({t["refId"] for t in panel["targets"]}) == len(panel["targets"]), panel["title"]


def test_the_dashboard_covers_what_the_processes_measure():
    used = {name for expr in dashboard_exprs() for name, _labels in selectors(expr)}
    assert {"http_request_duration_seconds_bucket", "gateway_rpc_duration_seconds_bucket",
            "entrypoint_duration_seconds_bucket", "events_handled_total",
            "sla_announcements_total", "telephony_webhook_events_total",
            "telephony_webhook_messages_total", "partner_deliveries_total",
            "onec_sync_runs_total", "onec_exports_total", "dead_letter_replays_total"} <= used


def test_every_dashboard_query_names_metrics_and_labels_the_code_defines():
    defined = defined_metrics()
    problems = {expr: unknown_references(expr, defined) for expr in dashboard_exprs()}
    assert {expr: p for expr, p in problems.items() if p} == {}
    assert all(selectors(expr) for expr in problems)


def test_the_alert_rules_are_complete_and_name_only_defined_metrics():
    defined = defined_metrics()
    loaded = rules()
    assert {rule["alert"] for rule in loaded} == REQUIRED_ALERTS
    for rule in loaded:
        assert set(rule) == {"alert", "expr", "for", "labels", "annotations"}, rule["alert"]
        assert re.fullmatch(r"\d+[smh]", rule["for"]), rule["alert"]
        assert rule["labels"]["severity"] in SEVERITIES, rule["alert"]
        assert rule["annotations"]["summary"] and rule["annotations"]["description"], rule["alert"]
        assert selectors(rule["expr"]), rule["alert"]
        assert unknown_references(rule["expr"], defined) == [], rule["alert"]


def test_service_down_watches_every_app_the_manifests_deploy():
    manifests = ROOT / "deploy" / "k8s" / "base"
    scraped = set()
    for path in manifests.glob("*.yaml"):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            template = (doc or {}).get("spec", {}).get("template", {}).get("metadata", {})
            if template.get("annotations", {}).get("prometheus.io/scrape") == "true":
                scraped.add(template["labels"]["app.kubernetes.io/name"])
    expr = next(rule["expr"] for rule in rules() if rule["alert"] == "ServiceDown")
    watched = set(re.search(r'app_kubernetes_io_name=~"([^"]+)"', expr).group(1).split("|"))
    assert scraped and watched == scraped
