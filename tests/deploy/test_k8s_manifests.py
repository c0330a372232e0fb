"""Offline checks of the Kubernetes manifests in deploy/k8s/base and of the Dockerfile.

Every object the kustomization lists is validated against the Kubernetes JSON schemas shipped by
kubernetes-validate (strict: unknown fields fail), and the app Deployments are held to what the
architecture asks of them: probes, resources, non-root, connection URLs from the Secret, and a
command that runs the code of their folder. No cluster, kubectl or network needed.
"""
import re
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "deploy" / "k8s" / "base"
SERVICES = ROOT / "services"

# Schemas of the oldest Kubernetes minor we deploy to (kubernetes-validate ships 1.25 to 1.37).
KUBERNETES_VERSION = "1.31"
APP_UID = 10001
CONFIG_MAP = "servicedesk-config"
SECRET = "servicedesk-secrets"
SECRET_ONLY_KEYS = ("AMQP_URI", "MONGO_URL")
NOT_SERVICES = {"shared", "__pycache__"}
GATEWAY_COMMAND = ["gunicorn", "--config", "gateway/gunicorn_conf.py", "gateway.wsgi:app"]
CURRENT_API_VERSIONS = {
    "ConfigMap": "v1",
    "Secret": "v1",
    "Service": "v1",
    "Deployment": "apps/v1",
    "StatefulSet": "apps/v1",
    "Job": "batch/v1",
    "Ingress": "networking.k8s.io/v1",
    "HorizontalPodAutoscaler": "autoscaling/v2",
    "PodDisruptionBudget": "policy/v1",
}
WORKLOAD_KINDS = {"Deployment", "StatefulSet", "Job"}
PART_OF = "servicedesk"


def _kustomization():
    return yaml.safe_load((BASE / "kustomization.yaml").read_text())


def _load_objects():
    objects = []
    for entry in _kustomization().get("resources") or []:
        path = BASE / entry
        if not path.is_file():
            continue  # reported by test_kustomization_resources_exist
        objects.extend(doc for doc in yaml.safe_load_all(path.read_text()) if doc)
    return objects


def _name(obj):
    return f"{obj['kind']}/{obj['metadata']['name']}"


def _service_folders():
    """Service packages under services/, listed now: a new service needs a Deployment too."""
    if not SERVICES.is_dir():
        return []
    return sorted(
        path.name
        for path in SERVICES.iterdir()
        if path.is_dir()
        and path.name not in NOT_SERVICES
        and ((path / "__init__.py").is_file() or (path / "service.py").is_file())
    )


OBJECTS = _load_objects()
DEPLOYMENTS = {obj["metadata"]["name"]: obj for obj in OBJECTS if obj["kind"] == "Deployment"}
WORKLOADS = [obj for obj in OBJECTS if obj["kind"] in WORKLOAD_KINDS]
LONG_RUNNING = [obj for obj in WORKLOADS if obj["kind"] != "Job"]


def _of_kind(kind):
    return [obj for obj in OBJECTS if obj["kind"] == kind]


def _one(kind, name):
    found = [obj for obj in _of_kind(kind) if obj["metadata"]["name"] == name]
    assert len(found) == 1, f"expected one {kind}/{name} in the manifests, found {len(found)}"
    return found[0]


def _objects_param(objects):
    return pytest.mark.parametrize("obj", objects, ids=[_name(obj) for obj in objects])


deployment_param = pytest.mark.parametrize("name", sorted(DEPLOYMENTS))


def _pod_spec(workload):
    return workload["spec"]["template"]["spec"]


def _app_container(name):
    containers = _pod_spec(DEPLOYMENTS[name])["containers"]
    assert len(containers) == 1, f"Deployment/{name} should run exactly one container"
    return containers[0]


def _port_number(container, port):
    if isinstance(port, int):
        return port
    by_name = {p.get("name"): p["containerPort"] for p in container.get("ports", [])}
    assert port in by_name, f"port {port!r} is not declared by container {container['name']}"
    return by_name[port]


_QUANTITY_FACTORS = {"m": 1e-3, "": 1, "k": 1e3, "M": 1e6, "G": 1e9,
                     "Ki": 2**10, "Mi": 2**20, "Gi": 2**30}


