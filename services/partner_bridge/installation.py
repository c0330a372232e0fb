"""What this installation says about itself to partners: its invitation key and its address.

PARTNER_INVITATION_KEY signs invitation codes (a Secret in Kubernetes, at least 16 bytes). A
laptop without it gets a key made once and kept in DATA_DIR, like the owner token, so that codes
issued before a restart can still be accepted after it.

PUBLIC_URL is the address partners reach this installation's gateway at; invitations carry it
and deliveries go to it. Without it, the local gateway's address is assumed (one machine).
"""
import os
import secrets

from services.shared import settings

KEY_FILE = "partner-invitation-key"


def invitation_key():
    configured = os.environ.get("PARTNER_INVITATION_KEY", "").strip()
    if configured:
        return configured
    path = settings.data_dir() / KEY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: two replicas starting at once on one laptop keep the same key.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secrets.token_urlsafe(32))
    return path.read_text().strip()


def public_url():
    configured = os.environ.get("PUBLIC_URL", "").strip().rstrip("/")
    if configured:
        return configured
    return f"http://127.0.0.1:{os.environ.get('GATEWAY_PORT', '8080')}"


def listener_path(account_id, link_id):
    """Where a partner delivers changes for one of our accounts: both accounts of a link in one
    installation share its id, so the path names the receiving account too."""
    return f"/api/v1/federation/{account_id}/links/{link_id}/events"


def rotation_path(account_id, link_id):
    """Where a partner tells one of our accounts the link's new secret (rotation.py)."""
    return f"/api/v1/federation/{account_id}/links/{link_id}/secret"


def state_path(account_id, link_id):
    """Where a partner tells one of our accounts that it paused, resumed or revoked the link."""
    return f"/api/v1/federation/{account_id}/links/{link_id}/state"


ACCEPTANCE_PATH = "/api/v1/federation/invitations/accept"
