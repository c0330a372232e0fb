"""Invitation codes that start a link between two accounts, and the states a link goes through.

A code is `<payload>.<tag>`, both base64url without padding: the payload is JSON naming the
inviting account, its display name, the endpoint the other side answers to, the pending link's id
and an expiry; the tag is HMAC-SHA256 of the payload under the inviting installation's key.

Only the inviter can check the tag, and it is the inviter who must: the accepting side (maybe
another installation that never saw the key) reads the payload with `read_invitation` to show who
invites it and where to answer, then presents the code back to the inviter's endpoint, where
`open_invitation` refuses a forged, altered or expired code before the pending link is touched.
The link's shared secret is not in the code (codes travel by e-mail and chat): the inviter issues
it in its answer to the acceptance, over HTTPS.
"""
import base64
import binascii
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlencode, urlsplit

from services.shared.errors import Conflict, Forbidden, Unavailable, ValidationFailed

FORMAT_VERSION = 1
DEFAULT_VALIDITY = timedelta(days=7)
MAX_CODE_LENGTH = 4096
ACCEPT_PATH = "/api/v1/partner-links/accept"
# What the invitation URL opens: the inviter's explanation of the code (no sign-in needed, the
# code is the credential); the invited admin pastes the URL or the code into ACCEPT_PATH.
INVITATION_PATH = "/api/v1/federation/invitations"

PENDING, ACTIVE, PAUSED, REVOKED = "pending", "active", "paused", "revoked"
LINK_STATES = (PENDING, ACTIVE, PAUSED, REVOKED)
INITIAL_LINK_STATE = PENDING

# What an admin may do. Revoked is final: a revoked partner comes back through a new invitation,
# with a new secret. A pending link becomes active only by the partner's acceptance
# (store/links.py's `accept` and `join`), never by an admin: it has no partner and no secret.
LINK_TRANSITIONS = {
    PENDING: (REVOKED,),
    ACTIVE: (PAUSED, REVOKED),
    PAUSED: (ACTIVE, REVOKED),
    REVOKED: (),
}


@dataclass(frozen=True)
class Invitation:
    account_id: str
    account_name: str
    endpoint: str
    link_id: str
    expires_at: datetime

    def as_payload(self):
        return {"v": FORMAT_VERSION, "account_id": self.account_id,
                "account_name": self.account_name, "endpoint": self.endpoint,
                "link_id": self.link_id, "expires_at": int(self.expires_at.timestamp())}


def new_link_secret():
    """The shared secret of one link: 256 random bits, printable."""
    return secrets.token_urlsafe(32)


def new_link_id():
    return secrets.token_hex(12)


