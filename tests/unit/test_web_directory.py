"""The registration and directory pages' own small functions, without services: what a posted
form hands to the RPCs (the directory's forms: always the whole record of the write schema), and
the API's dates as the page's language writes them."""
import pytest
from flask import Flask, g
from werkzeug.datastructures import MultiDict

from gateway.web.directory.records import (BadParameters, client_errors, client_record,
                                           client_values, equipment_record, equipment_values,
                                           errors_by_field, site_record, site_values)
from gateway.web.directory.views import day_filter
from gateway.web.registration.views import typed
from services.tickets.assets.schemas import EquipmentWriteSchema, SiteWriteSchema
from services.tickets.directory.schemas import ClientWriteSchema


def test_a_blank_choice_is_no_choice_and_unknown_fields_are_left_out():
    form = MultiDict({"title": "Турникет", "client_id": "c1", "site_id": "", "equipment_id": "  ",
                      "description": "  с пробелами  ", "is_admin": "yes"})
    assert typed(form) == {"title": "Турникет", "client_id": "c1", "description": "  с пробелами  "}


def test_dates_of_the_api_follow_the_locale():
    app = Flask(__name__)
    with app.test_request_context():
        g.locale = "ru"
        assert day_filter("2026-08-29") == "29 авг. 2026\u202fг."
        g.locale = "en"
        assert day_filter("2026-08-29") == "Aug 29, 2026"
        assert day_filter(None) == ""


# -- the directory's forms as the write RPCs take them (gateway/web/directory/records.py) --------

def test_a_client_form_is_the_whole_record_with_blanks_as_null():
    form = MultiDict({"name": " Аптека ", "inn": "", "kpp": "  ", "notes": "", "is_admin": "yes",
                      "sla_targets.high.reaction_minutes": "30", "sla_targets.high.resolution_minutes": "240",
                      "sla_targets.low.reaction_minutes": "", "sla_targets.low.resolution_minutes": " ",
                      "sla_targets.critical.resolution_minutes": "60"})
    assert client_record(form) == {
        "name": "Аптека", "legal_name": None, "inn": None, "kpp": None, "category": None,
        "manager_id": None, "calendar_id": None, "notes": "",
        "sla_targets": {"high": {"reaction_minutes": "30", "resolution_minutes": "240"},
                        "critical": {"reaction_minutes": None, "resolution_minutes": "60"}}}
    # Every field of the write schema is there, so a replace never leaves one out.
    assert set(client_record(MultiDict())) == set(ClientWriteSchema().fields)


def test_a_clients_overrides_fill_the_table_and_its_reasons_go_to_its_inputs():
    client = {"name": "Аптека", "sla_targets": {"high": {"reaction_minutes": 30, "resolution_minutes": 240}}}
    shown = client_values(client)
    assert (shown["sla_targets.high.reaction_minutes"], shown["sla_targets.high.resolution_minutes"]) == (30, 240)
    assert client_record(MultiDict({k: str(v) for k, v in shown.items() if k.startswith("sla_targets.")}))[
        "sla_targets"] == {"high": {"reaction_minutes": "30", "resolution_minutes": "240"}}
    assert client_errors({"sla_targets.high.value.resolution_minutes": ["r"], "inn": ["i"]}) == {
        "sla_targets.high.resolution_minutes": ["r"], "inn": ["i"]}


def test_a_site_form_carries_its_coordinates_time_zone_and_contacts():
    form = MultiDict([("name", "Корпус 3"), ("lat", "55,75"), ("lon", "37.62"), ("time_zone", ""),
                      ("contact_ids", "c1"), ("contact_ids", "c2")])
    assert site_record(form) == {
        "name": "Корпус 3", "address": "", "city": "", "access_notes": "",
        "coordinates": {"lat": "55.75", "lon": "37.62"}, "time_zone": None, "calendar_id": None, "contact_ids": ["c1", "c2"]}
    assert site_record(MultiDict({"lon": "37.62"}))["coordinates"] == {"lat": None, "lon": "37.62"}
    assert site_record(MultiDict())["coordinates"] is None
    assert set(site_record(MultiDict())) == set(SiteWriteSchema().fields)
    shown = site_values({"name": "Корпус 3", "coordinates": {"lat": 55.75, "lon": 37.62}})
    assert (shown["lat"], shown["lon"]) == (55.75, 37.62)
    assert site_values({"name": "Корпус 3", "coordinates": None})["lat"] is None


def test_an_equipment_form_is_the_whole_record_and_its_parameters_survive_the_round_trip():
    parameters = {"firmware": "2.1", "note": "first line\n  indented\n\nafter a blank line"}
    form = {"site_id": "s1", "kind_id": "", "manufacturer": "PERCo", "model": "TTR-10",
            "serial_number": " ", "installed_on": "2026-01-31", "status": "in_service",
            "parameters": equipment_values({"parameters": parameters})["parameters"]}
    record = equipment_record(form)
    assert record["parameters"] == parameters
    assert record["kind_id"] is None and record["serial_number"] is None and record["warranty_until"] is None
    assert set(record) == set(EquipmentWriteSchema().fields)
    assert equipment_record({"parameters": "\r\n a : b \r\n\r\n"})["parameters"] == {"a": "b"}


@pytest.mark.parametrize("written", ["firmware 2.1", ": no name"])
def test_a_parameter_line_without_a_name_and_a_colon_is_refused(written):
    with pytest.raises(BadParameters):
        equipment_record({"parameters": written})


def test_nested_reasons_belong_to_the_forms_fields():
    reasons = {"coordinates.lat": ["a"], "coordinates": ["b"], "parameters.x.value": ["c"],
               "contact_ids.0": ["d"], "phones.0": ["e"], "name": ["f"]}
    assert errors_by_field(reasons, {"coordinates.lat": "lat", "coordinates": "lat", "phones": "phone"}) == {
        "lat": ["a", "b"], "parameters": ["c"], "contact_ids": ["d"], "phone": ["e"], "name": ["f"]}
