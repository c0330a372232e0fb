"""Delivery to another installation: the envelope POSTed to the partner's listener, signed with
the link's secret (signing.py), the answer judged by `outbox.outcome_of_response`.

A network error or a timeout is a retry; the receiver keeps what it accepted, and a retry that
crosses a slow first answer is answered "duplicate", which counts as delivered.
"""
import requests

from services.partner_bridge.installation import listener_path, rotation_path, state_path
from services.partner_bridge.outbox import RETRY, outcome_of_response
from services.partner_bridge.signing import sign
from services.partner_bridge.transports.base import Transport, body_of, json_body
from services.shared.errors import Conflict, Unavailable

TIMEOUT_SECONDS = (5, 20)  # connect, read


def reason_of(response):
    try:
        answer = response.json()
    except ValueError:
        return None
    return answer.get("reason") if isinstance(answer, dict) else None


class HttpsTransport(Transport):
    def __init__(self, secrets_of, *, now, session=None):
        """`secrets_of(link)` lists the link's secrets, newest first; the newest signs."""
        self.secrets_of, self.now = secrets_of, now
        self.session = session or requests

    def _post(self, link, path, body):
        """POST `body` signed to the partner's `path`; the response (requests raises on a
        network error)."""
        url = link["partner"]["endpoint"].rstrip("/") + path
        headers = sign(self.secrets_of(link)[0], link["link_id"], body, now=self.now)
        headers["Content-Type"] = "application/json"
        return self.session.post(url, data=body, headers=headers, timeout=TIMEOUT_SECONDS,
                                 allow_redirects=False)

    def _deliver(self, link, path, body):
        try:
            response = self._post(link, path, body)
        except requests.RequestException as failed:
            return RETRY, f"{type(failed).__name__}: {failed}"[:1000]
        outcome = outcome_of_response(response.status_code, reason_of(response))
        return outcome, f"HTTP {response.status_code}: {response.text[:500]}"

    def send(self, link, item):
        return self._deliver(link, listener_path(link["partner"]["account_id"], link["link_id"]),
                             body_of(item))

    def announce_state(self, link, message):
        return self._deliver(link, state_path(link["partner"]["account_id"], link["link_id"]),
                             json_body(message))

    def rotate_secret(self, link, message):
        path = rotation_path(link["partner"]["account_id"], link["link_id"])
        try:
            response = self._post(link, path, json_body(message))
        except requests.RequestException as failed:
            raise Unavailable(f"The partner could not be reached: {type(failed).__name__}.") from None
        if 200 <= response.status_code < 300:
            return
        detail = f"The partner did not take the new secret: HTTP {response.status_code}."
        if outcome_of_response(response.status_code) == RETRY:
            raise Unavailable(detail)
        raise Conflict(detail, {"status": response.status_code, "reason": reason_of(response)})
