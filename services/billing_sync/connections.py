"""An account's 1C connection as plain data: the settings it keeps, when it runs next, and the
OData client and profile it is read with. The password is stored sealed (`secrets.PasswordBox`)
and never unsealed except to build an OData client (the documents are in store/connections.py).
"""
import os
from datetime import timedelta

from services.billing_sync import profiles
from services.billing_sync.adapters.odata import ODataClient
from services.billing_sync.sale import check_settings
from services.billing_sync.secrets import SEALED_FIELD, PasswordBox


def validate_settings(data):
    """Raises ValidationFailed naming `mapping.<key>` or `sale.fields.<name>`."""
    check_settings(profiles.Profile(data["profile"], data["mapping"]), data.get("sale"))


def stored_fields(data):
    """What a connection keeps of the settings an admin sent (the password is sealed apart)."""
    return {"url": data["url"], "user": data["user"], "profile": data["profile"],
            "mapping": data["mapping"], "price_types": data.get("price_types"),
            "schedule_minutes": data.get("schedule_minutes"),
            "grace_days": data.get("grace_days", 30), "sale": data.get("sale")}


def next_run(data, now):
    """When the connection's next scheduled run is due; None without a schedule."""
    minutes = data.get("schedule_minutes")
    return now + timedelta(minutes=minutes) if minutes else None


def open_source(connection, box=None, **options):
    """An ODataClient logged in as the connection's user. `ONEC_RETRY_BACKOFF_SECONDS` (0.5 by
    default) sets the backoff of its per-request retries: 6 more tries wait 0, 1, 2, 4, 8, 16 s,
    which outlasts a 1C server restart."""
    options.setdefault("backoff", float(os.environ.get("ONEC_RETRY_BACKOFF_SECONDS", "0.5")))
    password = (box or PasswordBox()).open(connection[SEALED_FIELD])
    return ODataClient(connection["url"], connection["user"], password, **options)


def profile_of(connection):
    return profiles.Profile(connection["profile"], connection.get("mapping") or {})
