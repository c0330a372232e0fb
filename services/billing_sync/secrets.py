"""The 1C password at rest: sealed with Fernet (AES-128-CBC and HMAC-SHA256) under keys from the
environment, opened only to build an OData client, never returned.

ONEC_SECRET_KEYS holds one or more Fernet keys separated by commas: the first seals, all open, so a
key can be rotated by putting the new one first and keeping the old one until every connection has
been saved again (`reseal`). The keys live in the Kubernetes Secret, never in the database, so a
copy of the database alone reveals no password.
"""
import os

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from services.shared.errors import Unavailable, ValidationFailed

KEYS_VARIABLE = "ONEC_SECRET_KEYS"
SEALED_FIELD = "password_sealed"


def new_key():
    """A fresh key for ONEC_SECRET_KEYS."""
    return Fernet.generate_key().decode()


class PasswordBox:
    def __init__(self, keys=None):
        text = os.environ.get(KEYS_VARIABLE, "") if keys is None else keys
        parts = [part.strip() for part in text.split(",") if part.strip()]
        if not parts:
            raise Unavailable(f"1C passwords cannot be stored or used: {KEYS_VARIABLE} is not set.",
                              {"setting": KEYS_VARIABLE})
        try:
            self._fernet = MultiFernet([Fernet(part.encode()) for part in parts])
        except (ValueError, TypeError):
            raise Unavailable(f"{KEYS_VARIABLE} holds something that is not a Fernet key "
                              "(32 url-safe base64-encoded bytes).", {"setting": KEYS_VARIABLE}) from None

    def seal(self, password):
        if not isinstance(password, str) or not password:
            raise ValidationFailed.from_fields({"password": ["The 1C user's password is required."]})
        return self._fernet.encrypt(password.encode("utf-8")).decode("ascii")

    def open(self, sealed):
        try:
            return self._fernet.decrypt(sealed.encode("ascii")).decode("utf-8")
        except (InvalidToken, AttributeError, UnicodeError):
            raise Unavailable("The stored 1C password cannot be opened with the keys in "
                              f"{KEYS_VARIABLE}: was a key removed before every connection was "
                              "saved again? Enter the password again.",
                              {"setting": KEYS_VARIABLE}) from None

    def reseal(self, sealed):
        """The same password under the first (newest) key."""
        try:
            return self._fernet.rotate(sealed.encode("ascii")).decode("ascii")
        except (InvalidToken, AttributeError, UnicodeError):
            raise Unavailable("The stored 1C password cannot be opened with the keys in "
                              f"{KEYS_VARIABLE}.", {"setting": KEYS_VARIABLE}) from None


def public_view(connection):
    """A stored connection as it may be shown: the sealed password replaced by whether one is set."""
    shown = {key: value for key, value in connection.items() if key != SEALED_FIELD}
    shown["password_set"] = bool(connection.get(SEALED_FIELD))
    return shown
