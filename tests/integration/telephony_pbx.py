"""A PBX for the integration tests: posts the sample flows (tests/unit/telephony_samples) to an
integration's webhook path, signed as each vendor signs, and waits for what the suite stores."""
import time

import requests

from tests.unit.telephony_flows import SECRETS, delivery_request, load_flow

PATIENCE_SECONDS = 60  # how long the suite may take to store and file what was accepted


def connect(api, dialect, name="АТС", **fields):
    """An integration of `dialect` with the samples' secrets, created by `api` (an admin)."""
    answer = api.post("/api/v1/telephony/integrations", json={
        "name": f"{name} {dialect}", "dialect": dialect, "secrets": SECRETS[dialect], **fields})
    assert answer.status_code == 201, answer.text
    return answer.json()


def deliveries(name):
    flow = load_flow(name)
    return [(flow["dialect"], delivery) for delivery in flow["deliveries"]]


def post(url, integration, dialect, delivery, session=None, probe=False):
    """One delivery as the vendor sends it; the response. A `probe` is an empty request that
    makes the edge look the integration up (and cache its secrets) without queueing anything."""
    if probe:
        return requests.post(url + integration["webhook_path"], data=b"",
                             headers={"Content-Type": "application/json"}, timeout=15)
    webhook = delivery_request(dialect, delivery)
    path = integration["webhook_path"]
    if webhook.suffix:
        path += "/" + webhook.suffix.strip("/")
    headers = {"Content-Type": webhook.content_type}
    if "signature" in webhook.headers:
        headers["Signature"] = webhook.headers["signature"]
    return (session or requests).request(webhook.method, url + path, data=webhook.body,
                                         headers=headers, timeout=15)


def eventually(probe, what):
    """probe() until it returns something truthy; fails naming `what` after PATIENCE_SECONDS."""
    deadline = time.monotonic() + PATIENCE_SECONDS
    while True:
        found = probe()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.2)


def calls_of(api, integration):
    answer = api.get("/api/v1/telephony/calls", params={"integration_id": integration["id"]})
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def when_up(api, path, **params):
    """The JSON at `path`, or None while a service behind it is restarting (503)."""
    answer = api.get(path, params=params)
    if answer.status_code == 503:
        return None
    assert answer.status_code == 200, answer.text
    return answer.json()
