"""PUT and PATCH bodies made from a write schema (gateway/partial_updates.py)."""
import pytest
from marshmallow import ValidationError

from gateway.partial_updates import patched, patching, replacing
from services.billing_sync.schemas import ConnectionWriteSchema
from services.shared.errors import ValidationFailed
from services.telephony.schemas import IntegrationWriteSchema
from services.tickets.schemas import ClientWriteSchema, EquipmentWriteSchema

ITEM = {"id": "e1", "client_id": "c1", "site_id": "s1", "kind_id": "k1", "manufacturer": "PERCo",
        "model": "TTR-10", "serial_number": "SN-1", "inventory_number": None,
        "installed_on": "2024-03-01", "warranty_until": "2027-12-31",
        "parameters": {"firmware": "2.1"}, "status": "in_service", "public_code": "x",
        "created_at": "2026-01-01T00:00:00+00:00"}


def test_a_put_body_needs_every_field_that_a_post_may_default():
    with pytest.raises(ValidationError) as refused:
        replacing(EquipmentWriteSchema)().load({"status": "under_repair"})
    assert {"site_id", "kind_id", "serial_number", "warranty_until", "parameters"} <= set(
        refused.value.messages)
    assert "status" not in refused.value.messages


def test_write_only_fields_kept_when_left_out_stay_optional():
    assert not replacing(IntegrationWriteSchema, keep=("secrets",))().fields["secrets"].required
    assert not replacing(ConnectionWriteSchema)().fields["password"].required
    assert replacing(ConnectionWriteSchema)().fields["grace_days"].required


def test_a_patch_keeps_what_it_does_not_name():
    patch = patching(EquipmentWriteSchema)
    whole = patched(ITEM, patch().load({"status": "under_repair"}), patch(), EquipmentWriteSchema())
    assert whole == {**{k: ITEM[k] for k in whole if k != "status"}, "status": "under_repair"}
    assert whole["serial_number"] == "SN-1" and whole["parameters"] == {"firmware": "2.1"}


def test_a_patch_body_refuses_unknown_fields_and_bad_values_and_defaults_nothing():
    patch = patching(EquipmentWriteSchema)()
    assert patch.load({}) == {}
    with pytest.raises(ValidationError) as refused:
        patch.load({"status": "melted", "colour": "red"})
    assert set(refused.value.messages) == {"status", "colour"}


def test_a_patch_that_breaks_the_whole_names_the_field():
    patch = patching(ClientWriteSchema)
    client = {"name": "Иванов ИП", "inn": "500100732259", "kpp": None}  # a person's 12-digit INN
    with pytest.raises(ValidationFailed) as refused:  # a KPP needs an organisation's INN
        patched(client, patch().load({"kpp": "773601001"}), patch(), ClientWriteSchema())
    assert set(refused.value.fields) == {"kpp"}


def test_a_password_in_a_patch_goes_over_as_given():
    patch = patching(ConnectionWriteSchema)
    current = {"url": "http://1c.example/base/odata/standard.odata/", "user": "odata",
               "password_set": True, "profile": "bp30", "mapping": {}, "price_types": None,
               "schedule_minutes": None, "grace_days": 30, "sale": None}
    kept = patched(current, patch().load({"grace_days": 10}), patch(), ConnectionWriteSchema())
    assert kept["password"] is None and kept["grace_days"] == 10  # None: keep the stored one
    given = patched(current, patch().load({"password": "New-secret-1"}), patch(),
                    ConnectionWriteSchema())
    assert given["password"] == "New-secret-1"
