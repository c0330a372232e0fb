"""services/tickets/store/audit.py: the account-scoped audit log, its filters and its pages."""
from datetime import timedelta

import pytest

from services.shared.actor import Actor
from services.shared.validation import load
from services.tickets.directory.schemas import AuditEntrySchema, AuditQuerySchema
from tests.unit.test_directory_support import T0, clock, directory  # noqa: F401

A, B = "acc-a", "acc-b"


def actor(account=A, id="admin", credential_id="cred-1", kind="employee"):
    return Actor(account_id=account, kind=kind, id=id, roles=("admin",),
                 credential_id=credential_id)


def iso(moment):
    return moment.isoformat() + "+00:00"


class Log:
    """Writes entries a minute apart and lists them through the query schema."""

    def __init__(self, directory, clock):
        self.audit, self.clock = directory.audit, clock

    def record(self, action, target_type=None, target_id=None, who=None, **details):
        self.clock.advance(minutes=1)
        self.audit.record(who or actor(), action, target_type, target_id, **details)
        return self.clock.now

    def list(self, account=A, **params):
        return self.audit.list(account, load(AuditQuerySchema(), params))

    def actions(self, account=A, **params):
        docs, _ = self.list(account, **params)
        return [d["action"] for d in docs]


@pytest.fixture
def log(directory, clock):
    return Log(directory, clock)


@pytest.fixture
def history(log):
    """Five entries in A (oldest first) and one in B."""
    log.record("employee.created", "employee", "emp-1")
    log.record("token.created", "credential", "cred-9", for_employee="emp-1", name="1C")
    log.record("employee.updated", "employee", "emp-1", who=actor(id="other-admin"))
    log.record("login.failed", "login", None, who=actor(kind="system", id="login",
                                                        credential_id=None), login="x@y.ru")
    log.record("employee.updated", "employee", "emp-2")
    log.record("employee.created", "employee", "emp-b", who=actor(account=B))
    return log


def test_an_entry_records_who_what_which_and_when(log):
    at = log.record("token.created", "credential", "cred-9", for_employee="emp-1", name="1C")
    [entry], next_cursor = log.list()
    assert next_cursor is None
    assert {k: v for k, v in entry.items() if k != "_id"} == {
        "account_id": A, "at": at, "actor": {"kind": "employee", "id": "admin"},
        "credential_id": "cred-1", "action": "token.created", "target_type": "credential",
        "target_id": "cred-9", "details": {"for_employee": "emp-1", "name": "1C"}}
    dumped = AuditEntrySchema().dump(entry)
    assert dumped["at"] == iso(at) and dumped["id"] == entry["_id"]


def test_an_entry_may_name_its_account_explicitly(log):
    # The installation owner belongs to no account and records into the one it changed.
    owner = Actor(account_id=None, kind="owner", id="owner")
    log.audit.record(owner, "account.created", "account", B, account_id=B)
    assert log.actions(B) == ["account.created"]
    assert log.actions(A) == []


def test_newest_first(history):
    assert history.actions() == ["employee.updated", "login.failed", "employee.updated",
                                 "token.created", "employee.created"]


@pytest.mark.parametrize("params,expected", [
    ({"action": "employee.updated"}, ["employee.updated", "employee.updated"]),
    ({"actor_id": "other-admin"}, ["employee.updated"]),
    ({"actor_id": "login"}, ["login.failed"]),
    ({"target_type": "employee"}, ["employee.updated", "employee.updated", "employee.created"]),
    ({"target_id": "emp-1"}, ["employee.updated", "employee.created"]),
    ({"target_type": "employee", "target_id": "emp-2"}, ["employee.updated"]),
    ({"action": "employee.updated", "actor_id": "admin"}, ["employee.updated"]),
    ({"action": "no.such.action"}, []),
])
def test_filters(history, params, expected):
    assert history.actions(**params) == expected


def test_time_range_includes_the_start_and_excludes_the_end(history):
    minute = timedelta(minutes=1)
    # Entries are at T0 + 1..5 minutes.
    params = {"created_from": iso(T0 + 2 * minute), "created_to": iso(T0 + 4 * minute)}
    assert history.actions(**params) == ["employee.updated", "token.created"]
    assert history.actions(created_from=iso(T0 + 5 * minute)) == ["employee.updated"]
    assert history.actions(created_to=iso(T0 + 2 * minute)) == ["employee.created"]


def test_time_range_understands_offsets(history):
    # 11:02 in Moscow is 08:02 UTC.
    assert history.actions(created_to="2024-06-01T11:02:00+03:00") == ["employee.created"]


def test_pages_walk_every_entry_once(history):
    seen, cursor = [], None
    for _ in range(10):
        params = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        docs, cursor = history.list(**params)
        assert len(docs) <= 2
        seen.extend(d["action"] for d in docs)
        if cursor is None:
            break
    assert seen == history.actions()
    assert len(seen) == 5


def test_pages_keep_their_filter(history):
    docs, cursor = history.list(target_type="employee", limit=2)
    rest, last = history.list(target_type="employee", limit=2, cursor=cursor)
    assert [d["target_id"] for d in docs + rest] == ["emp-2", "emp-1", "emp-1"]
    assert last is None


def test_entries_written_in_one_instant_still_page_without_loss(log):
    for n in range(5):
        log.audit.record(actor(), f"bulk.{n}")
    seen, cursor = [], None
    while True:
        docs, cursor = log.list(limit=2, **({"cursor": cursor} if cursor else {}))
        seen.extend(d["_id"] for d in docs)
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 5


@pytest.mark.parametrize("params", [
    {}, {"action": "employee.created"}, {"target_id": "emp-b"}, {"actor_id": "admin"},
])
def test_one_accounts_entries_never_appear_in_anothers_list(history, params):
    docs, _ = history.list(B, **params)
    assert {d["account_id"] for d in docs} <= {B}
    assert history.actions(B) == ["employee.created"]
    assert "emp-b" not in [d["target_id"] for d in history.list(A)[0]]


def test_a_cursor_of_one_account_shows_nothing_of_another(history):
    _, cursor = history.list(A, limit=1)
    docs, _ = history.list(B, cursor=cursor)
    assert all(d["account_id"] == B for d in docs)
