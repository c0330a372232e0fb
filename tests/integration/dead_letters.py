"""Dead letters made on purpose: webhook messages put on the telephony queue as the edge would,
for an integration the consumer then refuses (disabled, unknown, or of no account)."""
import json
import time
import uuid
from datetime import datetime, timezone

from gateway.telephony.publisher import WebhookPublisher
from services.telephony.adapters.base import WebhookRequest

PATIENCE_SECONDS = 60


def queue_webhook(suite, integration_id, account_id=None, token="t0k3n-of-the-url"):
    """Queue one generic-dialect newCall message; returns the id of the letter it would become."""
    message_id = uuid.uuid4().hex
    request = WebhookRequest(
        method="POST", received_at=datetime.now(timezone.utc), content_type="application/json",
        body=json.dumps({"event": "newCall", "callId": f"dl-{message_id}", "from": "84951234567",
                         "to": "74990000000", "direction": "in"}).encode(),
        headers={}, query={}, suffix="", url_token=token)
    message = {"message_id": message_id, "integration_id": integration_id, "dialect": "generic",
               "request": request.as_message()}
    if account_id is not None:
        message["account_id"] = account_id
    publisher = WebhookPublisher(suite.amqp_uri)
    try:
        publisher.publish(message)
    finally:
        publisher.close()
    return f"webhook.{message_id}"


def dead_letter(api, letter_id):
    """The telephony letter `letter_id` once the consumer has buried it."""
    deadline = time.monotonic() + PATIENCE_SECONDS
    while True:
        answer = api.get(f"/api/v1/dead-letters/telephony/{letter_id}")
        if answer.status_code == 200:
            return answer.json()
        assert answer.status_code == 404, answer.text
        assert time.monotonic() < deadline, f"{letter_id} never became a dead letter"
        time.sleep(0.2)
