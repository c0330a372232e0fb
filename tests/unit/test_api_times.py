"""Times leave the API as ISO 8601 with an offset, never as HTTP dates (issue 23, point 14)."""
import json
from datetime import date, datetime, timedelta, timezone

from gateway.app import create_app
from services.tickets.schemas import TicketSchema

AT = datetime(2026, 12, 7, 19, 18, 31)  # naive UTC, as the stores keep times


def test_the_gateway_writes_a_datetime_in_a_free_form_dict_as_iso_with_offset():
    app = create_app(owner_token="owner", amqp_uri="amqp://guest:guest@127.0.0.1:5672/")
    moscow = timezone(timedelta(hours=3))
    written = json.loads(app.json.dumps({"at": AT, "aware": AT.replace(tzinfo=moscow),
                                         "on": date(2026, 12, 7), "text": "Ромашка"}))
    assert written == {"at": "2026-12-07T19:18:31+00:00", "aware": "2026-12-07T19:18:31+03:00",
                       "on": "2026-12-07", "text": "Ромашка"}
    assert "Ромашка" in app.json.dumps({"text": "Ромашка"})  # still not ASCII-escaped


def test_a_tickets_calls_and_recordings_carry_iso_times():
    dumped = TicketSchema(only=("calls", "recordings")).dump({
        "calls": [{"call_id": "k1", "number": "+79161234567", "direction": "in", "at": AT,
                   "linked_at": AT + timedelta(seconds=5)}],
        "recordings": [{"call_id": "k1", "reference": "https://pbx.example/r.mp3",
                        "comment_id": "c1", "added_at": AT}]})
    assert dumped["calls"] == [{"call_id": "k1", "number": "+79161234567", "direction": "in",
                                "at": "2026-12-07T19:18:31+00:00",
                                "linked_at": "2026-12-07T19:18:36+00:00"}]
    assert dumped["recordings"][0]["added_at"] == "2026-12-07T19:18:31+00:00"
