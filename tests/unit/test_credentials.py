"""Password hashes and token digests (directory/hashing.py), credentials and the login guard."""
import hashlib
import threading
from datetime import timedelta

import pytest

from services.shared.errors import NotFound, Throttled
from services.tickets.directory import hashing
from services.tickets.directory.hashing import digest, password_matches
from services.tickets.store import credentials
from services.tickets.store.credentials import FAILURE_WINDOW, LOCKOUT, MAX_FAILURES
from tests.unit.test_directory_support import (PASSWORD, clock, directory,  # noqa: F401
                                               password_hash)

ACCOUNT = "acc-1"
DAY = timedelta(days=1)


def person(n=1, kind="employee"):
    return {"kind": kind, "id": f"{kind}-{n}"}


def issue(directory, actor_ref=None, kind="session", ttl=DAY, account_id=ACCOUNT, **kwargs):
    return directory.credentials.issue(account_id, actor_ref or person(), kind, ttl, **kwargs)


# -- passwords ----------------------------------------------------------------------------------

def test_hash_is_argon2id_with_owasp_parameters():
    # $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>
    _, variant, version, params, salt, hashed = password_hash().split("$")
    assert variant == "argon2id"
    assert version == "v=19"
    assert dict(p.split("=") for p in params.split(",")) == {"m": "19456", "t": "2", "p": "1"}
    assert salt and hashed
    assert PASSWORD not in password_hash()


def test_two_hashes_of_one_password_differ_by_salt():
    assert hashing.hash_password(PASSWORD) != password_hash()


@pytest.mark.parametrize("stored,given,matches", [
    ("hash", PASSWORD, True),
    ("hash", PASSWORD + "!", False),
    ("hash", "", False),
    (None, PASSWORD, False),
    ("", PASSWORD, False),
    ("not an argon2 hash", PASSWORD, False),
], ids=["right", "wrong", "empty-password", "no-hash", "empty-hash", "garbage-hash"])
def test_password_matches(stored, given, matches):
    assert password_matches(password_hash() if stored == "hash" else stored, given) is matches


def test_no_hash_never_matches_even_the_decoy_password(monkeypatch):
    # A person without a password is checked against the decoy hash for timing only.
    monkeypatch.setattr(hashing, "DECOY_HASH", password_hash())
    assert password_matches(None, PASSWORD) is False


# -- tokens -------------------------------------------------------------------------------------

def test_tokens_are_long_random_and_unique(directory):
    secrets = {issue(directory)[0] for _ in range(20)}
    assert len(secrets) == 20
    assert all(len(s) >= 43 for s in secrets)


def test_only_the_digest_is_stored(directory):
    secret, doc = issue(directory, name="integration", created_by=person(9))
    stored = directory.credentials.credentials.find_one({"_id": doc["_id"]})
    assert stored["digest"] == hashlib.sha256(secret.encode()).hexdigest() == digest(secret)
    assert secret not in repr(stored)
    assert secret not in repr(doc)
    assert stored == doc


def test_issue_records_who_what_and_until_when(directory, clock):
    _, doc = issue(directory, kind="api_token", ttl=DAY * 90, name="1C", created_by=person(2))
    assert doc["account_id"] == ACCOUNT and doc["actor"] == person()
    assert doc["kind"] == "api_token" and doc["name"] == "1C"
    assert doc["created_at"] == clock.now and doc["expires_at"] == clock.now + DAY * 90
    assert doc["revoked_at"] is None and doc["created_by"] == person(2)


def test_find_valid_finds_by_secret(directory):
    secret, doc = issue(directory)
    assert directory.credentials.find_valid(secret, ("session",)) == doc
    assert directory.credentials.find_valid(secret + "x", ("session",)) is None
    assert directory.credentials.find_valid(doc["digest"], ("session",)) is None


@pytest.mark.parametrize("kind,wanted", [
    ("password_reset", ("api_token", "session")),
    ("session", ("password_reset",)),
    ("api_token", ("session",)),
])
def test_find_valid_refuses_the_wrong_kind(directory, kind, wanted):
    secret, _ = issue(directory, kind=kind)
    assert directory.credentials.find_valid(secret, wanted) is None
    assert directory.credentials.find_valid(secret, (kind,)) is not None


def test_find_valid_refuses_a_revoked_token(directory, clock):
    secret, doc = issue(directory)
    directory.credentials.revoke(doc["_id"])
    assert directory.credentials.find_valid(secret, ("session",)) is None
    assert directory.credentials.get(ACCOUNT, doc["_id"])["revoked_at"] == clock.now


def test_revoking_twice_keeps_the_first_time(directory, clock):
    _, doc = issue(directory)
    directory.credentials.revoke(doc["_id"])
    first = clock.now
    clock.advance(minutes=5)
    directory.credentials.revoke(doc["_id"])
    assert directory.credentials.get(ACCOUNT, doc["_id"])["revoked_at"] == first


def test_find_valid_refuses_an_expired_token(directory, clock):
    secret, _ = issue(directory, ttl=timedelta(hours=1))
    clock.advance(minutes=59, seconds=59)
    assert directory.credentials.find_valid(secret, ("session",)) is not None
    clock.advance(seconds=1)
    assert directory.credentials.find_valid(secret, ("session",)) is None


