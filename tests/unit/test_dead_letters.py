"""Dead letters without a broker: burying, who reaches which letters, what of a payload is shown,
and the states a replay or a discard takes a letter through."""
from datetime import datetime, timedelta

import pytest

from services.shared import events
from services.shared.actor import Actor
from services.shared.dead_letters import (HIDDEN, REPLAY_LEASE, DeadLetters, replay_for, replays,
                                          scope_of, shown)
from services.shared.errors import Conflict, Forbidden, NotFound
from services.shared.events import Inbox, reliable_handler

NOW = datetime(2026, 12, 1, 9, 0)
ADMIN = Actor(account_id="north", kind="employee", id="anna", roles=("admin",))
SOUTH_ADMIN = Actor(account_id="south", kind="employee", id="boris", roles=("admin",))
OWNER = Actor(account_id=None, kind="owner", id="owner")
NORTH, NOBODY = scope_of(ADMIN), scope_of(OWNER)
BY = ADMIN.as_reference()


@pytest.fixture
def db(files, monkeypatch):
    database = files.open()
    monkeypatch.setattr(events, "open_database", lambda name: database)
    DeadLetters.create_indexes(database)
    return database


@pytest.fixture
def inbox(db):
    opened = Inbox("unit")
    opened.setup()
    return opened


@pytest.fixture
def letters(db):
    return DeadLetters(db)


def bury(inbox, key, payload, event_type="ticket_created"):
    inbox.bury(key, "tickets", event_type, payload, "RuntimeError('broken')")
    return key


def test_a_buried_event_is_named_by_its_inbox_key_and_carries_its_account(inbox, letters):
    key = bury(inbox, "tickets.ticket_created.e1", {"event_id": "e1", "account_id": "north"})
    letter = letters.get(NORTH, key)
    assert (letter["account_id"], letter["state"], letter["source"]) == ("north", "dead", "tickets")
    assert inbox.seen(key)


def test_an_event_of_no_account_reaches_only_the_owner(inbox, letters):
    key = bury(inbox, "tickets.ticket_created.no-id.1", ["not", "an", "object"])
    assert letters.get(NOBODY, key)["account_id"] is None
    with pytest.raises(NotFound):
        letters.get(NORTH, key)


@pytest.mark.parametrize("actor", [
    Actor(account_id="north", kind="employee", id="a", roles=("agent", "dispatcher")),
    Actor(account_id="north", kind="contact", id="c", client_id="x", client_scope="company"),
    Actor(account_id="north", kind="system", id="billing_sync"),
    Actor(account_id="north", kind="partner_link", id="l")])
def test_only_admins_and_the_owner_reach_dead_letters(actor):
    with pytest.raises(Forbidden):
        scope_of(actor)


def test_another_accounts_letter_is_not_found_for_any_action(inbox, letters):
    key = bury(inbox, "tickets.ticket_created.e1", {"event_id": "e1", "account_id": "north"})
    south = scope_of(SOUTH_ADMIN)
    for attempt in (lambda: letters.get(south, key),
                    lambda: letters.claim_replay(south, key, by=BY, now=NOW),
                    lambda: letters.discard(south, key, by=BY, now=NOW)):
        with pytest.raises(NotFound):
            attempt()
    assert letters.get(NORTH, key)["state"] == "dead"


def test_lists_filter_by_account_state_type_and_period(inbox, letters, db):
    kinds = ("ticket_created", "ticket_status_changed", "ticket_created")
    for number, event_type in enumerate(kinds):
        key = bury(inbox, f"tickets.{event_type}.e{number}",
                   {"event_id": f"e{number}", "account_id": "north"}, event_type)
        db.dead_letters.update_one({"_id": key}, {"$set": {"at": NOW + timedelta(hours=number)}})
    bury(inbox, "tickets.ticket_created.s1", {"event_id": "s1", "account_id": "south"})
    letters.discard(NORTH, "tickets.ticket_created.e0", by=BY, now=NOW)

    def ids(**query):
        found, _ = letters.list(NORTH, dict(query, limit=10))
        return [letter["_id"] for letter in found]

    assert ids() == ["tickets.ticket_created.e2", "tickets.ticket_status_changed.e1",
                     "tickets.ticket_created.e0"]
    assert ids(state="dead", event_type="ticket_created") == ["tickets.ticket_created.e2"]
    assert ids(source="gateway") == []
    assert ids(created_from=NOW + timedelta(hours=1), created_to=NOW + timedelta(hours=2)) == [
        "tickets.ticket_status_changed.e1"]
    first, cursor = letters.list(NORTH, {"limit": 2})
    rest, last = letters.list(NORTH, {"limit": 2, "cursor": cursor})
    assert [d["_id"] for d in first + rest] == ids() and last is None


def test_a_replay_claims_the_letter_once(inbox, letters):
    key = bury(inbox, "tickets.ticket_created.e1", {"event_id": "e1", "account_id": "north"})
    claimed = letters.claim_replay(NORTH, key, by=BY, now=NOW)
    assert claimed["state"] == "replaying"
    with pytest.raises(Conflict) as refused:
        letters.claim_replay(NORTH, key, by=BY, now=NOW)
    assert refused.value.extra == {"state": "replaying"}


