"""The SLA keys of account settings, checked when an admin (or the owner) writes them: each bad
value refused naming the key and the reason, other settings left alone."""
import pytest

from services.shared.errors import ValidationFailed
from services.shared.validation import load
from services.tickets.directory.schemas import AccountCreateSchema, AccountUpdateSchema
from services.tickets.sla.policy import SlaPolicy, policy_of, settings_errors


@pytest.mark.parametrize("settings", [
    {}, {"sla_warning_share": 0.5}, {"sla_warning_share": 0.01}, {"sla_pausing_statuses": []},
    {"sla_pausing_statuses": ["waiting"]}, {"sla_calendar_id": "c" * 32},
    {"portal_greeting": "Здравствуйте", "sla_warning_share": 0.9},
])
def test_what_the_policy_can_take_passes(settings):
    assert settings_errors(settings) == {}


@pytest.mark.parametrize("settings, key, reason", [
    ({"sla_warning_share": 1}, "sla_warning_share", "between 0 and 1"),
    ({"sla_warning_share": 0}, "sla_warning_share", "between 0 and 1"),
    ({"sla_warning_share": 1.5}, "sla_warning_share", "between 0 and 1"),
    ({"sla_warning_share": True}, "sla_warning_share", "between 0 and 1"),
    ({"sla_warning_share": "0.8"}, "sla_warning_share", "between 0 and 1"),
    ({"sla_pausing_statuses": "waiting"}, "sla_pausing_statuses", "A list"),
    ({"sla_pausing_statuses": ["lunch"]}, "sla_pausing_statuses", "Unknown status 'lunch'"),
    ({"sla_pausing_statuses": ["waiting", "resolved"]}, "sla_pausing_statuses",
     "'resolved' never pauses"),
    ({"sla_calendar_id": 7}, "sla_calendar_id", "A calendar's id"),
    ({"sla_calendar_id": ""}, "sla_calendar_id", "A calendar's id"),
    ({"sla_warning_shar": 0.5}, "sla_warning_shar", "Unknown SLA setting"),
])
def test_a_bad_value_is_named_with_its_reason(settings, key, reason):
    errors = settings_errors(settings)
    assert list(errors) == [key] and reason in errors[key][0]


@pytest.mark.parametrize("schema, data", [
    (AccountUpdateSchema(), {}),
    (AccountCreateSchema(), {"slug": "acme", "name": "Acme",
                             "admin": {"name": "Admin", "email": "admin@acme.example"}}),
])
def test_account_input_refuses_bad_sla_settings_naming_the_field(schema, data):
    with pytest.raises(ValidationFailed) as refused:
        load(schema, dict(data, settings={"sla_warning_share": 2, "sla_pausing_statuses": ["closed"],
                                          "locale_hint": "ru"}))
    assert sorted(refused.value.fields) == [
        "settings.sla_pausing_statuses", "settings.sla_warning_share"]
    assert load(schema, dict(data, settings={"sla_warning_share": 0.7}))["settings"] == {
        "sla_warning_share": 0.7}


def test_an_account_without_sla_settings_gets_the_default_policy():
    assert policy_of({"_id": "a-1"}) == policy_of({"settings": None}) == SlaPolicy(
        pausing_statuses=frozenset({"waiting"}), warning_share=0.8)


def test_the_policy_follows_the_accounts_settings():
    policy = policy_of({"settings": {"sla_pausing_statuses": ["waiting", "on_hold"],
                                     "sla_warning_share": 0.5}})
    assert policy == SlaPolicy(pausing_statuses=frozenset({"waiting", "on_hold"}), warning_share=0.5)


def test_a_stored_setting_the_policy_cannot_take_falls_back_instead_of_failing_writes():
    policy = policy_of({"settings": {"sla_pausing_statuses": ["resolved", 7, "waiting"],
                                     "sla_warning_share": 1.5}})
    assert policy == SlaPolicy(pausing_statuses=frozenset({"waiting"}), warning_share=0.8)
