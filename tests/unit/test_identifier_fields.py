"""services/shared/identifier_fields.py and the directory schemas' cross-field rules."""
import pytest
from marshmallow import Schema

from services.shared.errors import ValidationFailed
from services.shared.identifier_fields import Email, Inn, Kpp, Phone, TimeZone
from services.shared.validation import load
from services.tickets.directory.schemas import (AccountCreateSchema, ClientWriteSchema,
                                                ContactWriteSchema)


def load_one(field, value):
    """Load `value` through a one-field schema; returns the value or the field's messages."""
    schema = Schema.from_dict({"value": field})()
    return load(schema, {"value": value})["value"]


def refusal(field, value):
    with pytest.raises(ValidationFailed) as caught:
        load_one(field, value)
    assert list(caught.value.fields) == ["value"]
    return caught.value.fields["value"]


# -- phones -------------------------------------------------------------------------------------

@pytest.mark.parametrize("written,e164", [
    ("8 (495) 123-45-67", "+74951234567"),
    ("+7 (495) 123-45-67", "+74951234567"),
    ("495 123 45 67", "+74951234567"),
    ("84951234567", "+74951234567"),
    ("+7 916 555-12-34", "+79165551234"),
    ("8 916 555 12 34", "+79165551234"),
    ("8-800-555-35-35", "+78005553535"),
    ("+1 650 253 0000", "+16502530000"),
])
def test_phone_to_e164(written, e164):
    assert load_one(Phone(), written) == e164


@pytest.mark.parametrize("written,message", [
    ("not a phone", "Not a phone number."),
    ("", "Not a phone number."),
    ("12345", "Not a valid phone number."),
    ("8 495 123", "Not a valid phone number."),
    ("+7 495 123 45 67 89 00", "Not a valid phone number."),
])
def test_phone_refused(written, message):
    assert refusal(Phone(), written) == [message]


def test_contact_phones_are_normalised_one_by_one():
    data = load(ContactWriteSchema(), {"name": "Иванов", "phones": ["8 (495) 123-45-67",
                                                                   "+7 916 555-12-34"]})
    assert data["phones"] == ["+74951234567", "+79165551234"]
    with pytest.raises(ValidationFailed) as caught:
        load(ContactWriteSchema(), {"name": "Иванов", "phones": ["8 (495) 123-45-67", "12"]})
    assert list(caught.value.fields) == ["phones.1"]


# -- INN and KPP --------------------------------------------------------------------------------

@pytest.mark.parametrize("written,stored", [
    ("7707083893", "7707083893"),
    ("7736050003", "7736050003"),
    ("500100732259", "500100732259"),
    (" 7707083893 ", "7707083893"),
])
def test_valid_inn(written, stored):
    assert load_one(Inn(), written) == stored


@pytest.mark.parametrize("written", [
    "7707083894",        # 10 digits, wrong check digit
    "500100732258",      # 12 digits, wrong last check digit
    "500100732249",      # 12 digits, wrong first check digit
    "770708389",         # too short
    "77070838931",       # 11 digits
    "77070838AB",
])
def test_invalid_inn(written):
    [message] = refusal(Inn(), written)
    assert "INN" in message


@pytest.mark.parametrize("written,stored", [
    ("773601001", "773601001"),
    ("7736AB001", "7736AB001"),
    ("7736ab001", "7736AB001"),
])
def test_valid_kpp(written, stored):
    assert load_one(Kpp(), written) == stored


@pytest.mark.parametrize("written", ["77360100", "7736010011", "77X601001", "7736AB0C1", ""])
def test_invalid_kpp(written):
    [message] = refusal(Kpp(), written)
    assert "KPP" in message


# -- e-mails and time zones ---------------------------------------------------------------------

def test_email_is_lowercased():
    assert load_one(Email(), "Ivan.Petrov@Example.RU") == "ivan.petrov@example.ru"


@pytest.mark.parametrize("written", ["ivan", "ivan@", "@example.ru"])
def test_invalid_email(written):
    assert refusal(Email(), written)


@pytest.mark.parametrize("name", ["Europe/Moscow", "Asia/Vladivostok", "Europe/Kaliningrad",
                                  "Asia/Kamchatka", "UTC"])
def test_iana_time_zone(name):
    assert load_one(TimeZone(), name) == name


@pytest.mark.parametrize("name", ["Moscow", "UTC+3", "MSK+7", "europe/moscow", "Europe/Atlantis"])
def test_not_a_time_zone(name):
    [message] = refusal(TimeZone(), name)
    assert "IANA" in message


def test_account_time_zone_defaults_to_moscow_and_is_checked():
    data = {"slug": "acme", "name": "Acme", "admin": {"name": "A", "email": "a@acme.ru"}}
    assert load(AccountCreateSchema(), data)["time_zone"] == "Europe/Moscow"
    with pytest.raises(ValidationFailed) as caught:
        load(AccountCreateSchema(), dict(data, time_zone="UTC+3"))
    assert list(caught.value.fields) == ["time_zone"]


# -- cross-field rules --------------------------------------------------------------------------

def client(**fields):
    return dict({"name": "ООО Ромашка"}, **fields)


def contact(**fields):
    return dict({"name": "Иванов Иван"}, **fields)


@pytest.mark.parametrize("data", [
    client(kpp="773601001"),
    client(kpp="773601001", inn=None),
    client(kpp="773601001", inn="500100732259"),
], ids=["no-inn", "null-inn", "individual-inn"])
def test_kpp_needs_a_ten_digit_inn(data):
    with pytest.raises(ValidationFailed) as caught:
        load(ClientWriteSchema(), data)
    assert list(caught.value.fields) == ["kpp"]
    assert "10-digit INN" in caught.value.fields["kpp"][0]


@pytest.mark.parametrize("data", [
    client(inn="7707083893", kpp="773601001"),
    client(inn="500100732259"),
    client(),
])
def test_clients_that_pass(data):
    loaded = load(ClientWriteSchema(), data)
    assert loaded["inn"] == data.get("inn") and loaded["kpp"] == data.get("kpp")


def test_a_bad_inn_is_named_not_the_kpp_rule():
    with pytest.raises(ValidationFailed) as caught:
        load(ClientWriteSchema(), client(inn="7707083894"))
    assert list(caught.value.fields) == ["inn"]


@pytest.mark.parametrize("access", ["own", "company"])
def test_portal_access_needs_an_email(access):
    for data in (contact(portal_access=access), contact(portal_access=access, emails=[])):
        with pytest.raises(ValidationFailed) as caught:
            load(ContactWriteSchema(), data)
        assert list(caught.value.fields) == ["emails"]


@pytest.mark.parametrize("data", [
    contact(),
    contact(portal_access="none"),
    contact(portal_access="own", emails=["Ivanov@Client.RU"]),
])
def test_contacts_that_pass(data):
    loaded = load(ContactWriteSchema(), data)
    assert loaded["emails"] == [e.lower() for e in data.get("emails", [])]
    assert loaded["portal_access"] == data.get("portal_access", "none")


def test_unknown_portal_access_is_refused():
    with pytest.raises(ValidationFailed) as caught:
        load(ContactWriteSchema(), contact(portal_access="all", emails=["a@b.ru"]))
    assert list(caught.value.fields) == ["portal_access"]