def test_revoke_all_keeps_the_one_to_keep(directory):
    keep_secret, keep = issue(directory)
    other_session, _ = issue(directory)
    api_token, _ = issue(directory, kind="api_token")
    someone_else, _ = issue(directory, actor_ref=person(2))
    other_account, _ = issue(directory, account_id="acc-2")
    directory.credentials.revoke_all(ACCOUNT, person()["id"], ("session",), keep=keep["_id"])

    def valid(secret):
        return directory.credentials.find_valid(secret, ("session", "api_token")) is not None

    assert valid(keep_secret)
    assert not valid(other_session)
    assert valid(api_token), "only the kinds named are revoked"
    assert valid(someone_else), "only the person named is signed out"
    assert valid(other_account), "only the account named is touched"


def test_revoke_all_without_keep_revokes_every_one(directory):
    secrets = [issue(directory)[0] for _ in range(3)]
    directory.credentials.revoke_all(ACCOUNT, person()["id"], ("session",))
    assert all(directory.credentials.find_valid(s, ("session",)) is None for s in secrets)


def test_get_is_scoped_by_account(directory):
    _, doc = issue(directory)
    assert directory.credentials.get(ACCOUNT, doc["_id"]) == doc
    with pytest.raises(NotFound):
        directory.credentials.get("acc-2", doc["_id"])


def test_list_shows_api_tokens_of_the_account_only(directory):
    mine = issue(directory, kind="api_token")[1]
    theirs = issue(directory, kind="api_token", actor_ref=person(2))[1]
    issue(directory, kind="session")
    issue(directory, kind="api_token", account_id="acc-2")
    docs, _ = directory.credentials.list(ACCOUNT, {"limit": 10})
    assert {d["_id"] for d in docs} == {mine["_id"], theirs["_id"]}
    docs, _ = directory.credentials.list(ACCOUNT, {"limit": 10}, person()["id"])
    assert [d["_id"] for d in docs] == [mine["_id"]]


def test_tokens_come_in_pages_newest_first(directory, clock):
    issued = []
    for _ in range(3):
        issued.append(issue(directory, kind="api_token")[1]["_id"])
        clock.now += timedelta(seconds=1)
    first, cursor = directory.credentials.list(ACCOUNT, {"limit": 2})
    second, last = directory.credentials.list(ACCOUNT, {"limit": 2, "cursor": cursor})
    assert [d["_id"] for d in first + second] == issued[::-1] and last is None


# -- the login guard ----------------------------------------------------------------------------

KEY = "account-1:ivan@example.ru"


def fail(directory, times, key=KEY):
    return [directory.guard.failed(key) for _ in range(times)]


def assert_locked(directory, key=KEY):
    with pytest.raises(Throttled) as caught:
        directory.guard.check(key)
    return int(caught.value.extra["retry_after"])


def test_the_documented_limits():
    assert (MAX_FAILURES, FAILURE_WINDOW, LOCKOUT) == (5, timedelta(minutes=15),
                                                      timedelta(minutes=15))


def test_four_failures_do_not_lock(directory, clock):
    assert fail(directory, MAX_FAILURES - 1) == [False] * 4
    directory.guard.check(KEY)


def test_success_resets_the_count(directory, clock):
    fail(directory, 4)
    directory.guard.succeeded(KEY)
    assert fail(directory, 4) == [False] * 4
    directory.guard.check(KEY)


def test_five_failures_lock_for_fifteen_minutes(directory, clock):
    assert fail(directory, 5) == [False] * 4 + [True]
    retry_after = assert_locked(directory)
    assert LOCKOUT.total_seconds() <= retry_after <= LOCKOUT.total_seconds() + 1
    clock.advance(minutes=14, seconds=50)
    assert 0 < assert_locked(directory) <= 11
    clock.advance(seconds=10)
    directory.guard.check(KEY)


def test_the_lock_is_per_key(directory, clock):
    fail(directory, 5)
    directory.guard.check("account-2:ivan@example.ru")
    directory.guard.check("account-1:petr@example.ru")


def test_after_a_lock_the_count_starts_again(directory, clock):
    fail(directory, 5)
    clock.advance(minutes=15)
    assert fail(directory, 4) == [False] * 4
    directory.guard.check(KEY)


def test_failures_older_than_the_window_do_not_count(directory, clock):
    fail(directory, 4)
    clock.advance(minutes=15)
    assert fail(directory, 4) == [False] * 4
    directory.guard.check(KEY)
    assert fail(directory, 1) == [True]


def test_failures_spread_within_the_window_lock(directory, clock):
    for _ in range(4):
        fail(directory, 1)
        clock.advance(minutes=3)
    assert fail(directory, 1) == [True]  # the fifth at 12 minutes
    assert_locked(directory)


class ReadsBeforeWrites:
    """The guard's collection as `parties` parallel requests see it: each reads its counter, and
    none writes before all have read (nameko runs requests concurrently; against MongoDB every
    read is a round trip during which other green threads run)."""

    def __init__(self, collection, parties):
        self._collection = collection
        self._barrier = threading.Barrier(parties, timeout=5)

    def find_one(self, *args, **kwargs):
        doc = self._collection.find_one(*args, **kwargs)
        self._barrier.wait()
        return doc

    def __getattr__(self, name):
        return getattr(self._collection, name)


def test_concurrent_failures_are_all_counted(directory, clock, monkeypatch):
    attempts = directory.guard.attempts
    monkeypatch.setattr(directory.guard, "attempts", ReadsBeforeWrites(attempts, MAX_FAILURES))
    results = []
    threads = [threading.Thread(target=lambda: results.append(directory.guard.failed(KEY)))
               for _ in range(MAX_FAILURES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(results) == MAX_FAILURES
    assert results.count(True) == 1, "five failed logins at once must lock the login"
    monkeypatch.setattr(directory.guard, "attempts", attempts)
    assert_locked(directory)