def test_an_abandoned_replay_is_claimable_after_its_lease(inbox, letters):
    key = bury(inbox, "tickets.ticket_created.e1", {"event_id": "e1", "account_id": "north"})
    letters.claim_replay(NORTH, key, by=BY, now=NOW)
    later = NOW + REPLAY_LEASE + timedelta(seconds=1)
    assert letters.claim_replay(NORTH, key, by=BY, now=later)["state"] == "replaying"


def test_a_successful_replay_leaves_the_event_handled_and_the_letter_replayed(inbox, letters):
    key = bury(inbox, "tickets.ticket_created.e1", {"event_id": "e1", "account_id": "north"})
    letter = letters.claim_replay(NORTH, key, by=BY, now=NOW)
    assert letters.reopen(letter) is True and not inbox.seen(key)
    done = letters.replayed(letter, by=BY, now=NOW)
    assert (done["state"], done["replayed_by"], done["replayed_at"]) == ("replayed", BY, NOW)
    assert done["replays"] == [{"at": NOW, "by": BY, "outcome": "handled"}]
    assert inbox.seen(key) and not inbox.processed.find_one({"_id": key}).get("dead")
    with pytest.raises(Conflict):
        letters.claim_replay(NORTH, key, by=BY, now=NOW)
    with pytest.raises(Conflict):
        letters.discard(NORTH, key, by=BY, now=NOW)


def test_a_failed_replay_keeps_the_letter_dead_with_the_new_error(inbox, letters):
    key = bury(inbox, "tickets.ticket_created.e1", {"event_id": "e1", "account_id": "north"})
    letter = letters.claim_replay(NORTH, key, by=BY, now=NOW)
    letters.reopen(letter)
    failed = letters.replay_failed(letter, by=BY, now=NOW, error="KeyError('contract')")
    assert (failed["state"], failed["error"]) == ("dead", "KeyError('contract')")
    assert failed["replays"][0]["outcome"] == "failed"
    assert inbox.processed.find_one({"_id": key})["dead"] is True
    assert letters.claim_replay(NORTH, key, by=BY, now=NOW)["state"] == "replaying"


def test_an_event_handled_meanwhile_is_not_handled_again(inbox, letters):
    key = bury(inbox, "tickets.ticket_created.e1", {"event_id": "e1", "account_id": "north"})
    letter = letters.claim_replay(NORTH, key, by=BY, now=NOW)
    inbox.processed.update_one({"_id": key}, {"$unset": {"dead": ""}})
    assert letters.reopen(letter) is False


def test_a_discarded_letter_is_kept_and_never_replayed(inbox, letters):
    key = bury(inbox, "tickets.ticket_created.e1", {"event_id": "e1", "account_id": "north"})
    discarded = letters.discard(NORTH, key, by=BY, now=NOW)
    assert (discarded["state"], discarded["discarded_by"]) == ("discarded", BY)
    with pytest.raises(Conflict) as refused:
        letters.claim_replay(NORTH, key, by=BY, now=NOW)
    assert refused.value.extra == {"state": "discarded"}
    assert letters.get(NORTH, key)["payload"]["event_id"] == "e1"


def test_credentials_and_hidden_paths_are_never_shown():
    message = {"account_id": "north", "assignee_id": "a1", "design": "x",
               "request": {"headers": {"signature": "abc"}, "url_token": "t0k3n", "body": "Zm9v",
                           "query": {"vpbx_api_key": "k", "sign": "s"}},
               "links": [{"secret": "s", "name": "n"}], "Authorization": "Bearer x"}
    assert shown(message, hidden=("request.body",)) == {
        "account_id": "north", "assignee_id": "a1", "design": "x",
        "request": {"headers": {"signature": HIDDEN}, "url_token": HIDDEN, "body": HIDDEN,
                    "query": {"vpbx_api_key": HIDDEN, "sign": HIDDEN}},
        "links": [{"secret": HIDDEN, "name": "n"}], "Authorization": HIDDEN}


def test_a_service_class_names_the_replay_of_each_kind_of_letter():
    class Consumer:
        @reliable_handler("tickets", "ticket_created")
        def on_created(self, payload):
            return ("handled", payload)

        @replays("gateway", "telephony_webhook", hidden=("request.body",))
        def replay_webhook(self, message):
            return ("stored", message)

    created = replay_for(Consumer, "tickets", "ticket_created")
    assert created.handler(Consumer(), {"x": 1}) == ("handled", {"x": 1})
    assert replay_for(Consumer, "gateway", "telephony_webhook").hidden == ("request.body",)
    assert replay_for(Consumer, "tickets", "ticket_commented") is None


def test_letters_buried_before_they_had_a_key_id_are_not_listed(inbox, letters, db):
    db.dead_letters.insert_one({"event_id": "tickets.ticket_created.old", "source": "tickets",
                                "event_type": "ticket_created", "payload": {}, "error": "x",
                                "at": NOW, "state": "dead"})
    bury(inbox, "tickets.ticket_created.e1", ["no", "account"])
    found, next_cursor = letters.list(NOBODY, {"limit": 1})
    assert [letter["_id"] for letter in found] == ["tickets.ticket_created.e1"]
    assert next_cursor is None