def _quantity(value):
    match = re.fullmatch(r"([0-9.]+)(m|k|M|G|Ki|Mi|Gi)?", str(value))
    assert match, f"unexpected resource quantity {value!r}"
    return float(match[1]) * _QUANTITY_FACTORS[match[2] or ""]


def _config_keys(kind, name):
    matches = [obj for obj in _of_kind(kind) if obj["metadata"]["name"] == name]
    keys = set()
    for obj in matches:
        keys |= set(obj.get("data") or {}) | set(obj.get("stringData") or {})
    return keys


def _env_source(container, key):
    """Where the container's variable `key` comes from, applying Kubernetes' precedence."""
    source = None
    # Later envFrom entries win over earlier ones; `env` wins over all of them.
    for entry in container.get("envFrom", []):
        prefix = entry.get("prefix", "")
        for ref_field, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
            ref = entry.get(ref_field)
            if not ref or not key.startswith(prefix):
                continue
            if key[len(prefix):] in _config_keys(kind, ref["name"]):
                source = (kind, ref["name"])
    for var in container.get("env", []):
        if var["name"] != key:
            continue
        secret_ref = (var.get("valueFrom") or {}).get("secretKeyRef")
        if secret_ref and secret_ref["key"] in _config_keys("Secret", secret_ref["name"]):
            source = ("Secret", secret_ref["name"])
        elif secret_ref:
            source = ("missing Secret key", secret_ref["key"])
        elif "valueFrom" in var:
            source = ("other", next(iter(var["valueFrom"])))
        else:
            source = ("literal", var.get("value"))
    return source


