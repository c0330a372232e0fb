"""services/shared/validation.py: marshmallow's messages flattened into ValidationFailed fields."""
import pytest
from marshmallow import Schema, fields, validate

from services.shared.errors import ValidationFailed
from services.shared.schema_fields import FreeFormDict
from services.shared.validation import REFUSED_KEY, flatten_messages, load
from services.tickets.schemas import TicketCreateSchema, TicketListQuerySchema


def ticket_input(**overrides):
    data = {"title": "Не открывается турникет", "priority": "high"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not ...}


class AddressSchema(Schema):
    city = fields.String(required=True, validate=validate.Length(max=5))


class PersonSchema(Schema):
    name = fields.String(required=True)
    address = fields.Nested(AddressSchema, required=True)
    phones = fields.List(fields.String(validate=validate.Length(min=3)))


def failure(schema, data):
    with pytest.raises(ValidationFailed) as caught:
        load(schema, data)
    return caught.value


# -- flatten_messages ------------------------------------------------------------------------------

def test_flatten_nested_dicts():
    assert flatten_messages({"a": {"b": ["x"], "c": {"d": ["y", "z"]}}, "e": ["w"]}) == {
        "a.b": ["x"], "a.c.d": ["y", "z"], "e": ["w"]}


def test_flatten_list_positions_become_path_parts():
    assert flatten_messages({"phones": {0: ["Too short."], 2: ["Too short."]}}) == {
        "phones.0": ["Too short."], "phones.2": ["Too short."]}


def test_flatten_top_level_list_is_the_schema_message():
    assert flatten_messages(["Name at least one field to change."]) == {
        "_schema": ["Name at least one field to change."]}
    assert flatten_messages(["bad"], "address") == {"address": ["bad"]}


def test_flatten_single_message_and_non_strings_become_lists_of_strings():
    assert flatten_messages({"a": "one", "b": [1, None]}) == {"a": ["one"], "b": ["1", "None"]}


def test_flatten_nothing():
    assert flatten_messages({}) == {}


# -- load ------------------------------------------------------------------------------------------

def test_load_returns_the_loaded_data():
    assert load(TicketCreateSchema(), ticket_input())["priority"] == "high"


def test_missing_required_field():
    err = failure(TicketCreateSchema(), ticket_input(title=...))
    assert list(err.fields) == ["title"]
    assert err.fields["title"] == ["Missing data for required field."]
    assert err.detail and err.extra == {"fields": err.fields}


def test_wrong_type_overlong_and_unknown_fields_are_all_named():
    err = failure(TicketCreateSchema(), ticket_input(title="x" * 201, priority=5, colour="red",
                                                     channel="pigeon"))
    assert set(err.fields) == {"title", "priority", "colour", "channel"}
    assert err.fields["colour"] == ["Unknown field."]
    assert err.fields["priority"] == ["Not a valid string."]
    assert all(isinstance(m, str) for messages in err.fields.values() for m in messages)


def test_nested_and_list_errors_have_dotted_names():
    err = failure(PersonSchema(), {"name": "Ann", "address": {"city": "Санкт-Петербург", "x": 1},
                                   "phones": ["123", "1"]})
    assert set(err.fields) == {"address.city", "address.x", "phones.1"}


def test_list_query_errors_name_the_position():
    err = failure(TicketListQuerySchema(), {"status": ["opened", "lost"], "limit": 0})
    assert set(err.fields) == {"status.1", "limit"}


@pytest.mark.parametrize("data", [None, [], ["title"], "title", 7, True])
def test_non_dict_input(data):
    err = failure(TicketCreateSchema(), data)
    assert err.fields == {"_schema": ["Expected a JSON object."]}


class ParametersSchema(Schema):
    parameters = FreeFormDict(keys=fields.String(), values=fields.Raw())
    mapping = fields.Dict(keys=fields.String(), values=fields.String())


@pytest.mark.parametrize("key", ["a\x00b", "$gt"])
def test_operator_like_keys_are_refused_anywhere_naming_the_path(key):
    error = failure(ParametersSchema(), {"parameters": {"ok": {"inner": [{key: 1}]}}})
    assert error.fields == {f"parameters.ok.inner.0.{key}": [REFUSED_KEY]}
    error = failure(ParametersSchema(), {"mapping": {key: "x"}})
    assert error.fields == {f"mapping.{key}": [REFUSED_KEY]}


def test_a_free_form_dict_refuses_dotted_keys_a_vocabulary_may_have_them():
    error = failure(ParametersSchema(), {"parameters": {"floor.2": "x", "ok": "y"}})
    assert error.fields == {"parameters.floor.2": [REFUSED_KEY]}
    assert load(ParametersSchema(), {"mapping": {"sale.entity": "Document_X"}}) == {
        "mapping": {"sale.entity": "Document_X"}}


def test_dollars_and_dots_inside_values_are_fine():
    data = {"parameters": {"price": "$5.00", "floor": "2.5"}}
    assert load(ParametersSchema(), data) == data
