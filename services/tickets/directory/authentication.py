"""Turning credentials into actors: token lookup, password login, logout, password change and reset.

Every request is authenticated afresh against the stored credential, the person and the account,
so deactivating any of them (or revoking the token) stops it at the very next request.
"""
from datetime import timedelta

from services.shared.actor import Actor
from services.shared.clock import today_in
from services.shared.errors import Forbidden, NotFound, Unauthenticated
from services.tickets.contracts.coverage import contract_valid_on
from services.tickets.directory.hashing import hash_password, password_matches

SESSION_TTL = timedelta(hours=12)
RESET_TTL = timedelta(hours=24)
BAD_LOGIN = "Unknown login or wrong password."
LOGIN_GUARD = Actor(account_id="-", kind="system", id="login")


def _people(store, kind):
    return store.employees if kind == "employee" else store.contacts


def person_of(store, account_id, ref):
    """The employee or contact a credential names, or None when missing or inactive."""
    person = _people(store, ref["kind"]).find(account_id, ref["id"])
    if person is None or not person.get("active", True):
        return None
    if ref["kind"] == "contact" and person.get("portal_access", "none") == "none":
        return None
    return person


def audience_of(store, account, client_id):
    """The contact's company as audiences are chosen by: its client category and the service
    levels of its contracts valid today in the account's time zone."""
    client = store.clients.find(account["_id"], client_id, {"category": 1}) or {}
    day = today_in(account["time_zone"])
    levels = sorted({contract["service_level_id"]
                     for contract in store.contracts.of_client(account["_id"], client_id)
                     if contract_valid_on(contract, day)})
    return {"client_category": client.get("category"), "service_levels": tuple(levels)}


def actor_for(store, account, ref, person, credential_id):
    if ref["kind"] == "employee":
        return Actor(account_id=account["_id"], kind="employee", id=ref["id"],
                     roles=tuple(person["roles"]), credential_id=credential_id)
    return Actor(account_id=account["_id"], kind="contact", id=ref["id"],
                 client_id=person["client_id"], client_scope=person["portal_access"],
                 credential_id=credential_id,
                 **audience_of(store, account, person["client_id"]))


def authenticate(store, secret):
    credential = store.credentials.find_valid(secret, ("api_token", "session"))
    if credential is None:
        raise Unauthenticated("The token is unknown, expired or revoked.")
    account = store.accounts.find(credential["account_id"])
    if account is None or not account["active"]:
        raise Unauthenticated("The account is deactivated.")
    person = person_of(store, account["_id"], credential["actor"])
    if person is None:
        raise Unauthenticated("The person this token belongs to has no access any more.")
    return actor_for(store, account, credential["actor"], person, credential["_id"])


def login(store, slug, email, password):
    """A session token for a correct login; throttled per account and e-mail."""
    guard_key = f"{slug}:{email}"
    store.guard.reserve(guard_key)
    account = store.accounts.find_by_slug(slug)
    ref = store.logins.find(account["_id"], email) if account and account["active"] else None
    person = person_of(store, account["_id"], ref) if ref else None
    if not password_matches(person and person.get("password_hash"), password) or person is None:
        locked = store.guard.failed(guard_key, reserved=True)
        if account:
            store.audit.record(LOGIN_GUARD.with_account(account["_id"]), "login.failed",
                               "login", ref["id"] if ref else None, login=email, locked=locked)
        # The same answer whether the account, the login or the password was wrong.
        raise Unauthenticated(BAD_LOGIN)
    store.guard.succeeded(guard_key)
    actor_ref = {"kind": ref["kind"], "id": ref["id"]}
    secret, credential = store.credentials.issue(account["_id"], actor_ref, "session",
                                                 SESSION_TTL, name="login")
    return secret, credential, actor_for(store, account, actor_ref, person, credential["_id"])


def _password_store(store, kind):
    return store.employees if kind == "employee" else store.contacts


def change_password(store, actor, current, new):
    """A token holder guessing the current password is throttled like a login."""
    ref = actor.as_reference()
    guard_key = f"password:{actor.account_id}:{actor.id}"
    store.guard.reserve(guard_key)
    person = person_of(store, actor.account_id, ref)
    if person is None or not password_matches(person.get("password_hash"), current):
        locked = store.guard.failed(guard_key, reserved=True)
        store.audit.record(actor, "password.change_failed", actor.kind, actor.id, locked=locked)
        raise Forbidden("The current password is wrong.")
    store.guard.succeeded(guard_key)
    _password_store(store, actor.kind).set_password(actor.account_id, actor.id, hash_password(new))
    # Everybody else signed in as this person is signed out (this session stays), and reset
    # tokens still out there die.
    store.credentials.revoke_all(actor.account_id, actor.id, ("session", "password_reset"),
                                 keep=actor.credential_id)


def issue_reset(store, actor, ref):
    if _people(store, ref["kind"]).find(actor.account_id, ref["id"], {"_id": 1}) is None:
        raise NotFound(f"No {ref['kind']} {ref['id']}.")
    if person_of(store, actor.account_id, ref) is None:
        raise Forbidden("Only an active person with access can be given a password reset.")
    return store.credentials.issue(actor.account_id, ref, "password_reset", RESET_TTL,
                                   name="password reset", created_by=actor.as_reference())


def redeem_reset(store, slug, secret, new_password):
    account = store.accounts.find_by_slug(slug)
    credential = store.credentials.find_valid(secret, ("password_reset",))
    if (account is None or not account["active"] or credential is None
            or credential["account_id"] != account["_id"]
            or person_of(store, account["_id"], credential["actor"]) is None):
        raise Unauthenticated("The reset token is unknown, used or expired.")
    # Spend the token first, atomically: of two redeems at once, one wins.
    if not store.credentials.spend(credential["_id"]):
        raise Unauthenticated("The reset token is unknown, used or expired.")
    ref = credential["actor"]
    _password_store(store, ref["kind"]).set_password(account["_id"], ref["id"],
                                                        hash_password(new_password))
    store.credentials.revoke_all(account["_id"], ref["id"], ("session", "password_reset"))
    return account["_id"], ref
