"""The rules of equipment items: their statuses, the serial number's key, and the public code
printed on an item's QR label."""
import secrets

from services.tickets.names import name_key

STATUSES = ("in_service", "under_repair", "decommissioned")


def serial_key(account_id, manufacturer, serial):
    """Serial numbers are unique per manufacturer within an account, however they were typed."""
    return f"{account_id}|{name_key(manufacturer).strip()}|{''.join(serial.split()).upper()}"


def new_public_code():
    """What the QR label carries: 128 random bits, unguessable, URL-safe."""
    return secrets.token_urlsafe(16)
