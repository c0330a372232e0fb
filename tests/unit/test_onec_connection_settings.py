"""services/billing_sync/connections.py as plain data, without a store: what a connection keeps
of the settings an admin sent, and when its next scheduled run is due."""
from datetime import datetime, timedelta

import pytest

from services.billing_sync.connections import next_run, stored_fields, validate_settings
from services.shared.errors import ValidationFailed

NOW = datetime(2026, 12, 7, 12, 0)
SENT = {"url": "http://1c.example/base/odata/standard.odata/", "user": "odata",
        "password": "never-kept-here", "profile": "bp30", "mapping": {}}


def test_the_password_is_not_among_the_fields_kept_and_defaults_are_filled():
    kept = stored_fields(SENT)
    assert "password" not in kept
    assert kept["grace_days"] == 30 and kept["schedule_minutes"] is None and kept["sale"] is None


def test_a_schedule_sets_the_next_run_and_none_leaves_it_unset():
    assert next_run(dict(SENT, schedule_minutes=15), NOW) == NOW + timedelta(minutes=15)
    assert next_run(SENT, NOW) is None


def test_a_mapping_override_of_an_unknown_key_is_refused_by_name():
    validate_settings(SENT)
    with pytest.raises(ValidationFailed) as refused:
        validate_settings(dict(SENT, mapping={"no.such.key": "Catalog_X"}))
    assert any(field.startswith("mapping") for field in refused.value.fields)
