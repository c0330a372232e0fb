"""The 1C password is sealed at rest under keys from the environment and never shown."""
import pytest

from services.billing_sync.secrets import KEYS_VARIABLE, PasswordBox, new_key, public_view
from services.shared.errors import Unavailable, ValidationFailed


def test_seal_and_open_round_trip_without_the_password_in_the_sealed_text():
    box = PasswordBox(new_key())
    sealed = box.seal("пароль-1С")
    assert "пароль" not in sealed and box.open(sealed) == "пароль-1С"
    assert box.seal("пароль-1С") != sealed  # a fresh IV each time: equal passwords do not show


def test_keys_come_from_the_environment(monkeypatch):
    key = new_key()
    monkeypatch.setenv(KEYS_VARIABLE, key)
    assert PasswordBox().open(PasswordBox(key).seal("x")) == "x"
    monkeypatch.delenv(KEYS_VARIABLE)
    with pytest.raises(Unavailable) as caught:
        PasswordBox()
    assert KEYS_VARIABLE in caught.value.detail


def test_rotation_keeps_old_passwords_readable_until_resealed():
    old, new = new_key(), new_key()
    sealed = PasswordBox(old).seal("secret")
    rotated = PasswordBox(f"{new},{old}")
    resealed = rotated.reseal(sealed)
    assert rotated.open(sealed) == "secret" and PasswordBox(new).open(resealed) == "secret"
    with pytest.raises(Unavailable):
        PasswordBox(new).open(sealed)


def test_bad_keys_and_bad_input_are_clear():
    with pytest.raises(Unavailable):
        PasswordBox("not-a-fernet-key")
    with pytest.raises(ValidationFailed) as caught:
        PasswordBox(new_key()).seal("")
    assert "password" in caught.value.fields
    with pytest.raises(Unavailable):
        PasswordBox(new_key()).open("garbage")


def test_the_public_view_says_whether_a_password_is_set_and_nothing_more():
    sealed = PasswordBox(new_key()).seal("secret")
    shown = public_view({"url": "https://1c.example/base/odata/standard.odata/", "user": "odata",
                         "password_sealed": sealed, "profile": "bp30"})
    assert shown["password_set"] is True and "password_sealed" not in shown
    assert sealed not in repr(shown)
    assert public_view({"user": "odata"})["password_set"] is False