def _selects(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


# --- the kustomization and the schemas ---------------------------------------------------------


def test_kustomization_resources_exist():
    resources = _kustomization().get("resources")
    assert resources, "kustomization.yaml lists no resources"
    assert len(resources) == len(set(resources)), "a resource is listed twice"
    missing = [entry for entry in resources if not (BASE / entry).is_file()]
    assert not missing, f"listed in kustomization.yaml but missing: {missing}"


def test_object_names_are_unique():
    names = [_name(obj) for obj in OBJECTS]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


@_objects_param(OBJECTS)
def test_object_matches_kubernetes_schema(obj):
    try:
        kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
    except kubernetes_validate.ValidationError as error:
        path = ".".join(str(part) for part in error.path)
        pytest.fail(f"{path}: {error.message}")
    except kubernetes_validate.SchemaNotFoundError as error:
        pytest.fail(error.message)


@_objects_param(OBJECTS)
def test_object_uses_current_api_version(obj):
    expected = CURRENT_API_VERSIONS.get(obj["kind"])
    assert expected, f"no current apiVersion recorded for kind {obj['kind']}; add it to the test"
    assert obj["apiVersion"] == expected


@_objects_param(OBJECTS)
def test_object_has_recommended_labels(obj):
    labelled = [obj["metadata"].get("labels") or {}]
    if obj["kind"] in WORKLOAD_KINDS:
        labelled.append(obj["spec"]["template"]["metadata"].get("labels") or {})
    for labels in labelled:
        assert labels.get("app.kubernetes.io/part-of") == PART_OF
        assert labels.get("app.kubernetes.io/name")
        assert labels.get("app.kubernetes.io/component")


# --- one Deployment per service and for the gateway --------------------------------------------


def test_services_folder_holds_services():
    assert _service_folders(), f"no service packages found under {SERVICES}"


@pytest.mark.parametrize("folder", _service_folders())
def test_service_folder_has_deployment(folder):
    name = folder.replace("_", "-")
    assert name in DEPLOYMENTS, f"services/{folder} has no Deployment named {name}"


def test_gateway_has_deployment():
    assert "gateway" in DEPLOYMENTS


@deployment_param
def test_deployment_command_runs_its_module(name):
    container = _app_container(name)
    command = (container.get("command") or []) + (container.get("args") or [])
    if name == "gateway":
        assert command == GATEWAY_COMMAND
    else:
        folder = name.replace("-", "_")
        assert command == ["nameko", "run", "--config", "services/config.yaml",
                           f"services.{folder}.service"]


@deployment_param
def test_deployment_command_targets_existing_code(name):
    if name == "gateway":
        needed = ["gateway/gunicorn_conf.py", "gateway/wsgi.py"]
    else:
        needed = ["services/config.yaml", f"services/{name.replace('-', '_')}/service.py"]
    missing = [path for path in needed if not (ROOT / path).is_file()]
    assert not missing, f"the container would start without {missing}"


def test_app_deployments_share_one_image_set_by_kustomization():
    images = {_app_container(name)["image"] for name in DEPLOYMENTS}
    assert len(images) == 1, f"one image for the gateway and every service, found {images}"
    image = images.pop()
    overridden = {entry["name"] for entry in _kustomization().get("images") or []}
    assert image.split(":")[0] in overridden, "kustomization.yaml must set the image's registry/tag"


# --- what every app Deployment must carry ------------------------------------------------------


@deployment_param
def test_deployment_selector_matches_its_pods(name):
    deployment = DEPLOYMENTS[name]
    assert _selects(deployment["spec"]["selector"]["matchLabels"],
                    deployment["spec"]["template"]["metadata"]["labels"])


@deployment_param
def test_deployment_has_probes_on_its_http_port(name):
    container = _app_container(name)
    path, port = ("/livez", 8080) if name == "gateway" else ("/metrics", 9100)
    for probe in ("livenessProbe", "readinessProbe"):
        http_get = (container.get(probe) or {}).get("httpGet")
        assert http_get, f"{probe} with httpGet is missing"
        assert http_get["path"] == path, probe
        assert _port_number(container, http_get["port"]) == port, probe
    if name != "gateway":
        assert {"name": "metrics", "containerPort": 9100} in container["ports"]


@deployment_param
def test_deployment_is_scraped_by_prometheus(name):
    annotations = DEPLOYMENTS[name]["spec"]["template"]["metadata"].get("annotations") or {}
    assert annotations.get("prometheus.io/scrape") == "true"
    assert annotations.get("prometheus.io/path") == "/metrics"
    expected_port = "8080" if name == "gateway" else "9100"
    assert annotations.get("prometheus.io/port") == expected_port


@deployment_param
def test_deployment_runs_as_non_root_with_read_only_root(name):
    pod = _pod_spec(DEPLOYMENTS[name])
    container = _app_container(name)
    pod_context = pod.get("securityContext") or {}
    context = container.get("securityContext") or {}

    def effective(field):
        return context.get(field, pod_context.get(field))

    assert effective("runAsNonRoot") is True
    assert effective("runAsUser") == APP_UID
    assert (pod_context.get("seccompProfile") or {}).get("type") == "RuntimeDefault"
    assert context.get("allowPrivilegeEscalation") is False
    assert context.get("readOnlyRootFilesystem") is True
    assert (context.get("capabilities") or {}).get("drop") == ["ALL"]

    # A read-only root needs a writable /tmp (DATA_DIR and scratch files live there).
    mounts = {m["mountPath"]: m["name"] for m in container.get("volumeMounts", [])}
    assert "/tmp" in mounts, "no volume mounted at /tmp"
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    assert "emptyDir" in volumes.get(mounts["/tmp"], {}), "/tmp should be an emptyDir"


@deployment_param
@pytest.mark.parametrize("key", SECRET_ONLY_KEYS)
def test_deployment_takes_connection_url_from_secret(name, key):
    assert _env_source(_app_container(name), key) == ("Secret", SECRET)


@deployment_param
def test_deployment_takes_settings_from_config_map(name):
    env_from = _app_container(name).get("envFrom", [])
    assert CONFIG_MAP in [entry.get("configMapRef", {}).get("name") for entry in env_from]


@deployment_param
def test_deployment_has_autoscaler_and_disruption_budget(name):
    pods = DEPLOYMENTS[name]["spec"]["template"]["metadata"]["labels"]
    target = {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
    autoscalers = [hpa for hpa in _of_kind("HorizontalPodAutoscaler")
                   if hpa["spec"]["scaleTargetRef"] == target]
    assert len(autoscalers) == 1, "expected one HorizontalPodAutoscaler"
    spec = autoscalers[0]["spec"]
    assert 1 <= spec.get("minReplicas", 1) <= spec["maxReplicas"]
    assert any(m["type"] == "Resource" and m["resource"]["name"] == "cpu" for m in spec["metrics"])
    budgets = [pdb for pdb in _of_kind("PodDisruptionBudget")
               if _selects(pdb["spec"]["selector"].get("matchLabels"), pods)]
    assert len(budgets) == 1, "expected one PodDisruptionBudget"
    assert budgets[0]["spec"].get("minAvailable") == 1
    # minAvailable 1 with a single replica would block every node drain.
    assert spec.get("minReplicas", 1) >= 2


@_objects_param(WORKLOADS)
def test_every_container_has_requests_and_limits(obj):
    spec = _pod_spec(obj)
    for container in spec.get("initContainers", []) + spec["containers"]:
        resources = container.get("resources") or {}
        for resource in ("cpu", "memory"):
            request = (resources.get("requests") or {}).get(resource)
            limit = (resources.get("limits") or {}).get(resource)
            assert request and limit, f"{container['name']}: {resource} request and limit needed"
            assert _quantity(request) <= _quantity(limit), f"{container['name']}: {resource}"


@_objects_param(LONG_RUNNING)
def test_every_long_running_container_has_probes(obj):
    for container in _pod_spec(obj)["containers"]:
        assert container.get("livenessProbe"), container["name"]
        assert container.get("readinessProbe"), container["name"]


@_objects_param(_of_kind("Service"))
def test_service_selects_pods_and_ports_of_a_workload(obj):
    selector = obj["spec"].get("selector")
    targets = [workload for workload in LONG_RUNNING
               if _selects(selector, workload["spec"]["template"]["metadata"]["labels"])]
    assert targets, f"selector {selector} matches no Deployment or StatefulSet"
    for workload in targets:
        container_ports = {port.get("name") for container in _pod_spec(workload)["containers"]
                           for port in container.get("ports", [])}
        for port in obj["spec"]["ports"]:
            target = port.get("targetPort", port["port"])
            if isinstance(target, str):
                assert target in container_ports, f"targetPort {target} of {_name(workload)}"


@_objects_param(_of_kind("StatefulSet"))
def test_stateful_set_has_headless_service_and_volume(obj):
    service = _one("Service", obj["spec"]["serviceName"])
    assert service["spec"].get("clusterIP") == "None", "the governing Service must be headless"
    assert obj["spec"].get("volumeClaimTemplates"), "data must live on a PersistentVolumeClaim"


# --- the Secret template -----------------------------------------------------------------------


def test_secret_template_has_every_key():
    secret = _one("Secret", SECRET)
    values = {**(secret.get("data") or {}), **(secret.get("stringData") or {})}
    for key in (*SECRET_ONLY_KEYS, "SERVICE_DESK_OWNER_TOKEN"):
        assert key in values, key
    assert values["AMQP_URI"].startswith("amqp://")
    # Plain mongodb:// only: mongodb+srv:// needs SRV records the cluster DNS does not serve here.
    assert values["MONGO_URL"].startswith("mongodb://")


def test_config_map_holds_no_secrets():
    data = _one("ConfigMap", CONFIG_MAP).get("data") or {}
    leaked = [key for key in (*SECRET_ONLY_KEYS, "SERVICE_DESK_OWNER_TOKEN") if key in data]
    assert not leaked, f"secrets belong in {SECRET}: {leaked}"
    assert {"LOG_LEVEL", "RPC_TIMEOUT", "DATA_DIR"} <= set(data)


# --- the image ---------------------------------------------------------------------------------


def test_dockerfile_runs_as_non_root_user():
    instructions = []
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            instructions.append(line.split(None, 1))
    users = [parts[1].strip() for parts in instructions
             if parts[0].upper() == "USER" and len(parts) == 2]
    assert users, "the Dockerfile never switches away from root"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}, "the last USER is root"
    assert user == str(APP_UID), f"USER should be the numeric uid {APP_UID} the manifests run as"
