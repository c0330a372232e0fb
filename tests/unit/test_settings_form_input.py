"""The settings forms' input: dotted field names to the RPC's nested data, money as people type
it, working hours and dated overrides as typed, and the services' reasons put back beside the
field that holds them, in Russian."""
from flask import Flask, g

from gateway import i18n
from gateway.web.calendars import typed_days
from gateway.web.settings_forms import form_input
from services.shared.errors import Conflict, ValidationFailed

FIELDS = ("name", "week", "week.monday", "days_off", "targets.high.reaction_minutes")


def test_dotted_names_nest_as_the_rpc_expects():
    assert form_input.nested({"targets.high.reaction_minutes": "60", "targets.high.resolution_minutes": "120",
                              "name": "Премиум"}) == {
        "targets": {"high": {"reaction_minutes": "60", "resolution_minutes": "120"}}, "name": "Премиум"}


def test_money_is_taken_as_people_type_it():
    assert form_input.money("2 500,50") == {"amount": "2500.50", "currency": "RUB"}
    assert form_input.money("2\u00a0500") == {"amount": "2500", "currency": "RUB"}
    assert form_input.money("дорого")["amount"] == "дорого"   # the service says what is wrong


def test_a_reason_lands_on_the_field_that_holds_its_path():
    assert form_input.owner_field("week.monday.1.end", FIELDS) == "week.monday"
    assert form_input.owner_field("week._schema", FIELDS) == "week"
    assert form_input.owner_field("days_off.3", FIELDS) == "days_off"
    assert form_input.owner_field("targets.high.value.reaction_minutes", FIELDS) == "targets.high.reaction_minutes"
    assert form_input.owner_field("_schema", FIELDS) == ""


def test_refusals_come_back_by_field_in_russian():
    app = Flask(__name__)
    with app.test_request_context():
        g.locale = "ru"
        def refuse(fields):
            def send():
                raise ValidationFailed.from_fields(fields)
            return send
        _, errors = form_input.attempt(refuse({
            "rules.1.group_id": ["A reassignment names the group."],
            "rules.0.action": ["Must be one of: notify, reassign."]}), ("group_id", "action"), prefix="rules.1.")
        assert errors == {"group_id": ["Для передачи укажите группу."],
                          "": ["Допустимые значения: notify, reassign."]}   # another rule's
        _, errors = form_input.attempt(refuse({
            "week.monday.0.end": ["Expected HH:MM, 00:00 to 24:00."],
            "shortened_days": ["2026-12-31 also listed as days off."]}), ("week.monday", "shortened_days"))
        assert errors == {"week.monday": ["Время в формате ЧЧ:ММ, от 00:00 до 24:00."],
                          "shortened_days": ["2026-12-31 уже указаны как выходные."]}

        def taken():
            raise Conflict("Code 'X' is taken.", {"field": "code"})
        assert form_input.attempt(taken, ("code",)) == (None, {"code": ["Уже занято: выберите другое."]})
        assert form_input.attempt(lambda: {"id": "1"}, ("code",)) == ({"id": "1"}, {})


def test_every_reason_with_values_has_its_russian():
    app = Flask(__name__)
    with app.test_request_context():
        g.locale = "ru"
        for _, msgid in i18n.reason_templates():
            assert form_input.gettext(msgid) != msgid, msgid


def test_working_hours_and_overrides_as_typed():
    assert typed_days.intervals("09:00-13:00, 14:00-18:00") == [
        {"start": "09:00", "end": "13:00"}, {"start": "14:00", "end": "18:00"}]
    assert typed_days.intervals("9") == [{"start": "9", "end": ""}]   # refused by the service, named
    assert typed_days.working_day("2026-12-26 10:00-15:00") == {
        "date": "2026-12-26", "intervals": [{"start": "10:00", "end": "15:00"}]}
    assert typed_days.working_day("2026-12-26") == {"date": "2026-12-26", "intervals": None}
    assert typed_days.shortened_day("2026-12-30 120") == {"date": "2026-12-30", "minutes": "120"}
    assert typed_days.shortened_day("2026-12-30") == {"date": "2026-12-30"}
    assert typed_days.working_day_text({"date": "2026-12-26", "intervals": None}) == "2026-12-26"
    assert typed_days.shortened_day_text({"date": "2026-12-30", "minutes": 120}) == "2026-12-30 120"
