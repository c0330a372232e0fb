"""PBX integrations as plain data: which secrets a dialect keeps, the webhook path they give,
how the integration's requests are read and whom an extension belongs to."""
import secrets as tokens

from services.shared.errors import ValidationFailed
from services.telephony.adapters.base import DialectSettings
from services.telephony.numbers import Numbering
from services.telephony.schemas import DIALECT_SECRETS, GENERATED_SECRETS

WEBHOOK_PREFIX = "/api/v1/webhooks/telephony"


def dialect_settings(integration):
    """How the integration's requests are read: its numbering and time zone."""
    return DialectSettings(numbering=Numbering(region=integration["region"],
                                               area_code=integration.get("area_code")),
                           time_zone=integration["time_zone"])


def employee_for(integration, extension):
    """The employee the integration maps `extension` to, if any."""
    return next((entry["employee_id"] for entry in integration["extensions"]
                 if entry["extension"] == extension), None) if extension else None


def chosen_secrets(dialect, given, kept):
    """The secrets a dialect keeps: `given` over `kept`, generated where the dialect allows;
    ValidationFailed naming each one still missing."""
    chosen = dict(kept)
    chosen.update(given or {})
    for name in DIALECT_SECRETS[dialect]:
        if name not in chosen and name in GENERATED_SECRETS:
            chosen[name] = tokens.token_urlsafe(24)
    missing = [name for name in DIALECT_SECRETS[dialect] if name not in chosen]
    if missing:
        raise ValidationFailed.from_fields({f"secrets.{name}": ["Required for this dialect."]
                                            for name in missing})
    return {name: chosen[name] for name in DIALECT_SECRETS[dialect]}


def webhook_path(account_id, integration_id, chosen):
    # The integration id is random (uuid4), so the path needs no account: the edge learns the
    # account from the integration, as the tickets service learns it from a token's digest.
    path = f"{WEBHOOK_PREFIX}/{integration_id}"
    return f"{path}/{chosen['token']}" if "token" in chosen else path
