"""Factories and fixtures for the directory tests (accounts, people, clients, credentials, audit).

Not a test module of its own: the test_directory_*, test_credentials, test_authentication and
test_references modules import `directory`, `world` and `clock` from here. Data goes through the
same marshmallow schemas the entrypoints use, so stored documents look like the real ones.
"""
import itertools
from datetime import datetime, timedelta
from functools import lru_cache

import pytest

from services.shared.actor import Actor
from services.shared.validation import load
from services.tickets.directory import hashing
from services.tickets.directory.authentication import SESSION_TTL
from services.tickets.directory.schemas import (AccountCreateSchema, ClientWriteSchema,
                                                ContactWriteSchema, EmployeeCreateSchema)
from services.tickets.store import accounts, audit, clients, credentials, people
from services.tickets.store import Store

PASSWORD = "correct horse battery staple"
T0 = datetime(2024, 6, 1, 8, 0, 0)

# Every module of the directory that reads the time imports utcnow itself.
CLOCK_MODULES = (credentials, audit, accounts, people, clients)


@lru_cache(maxsize=None)
def password_hash(password=PASSWORD):
    """argon2id costs ~30 ms: hash each password once per test run."""
    return hashing.hash_password(password)


class Clock:
    """A settable utcnow: stays where it is put until moved."""

    def __init__(self, start=T0):
        self.now = start

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)
        return self.now


class World:
    """Makes accounts, employees, clients, contacts, actors and sessions with unique names."""

    def __init__(self, directory):
        self.d = directory
        self._serial = itertools.count(1)

    def _n(self):
        return next(self._serial)

    def account(self, **overrides):
        n = self._n()
        data = {"slug": f"account-{n}", "name": f"Сервисная компания {n}",
                "admin": {"name": "Admin", "email": f"admin{n}@example.ru"}}
        data.update(overrides)
        return self.d.accounts.create(load(AccountCreateSchema(), data))

    def employee(self, account, roles=("agent",), password=PASSWORD, **overrides):
        n = self._n()
        data = {"name": f"Сотрудник {n}", "email": f"employee{n}@example.ru", "roles": list(roles)}
        data.update(overrides)
        return self.d.employees.create(account["_id"], load(EmployeeCreateSchema(), data),
                                       password_hash(password) if password else None)

    def client(self, account, **overrides):
        n = self._n()
        data = {"name": f"Клиент {n}"}
        data.update(overrides)
        return self.d.clients.create(account["_id"], load(ClientWriteSchema(), data))

    def contact(self, account, client, portal_access="own", password=PASSWORD, **overrides):
        n = self._n()
        data = {"name": f"Контакт {n}", "portal_access": portal_access,
                "emails": [f"contact{n}@client.ru"]}
        data.update(overrides)
        return self.d.contacts.create(account["_id"], client["_id"],
                                      load(ContactWriteSchema(), data),
                                      password_hash(password) if password else None)

    @staticmethod
    def contact_data(contact, **changes):
        """A contact's replacement body as the write schema loads it, with `changes` applied."""
        fields = ("name", "position", "phones", "emails", "portal_access", "active")
        data = {name: contact[name] for name in fields if name in contact}
        data.update(changes)
        return load(ContactWriteSchema(), data)

    @staticmethod
    def actor(person, credential_id=None):
        if "roles" in person:
            return Actor(account_id=person["account_id"], kind="employee", id=person["_id"],
                         roles=tuple(person["roles"]), credential_id=credential_id)
        return Actor(account_id=person["account_id"], kind="contact", id=person["_id"],
                     client_id=person["client_id"], client_scope=person["portal_access"],
                     credential_id=credential_id)

    @staticmethod
    def ref(person):
        return {"kind": "employee" if "roles" in person else "contact", "id": person["_id"]}

    def issue(self, person, kind="session", ttl=SESSION_TTL, account=None):
        """A credential for `person` (in `account`, default the person's own): (secret, doc)."""
        account_id = account["_id"] if account else person["account_id"]
        return self.d.credentials.issue(account_id, self.ref(person), kind, ttl)


@pytest.fixture
def directory(db):
    Store.create_indexes(db)
    return Store(db)


@pytest.fixture
def world(directory):
    return World(directory)


@pytest.fixture
def clock(monkeypatch):
    fixed = Clock()
    for module in CLOCK_MODULES:
        monkeypatch.setattr(module, "utcnow", fixed)
    return fixed
