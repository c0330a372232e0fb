"""services/tickets/schemas.py and the shared UtcDateTime field."""
from datetime import datetime

import pytest
from marshmallow import Schema, ValidationError

from services.shared.schema_fields import UtcDateTime
from services.tickets.schemas import (CommentCreateSchema, StatusChangeSchema, TicketCreateSchema,
                                      TicketListQuerySchema, TicketUpdateSchema)


class Stamped(Schema):
    at = UtcDateTime(required=True)


def error_fields(schema, data):
    with pytest.raises(ValidationError) as caught:
        schema.load(data)
    return caught.value.messages


def test_ticket_create_defaults():
    assert TicketCreateSchema().load({"title": "Сломан принтер"}) == {
        "title": "Сломан принтер", "description": "", "priority": "normal", "channel": "api",
        "type": "incident", "client_id": None, "contact_id": None, "assignee_id": None,
        "assignee_group_id": None, "site_id": None, "equipment_id": None}


@pytest.mark.parametrize("title", ["", "   ", "x" * 201])
def test_ticket_create_refuses_blank_or_long_titles(title):
    assert "title" in error_fields(TicketCreateSchema(), {"title": title})


def test_ticket_create_accepts_a_200_character_title():
    assert TicketCreateSchema().load({"title": "я" * 200})["title"] == "я" * 200


@pytest.mark.parametrize("field, value", [("priority", "urgent"), ("channel", "fax"),
                                          ("type", "bug"), ("client_id", "x" * 65),
                                          ("contact_id", "")])
def test_ticket_create_refuses_values_outside_the_vocabulary(field, value):
    assert field in error_fields(TicketCreateSchema(), {"title": "t", field: value})


def test_ticket_update_needs_at_least_one_field():
    assert error_fields(TicketUpdateSchema(), {}) == {
        "_schema": ["Name at least one field to change."]}
    assert TicketUpdateSchema().load({"assignee_id": None}) == {"assignee_id": None}


def test_ticket_update_refuses_status_and_unknown_fields():
    assert set(error_fields(TicketUpdateSchema(), {"status": "closed", "number": 3})) == {
        "status", "number"}


def test_status_change_and_comment_defaults():
    assert StatusChangeSchema().load({"status": "closed"}) == {"status": "closed", "comment": None}
    assert CommentCreateSchema().load({"body": "ok"}) == {"body": "ok", "visibility": "public"}
    assert "visibility" in error_fields(CommentCreateSchema(), {"body": "ok", "visibility": "x"})
    assert "body" in error_fields(CommentCreateSchema(), {"body": "  "})


def test_list_query_defaults_and_limits():
    assert TicketListQuerySchema().load({}) == {"sort": "-created_at", "limit": 25}
    assert "limit" in error_fields(TicketListQuerySchema(), {"limit": 101})
    assert "sort" in error_fields(TicketListQuerySchema(), {"sort": "title"})
    assert TicketListQuerySchema().load({"sort": "-priority"})["sort"] == "-priority"


# -- UtcDateTime -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["2024-05-01T12:00:00", "2024-05-01 12:00", "2024-05-01"])
def test_utc_datetime_refuses_a_time_without_offset(text):
    assert "at" in error_fields(Stamped(), {"at": text})


@pytest.mark.parametrize("text, expected", [
    ("2024-05-01T15:00:00+03:00", datetime(2024, 5, 1, 12, 0)),
    ("2024-05-01T02:30:00+03:00", datetime(2024, 4, 30, 23, 30)),
    ("2024-05-01T12:00:00Z", datetime(2024, 5, 1, 12, 0)),
    ("2024-05-01T12:00:00.250-05:00", datetime(2024, 5, 1, 17, 0, 0, 250000)),
    ("2024-05-01T23:00:00+12:00", datetime(2024, 5, 1, 11, 0)),
])
def test_utc_datetime_loads_naive_utc(text, expected):
    loaded = Stamped().load({"at": text})["at"]
    assert loaded == expected and loaded.tzinfo is None


def test_utc_datetime_dumps_naive_as_utc_with_offset():
    assert Stamped().dump({"at": datetime(2024, 5, 1, 12, 0, 5)}) == {
        "at": "2024-05-01T12:00:05+00:00"}


def test_utc_datetime_round_trip():
    stored = Stamped().load({"at": "2024-12-31T23:59:59.123+10:00"})["at"]
    assert Stamped().load(Stamped().dump({"at": stored}))["at"] == stored


def test_list_query_created_bounds_use_utc_datetime():
    query = TicketListQuerySchema().load({"created_from": "2024-05-01T03:00:00+03:00"})
    assert query["created_from"] == datetime(2024, 5, 1, 0, 0)
    assert "created_to" in error_fields(TicketListQuerySchema(), {"created_to": "2024-05-01T00:00"})
