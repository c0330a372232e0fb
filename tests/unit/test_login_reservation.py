"""Attempts are counted before a password is checked: parallel guesses cannot outrun the lock,
and a token holder guessing the current password is throttled like a login."""
import pytest

from services.shared.errors import Forbidden, Throttled
from services.tickets.directory.authentication import change_password, login
from services.tickets.store.credentials import FAILURE_WINDOW, MAX_FAILURES
from tests.unit.test_directory_support import PASSWORD, clock, directory, world  # noqa: F401

KEY = "account:someone@example.ru"


def test_attempts_in_flight_count_toward_the_limit(directory, clock):
    for _ in range(MAX_FAILURES):
        directory.guard.reserve(KEY)   # five guesses being checked at once
    with pytest.raises(Throttled):
        directory.guard.reserve(KEY)   # the sixth is refused before any password is checked
    directory.guard.succeeded(KEY)     # one of the five was right: the lock stays
    with pytest.raises(Throttled):
        directory.guard.check(KEY)


def test_a_success_forgets_the_count(directory, clock):
    for _ in range(MAX_FAILURES - 1):
        directory.guard.reserve(KEY)
    directory.guard.succeeded(KEY)
    for _ in range(MAX_FAILURES):
        directory.guard.reserve(KEY)


def test_login_refuses_once_the_limit_is_reached_even_with_the_right_password(directory, world, clock):
    account = world.account()
    employee = world.employee(account)
    slug = account["slug"]
    for _ in range(MAX_FAILURES):
        with pytest.raises(Exception):
            login(directory, slug, employee["email"], "wrong password")
    with pytest.raises(Throttled):
        login(directory, slug, employee["email"], PASSWORD)


def test_guessing_the_current_password_is_throttled_and_audited(directory, world, clock):
    account = world.account()
    employee = world.employee(account)
    actor = world.actor(employee)
    for _ in range(MAX_FAILURES):
        with pytest.raises(Forbidden):
            change_password(directory, actor, "guess", "New-password-2026")
    with pytest.raises(Throttled):
        change_password(directory, actor, PASSWORD, "New-password-2026")
    failures = directory.audit.entries.count_documents({"action": "password.change_failed"})
    assert failures == MAX_FAILURES


def test_counts_carry_their_expiry_and_a_ttl_index_deletes_them(directory, db, clock):
    directory.guard.reserve(KEY)
    count = db.login_attempts.find_one({"_id": KEY})
    assert count["expires_at"] >= clock.now + FAILURE_WINDOW
    for _ in range(MAX_FAILURES):
        directory.guard.failed(KEY)
    locked = db.login_attempts.find_one({"_id": KEY})
    assert locked["expires_at"] >= locked["locked_until"]
    ttl = [index for index in db.login_attempts.index_information().values()
           if "expireAfterSeconds" in index]
    assert [(index["key"], index["expireAfterSeconds"]) for index in ttl] == [([("expires_at", 1)], 0)]
