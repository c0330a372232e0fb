"""services/telephony/integrations.py as plain data, without a store: the secrets a dialect
keeps, the webhook path they give, and whom an extension belongs to."""
import pytest

from services.shared.errors import ValidationFailed
from services.telephony.integrations import (WEBHOOK_PREFIX, chosen_secrets, dialect_settings,
                                             employee_for, webhook_path)

INTEGRATION = {"region": "RU", "area_code": "495", "time_zone": "Europe/Moscow",
               "extensions": [{"extension": "101", "employee_id": "e-ivanov"}]}


def test_given_secrets_win_over_kept_ones_and_others_are_dropped():
    kept = {"secret": "old-secret-0001", "token": "left-from-another-dialect"}
    assert chosen_secrets("zadarma", {"secret": "new-secret-0002"}, kept) == {
        "secret": "new-secret-0002"}
    assert chosen_secrets("zadarma", None, kept) == {"secret": "old-secret-0001"}


def test_a_token_dialect_gets_a_generated_token_once():
    generated = chosen_secrets("generic", None, {})
    assert len(generated["token"]) >= 32
    assert chosen_secrets("generic", None, generated) == generated


def test_every_missing_vendor_secret_is_named():
    with pytest.raises(ValidationFailed) as refused:
        chosen_secrets("mango", {"api_key": "k"}, {})
    assert set(refused.value.fields) == {"secrets.api_salt"}


def test_the_webhook_path_carries_the_token_only_for_token_dialects():
    assert webhook_path("acme", "i1", {"secret": "s"}) == f"{WEBHOOK_PREFIX}/i1"
    assert webhook_path("acme", "i1", {"token": "t0k"}) == f"{WEBHOOK_PREFIX}/i1/t0k"


def test_extensions_map_to_employees_and_numbers_read_in_the_integrations_region():
    assert employee_for(INTEGRATION, "101") == "e-ivanov"
    assert employee_for(INTEGRATION, "102") is None and employee_for(INTEGRATION, None) is None
    settings = dialect_settings(INTEGRATION)
    assert settings.time_zone == "Europe/Moscow"
    assert settings.numbering.normalize("123-45-67") == "+74951234567"