def _b64encode(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _tag(key, payload_part):
    return hmac.new(_key_bytes(key), payload_part.encode("ascii"), hashlib.sha256).digest()


def _key_bytes(key):
    if isinstance(key, str):
        key = key.encode("utf-8")
    if len(key) < 16:
        # A short key makes every code guessable; refusing it is cheaper than finding out later.
        raise ValueError("The invitation key must be at least 16 bytes long.")
    return key


def _as_utc(moment):
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def issue_invitation(key, *, account_id, account_name, endpoint, now, link_id=None,
                     validity=DEFAULT_VALIDITY):
    """A signed code for a new pending link; returns (Invitation, code)."""
    problems = {}
    for name, value in (("account_id", account_id), ("account_name", account_name)):
        if not isinstance(value, str) or not value.strip():
            problems[name] = ["Must not be blank."]
    problem = endpoint_problem(endpoint)
    if problem:
        problems["endpoint"] = [problem]
    if validity <= timedelta(0):
        problems["validity"] = ["Must be positive."]
    if problems:
        raise ValidationFailed.from_fields(problems)
    expires_at = (_as_utc(now) + validity).replace(microsecond=0)
    invitation = Invitation(account_id, account_name.strip(), endpoint.rstrip("/"),
                            link_id or new_link_id(), expires_at)
    payload_part = _b64encode(json.dumps(invitation.as_payload(), separators=(",", ":"),
                                         sort_keys=True).encode("utf-8"))
    return invitation, f"{payload_part}.{_b64encode(_tag(key, payload_part))}"


def endpoint_problem(endpoint):
    """Why `endpoint` cannot be an installation's address (ours in an invitation, the partner's
    in an acceptance), or None."""
    if not isinstance(endpoint, str):
        return "Must be an https URL."
    try:
        parts = urlsplit(endpoint)
        hostname, _ = parts.hostname, parts.port
    except ValueError:  # a port out of range, brackets that are no IPv6 address
        return "Must be an https URL."
    # Plain http is allowed only for the installation itself (tests, one machine).
    local = hostname in ("localhost", "127.0.0.1", "::1")
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        return "Must be an https URL."
    if not hostname or parts.query or parts.fragment or parts.username or parts.password:
        return "Must be an https URL with a host and no user, query or fragment."
    return None


def invitation_url(invitation, code):
    """The link to send instead of the bare code: opened in a browser, the inviter's
    installation explains what the code is and how to accept it; pasted whole into the
    acceptance, it works as the code (code_from_text)."""
    return f"{invitation.endpoint}{INVITATION_PATH}?{urlencode({'code': code})}"


def check_acceptance_answer(invitation, answer):
    """The inviter's answer to an acceptance must speak for the account and link the code
    named; anything else (a misrouted endpoint, a proxy answering for another installation) is
    refused before a link is stored."""
    if answer.get("link_id") != invitation.link_id or answer.get("account_id") != invitation.account_id:
        raise Conflict("The inviting installation answered for another link or account.",
                       {"expected_account_id": invitation.account_id,
                        "answered_account_id": str(answer.get("account_id"))})
    if not isinstance(answer.get("secret"), str) or len(answer["secret"]) < 32:
        raise Unavailable("The inviting installation answered without a usable link secret.")
    return answer["secret"]


def code_from_text(text):
    """The code out of whatever was pasted: the code itself or an invitation URL."""
    if not isinstance(text, str) or not text.strip():
        raise _refused("Paste an invitation code or link.")
    text = text.strip()
    if len(text) > MAX_CODE_LENGTH:
        raise _refused("The invitation code is too long.")
    if "://" in text:
        found = parse_qs(urlsplit(text).query).get("code")
        if not found:
            raise _refused("The link carries no invitation code.")
        text = found[0]
    return text


def _split(code):
    parts = code.split(".")
    if len(parts) != 2 or not all(parts):
        raise _refused("This is not an invitation code.")
    return parts


def _decode_payload(payload_part):
    try:
        data = json.loads(_b64decode(payload_part))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise _refused("This is not an invitation code.") from None
    if not isinstance(data, dict) or data.get("v") != FORMAT_VERSION:
        raise _refused("This invitation code has an unknown format.")
    try:
        invitation = Invitation(
            account_id=_text(data, "account_id"), account_name=_text(data, "account_name"),
            endpoint=_text(data, "endpoint"), link_id=_text(data, "link_id"),
            expires_at=datetime.fromtimestamp(_integer(data, "expires_at"), timezone.utc))
    except (TypeError, ValueError, OverflowError, OSError):
        raise _refused("This invitation code is incomplete.") from None
    return invitation


def _text(data, name):
    value = data.get(name)
    if not isinstance(value, str) or not value:
        raise ValueError(name)
    return value


def _integer(data, name):
    value = data.get(name)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(name)
    return value


def read_invitation(text):
    """What a code says, unverified: for the accepting side to show before it answers."""
    payload_part, _ = _split(code_from_text(text))
    return _decode_payload(payload_part)


def open_invitation(key, text, *, now):
    """The invitation a code carries, if this installation issued it unaltered and it is current."""
    payload_part, tag_part = _split(code_from_text(text))
    try:
        tag = _b64decode(tag_part)
    except (binascii.Error, ValueError):
        raise _refused("The invitation code has been altered.") from None
    # Checked before the payload is even parsed: nothing an attacker wrote is trusted further.
    if not hmac.compare_digest(tag, _tag(key, payload_part)):
        raise _refused("The invitation code has been altered or was not issued here.")
    invitation = _decode_payload(payload_part)
    if _as_utc(now) >= invitation.expires_at:
        raise _refused("The invitation has expired; ask for a new one.")
    return invitation


def _refused(message):
    return ValidationFailed.from_fields({"code": [message]})


def allowed_link_transitions(state):
    return LINK_TRANSITIONS[state]


def check_link_transition(current, target):
    """Raise Conflict naming the allowed targets unless a link may move from `current` to `target`."""
    if target not in LINK_STATES:
        raise ValidationFailed.from_fields(
            {"state": [f"Must be one of: {', '.join(LINK_STATES)}."]})
    allowed = allowed_link_transitions(current)
    if target not in allowed:
        raise Conflict(f"A link cannot move from '{current}' to '{target}'.",
                       {"current_state": current, "requested_state": target,
                        "allowed": list(allowed)})


def sends_changes(state):
    """Whether the outbox of a link in `state` delivers now; a paused link keeps queueing."""
    return state == ACTIVE


def queues_changes(state):
    """Whether changes are still recorded for later delivery (paused links catch up on resume)."""
    return state in (ACTIVE, PAUSED)


def incoming_verdict(state):
    """How a link in `state` answers a change from the partner: None when it accepts it, else the
    error to answer with. Paused answers Unavailable so the partner's outbox retries after
    resume; pending and revoked answer Forbidden so the partner stops trying."""
    if state == ACTIVE:
        return None
    if state == PAUSED:
        return Unavailable("The link is paused; deliver again later.", {"state": state})
    return Forbidden(f"The link is {state}; it accepts no changes.", {"state": state})
