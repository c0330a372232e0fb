"""Sample call flows per vendor (telephony_samples/*.json) turned into signed webhook requests.

A sample file holds the deliveries of one call as the vendor sends them and the call they must
produce. This module signs them the way each vendor does, with the secrets below.
"""
import json
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

from services.telephony.adapters import dialect_named
from services.telephony.adapters.base import DialectSettings, WebhookRequest
from services.telephony.adapters.mango import sign
from services.telephony.adapters.zadarma import signature
from services.telephony.numbers import Numbering

SAMPLES = Path(__file__).parent / "telephony_samples"
SECRETS = {
    "generic": {"token": "gQ7tR2vX9kLm4NpS"},
    "asterisk": {"token": "aS8dF3gH6jK1lZ0x"},
    "mango": {"api_key": "t4hq0wfx6y2kd9bzlv3mn8cj5rsgpe1a",
              "api_salt": "w2e8r5t1y9u3i7o4p6a0s2d5f8g1h3j6"},
    "zadarma": {"secret": "b1c8e3d9f2a7c4e6"},
}
FLOW_NAMES = sorted(path.stem for path in SAMPLES.glob("*.json"))


def load_flow(name):
    return json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))


def flow_settings(flow):
    return DialectSettings(numbering=Numbering(), **flow.get("settings", {}))


def flow_requests(flow):
    return [delivery_request(flow["dialect"], delivery) for delivery in flow["deliveries"]]


def delivery_request(dialect, delivery):
    received_at = datetime.fromisoformat(delivery["received_at"])
    headers, token = {}, None
    if dialect == "mango":
        text = json.dumps(delivery["mango_json"], ensure_ascii=False)
        secrets = SECRETS["mango"]
        fields = {"vpbx_api_key": secrets["api_key"], "json": text,
                  "sign": sign(secrets["api_key"], text, secrets["api_salt"])}
        body, content_type = urlencode(fields).encode(), "application/x-www-form-urlencoded"
    elif "form" in delivery:
        pairs = delivery["form"]
        pairs = [tuple(pair) for pair in pairs] if isinstance(pairs, list) else list(pairs.items())
        body, content_type = urlencode(pairs).encode(), "application/x-www-form-urlencoded"
        if dialect == "zadarma":
            fields = dict(pairs)
            headers["signature"] = signature(SECRETS["zadarma"]["secret"], fields, fields["event"])
    else:
        body = json.dumps(delivery["json"], ensure_ascii=False).encode()
        content_type = "application/json"
    if dialect in ("generic", "asterisk"):
        token = SECRETS[dialect]["token"]
    return WebhookRequest(method=delivery.get("method", "POST"), body=body,
                          received_at=received_at, content_type=content_type, headers=headers,
                          suffix=delivery.get("suffix", ""), url_token=token)


def flow_events(flow):
    """Every request authenticated and parsed, in delivery order."""
    dialect, settings = dialect_named(flow["dialect"]), flow_settings(flow)
    found = []
    for request in flow_requests(flow):
        dialect.authenticate(request, SECRETS[flow["dialect"]])
        found += dialect.parse(request, settings)
    return found


def call_summary(call):
    """The fields a sample states, in the sample's notation (naive UTC ISO times)."""
    summary = {}
    for name in ("call_key", "state", "direction", "caller", "callee", "line", "extension",
                 "started_at", "answered_at", "ended_at", "duration", "disposition",
                 "ticket_reference", "recordings"):
        value = getattr(call, name)
        summary[name] = value.isoformat(timespec="milliseconds") if isinstance(
            value, datetime) else value
    return summary


def expected_summary(flow):
    expected = dict(flow["expected"])
    for name in ("started_at", "answered_at", "ended_at"):
        if expected[name] is not None:
            expected[name] = datetime.fromisoformat(expected[name]).isoformat(
                timespec="milliseconds")
    return expected
