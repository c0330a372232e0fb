"""services/partner_bridge/store/links.py and store/correlations.py on the embedded database."""
from datetime import datetime, timedelta

import pytest

from services.partner_bridge.conflicts import Stamp, conflict_record, judge
from services.partner_bridge.correlations import INACTIVE, stamp_in_force
from services.partner_bridge.invitations import read_invitation
from services.partner_bridge.store import Store
from services.shared.errors import Conflict, NotFound, ValidationFailed

KEY = "installation-key-for-tests-0123456789"
NOW = datetime(2026, 11, 30, 12, 0)
ADMIN = {"kind": "employee", "id": "admin"}
MAKER = {"account_id": "alarmworks", "account_name": "AlarmWorks", "endpoint": "https://desk.example"}
PARTNER = {"account_id": "fireguard", "account_name": "FireGuard", "endpoint": "https://desk.example"}


@pytest.fixture
def store(db):
    Store.create_indexes(db)
    return Store(db)


def invite(store, **overrides):
    arguments = dict(MAKER, now=NOW, actor=ADMIN)
    arguments.update(overrides)
    return store.links.invite(KEY, **arguments)


def linked(store):
    """Two accounts of one installation, linked: the inviter's record and the partner's."""
    pending, code = invite(store)
    link, secret = store.links.accept(KEY, code, partner=PARTNER, now=NOW)
    joined = store.links.join(read_invitation(code), secret, account_id="fireguard", now=NOW,
                              actor=ADMIN)
    return link, joined, secret


def test_an_invitation_makes_a_pending_link_without_secrets(store):
    link, code = invite(store)
    assert link["state"] == "pending" and link["role"] == "inviter" and link["partner"] is None
    assert "secrets" not in link
    assert read_invitation(code).link_id == link["link_id"]
    assert store.links.get("alarmworks", link["link_id"])["rules"]["outgoing"]["personal_data"] == []


def test_acceptance_activates_binds_the_partner_and_issues_one_secret(store):
    link, joined, secret = linked(store)
    assert link["state"] == joined["state"] == "active"
    assert link["link_id"] == joined["link_id"]
    assert link["partner"]["account_id"] == "fireguard"
    assert joined["partner"]["account_id"] == "alarmworks"
    assert store.links.secrets_of("alarmworks", link["link_id"], now=NOW) == [secret]
    assert store.links.secrets_of("fireguard", link["link_id"], now=NOW) == [secret]
    assert len(secret) >= 40
    history = store.links.get("alarmworks", link["link_id"])["history"]
    assert [entry["to"] for entry in history] == ["pending", "active"]


def test_a_code_is_good_for_one_acceptance(store):
    _, code = invite(store)
    store.links.accept(KEY, code, partner=PARTNER, now=NOW)
    with pytest.raises(Conflict) as excinfo:
        store.links.accept(KEY, code, partner=dict(PARTNER, account_id="intruder"), now=NOW)
    assert excinfo.value.extra == {"state": "active"}


def test_an_expired_or_altered_code_changes_nothing(store):
    link, code = invite(store)
    with pytest.raises(ValidationFailed):
        store.links.accept(KEY, code, partner=PARTNER, now=NOW + timedelta(days=8))
    with pytest.raises(ValidationFailed):
        store.links.accept(KEY, code[:-2] + "xx", partner=PARTNER, now=NOW)
    assert store.links.get("alarmworks", link["link_id"])["state"] == "pending"


def test_a_revoked_invitation_cannot_be_accepted(store):
    link, code = invite(store)
    store.links.change_state("alarmworks", link["link_id"], "revoked", now=NOW, actor=ADMIN)
    with pytest.raises(Conflict):
        store.links.accept(KEY, code, partner=PARTNER, now=NOW)


def test_acceptance_names_the_partner_and_not_oneself(store):
    _, code = invite(store)
    with pytest.raises(ValidationFailed) as excinfo:
        store.links.accept(KEY, code, partner={"account_id": " "}, now=NOW)
    assert set(excinfo.value.fields) == {"partner.account_id", "partner.account_name",
                                         "partner.endpoint"}
    with pytest.raises(Conflict):
        store.links.accept(KEY, code, partner=dict(MAKER, endpoint="https://desk.example/"), now=NOW)


def test_joining_twice_is_a_conflict(store):
    link, _, secret = linked(store)
    _, code = invite(store)
    invitation = read_invitation(code)
    store.links.join(invitation, secret, account_id="fireguard", now=NOW, actor=ADMIN)
    with pytest.raises(Conflict):
        store.links.join(invitation, secret, account_id="fireguard", now=NOW, actor=ADMIN)


def test_pause_resume_revoke_and_what_is_refused(store):
    link, _, _ = linked(store)
    link_id = link["link_id"]

    def move(target):
        return store.links.change_state("alarmworks", link_id, target, now=NOW, actor=ADMIN)

    assert move("paused")["state"] == "paused"
    assert move("active")["state"] == "active"
    move("revoked")
    with pytest.raises(Conflict) as excinfo:
        move("active")
    assert excinfo.value.extra["allowed"] == []
    # Each account moves only its own record.
    assert store.links.get("fireguard", link_id)["state"] == "active"


def test_another_account_sees_no_link(store):
    link, _ = invite(store)
    for call in (lambda: store.links.get("stranger", link["link_id"]),
                 lambda: store.links.secrets_of("stranger", link["link_id"], now=NOW),
                 lambda: store.links.change_state("stranger", link["link_id"], "revoked",
                                                  now=NOW, actor=ADMIN),
                 lambda: store.links.set_rules("stranger", link["link_id"], {}, now=NOW)):
        with pytest.raises(NotFound):
            call()
    assert store.links.list("stranger") == []
    assert [item["link_id"] for item in store.links.list("alarmworks")] == [link["link_id"]]
    assert all("secrets" not in item for item in store.links.list("alarmworks"))


def test_rules_are_validated_before_they_are_stored(store):
    link, _ = invite(store)
    with pytest.raises(ValidationFailed):
        store.links.set_rules("alarmworks", link["link_id"], {"outgoing": {"fields": ["prices"]}},
                              now=NOW)
    changed = store.links.set_rules("alarmworks", link["link_id"],
                                    {"outgoing": {"fields": ["title"]}}, now=NOW)
    assert changed["rules"]["outgoing"]["fields"] == ["title"]


def test_a_correlation_per_ticket_and_link(store):
    made = store.correlations.open("alarmworks", "link-1", "t-1", side="origin", now=NOW)
    store.correlations.open("alarmworks", "link-2", "t-1", side="origin", now=NOW)
    with pytest.raises(Conflict):
        store.correlations.open("alarmworks", "link-1", "t-1", side="origin", now=NOW)
    shared = store.correlations.of_ticket("alarmworks", "t-1")
    assert {c["link_id"] for c in shared} == {"link-1", "link-2"}
    assert store.correlations.of_ticket("fireguard", "t-1") == []
    attached = store.correlations.attach_remote("alarmworks", made["_id"], "r-9", "17", now=NOW)
    assert attached["remote_number"] == "17"
    assert store.correlations.attach_remote("alarmworks", made["_id"], "r-9", "17", now=NOW)
    with pytest.raises(Conflict):
        store.correlations.attach_remote("alarmworks", made["_id"], "r-10", "18", now=NOW)
    assert store.correlations.by_remote("alarmworks", "link-1", "r-9")["_id"] == made["_id"]
    with pytest.raises(Conflict):
        store.correlations.open("alarmworks", "link-1", "t-2", side="origin", now=NOW,
                                remote_ticket_id="r-9")
    with pytest.raises(NotFound):
        store.correlations.get("fireguard", made["_id"])
    assert store.correlations.close("alarmworks", made["_id"], now=NOW)["state"] == INACTIVE


def test_status_stamps_move_only_from_what_was_read_and_keep_conflicts(store):
    made = store.correlations.open("fireguard", "link-1", "t-1", side="replica", now=NOW,
                                   remote_ticket_id="r-1")
    local = Stamp(1, "replica")
    assert store.correlations.set_status_stamp("fireguard", made["_id"], read=None, new=local, now=NOW)
    assert not store.correlations.set_status_stamp("fireguard", made["_id"], read=None,
                                                   new=Stamp(2, "replica"), now=NOW)
    incoming = Stamp(1, "origin")
    verdict = judge(local, incoming, None)
    record = conflict_record(at=NOW, verdict=verdict, local_status="resolved", local_stamp=local,
                             remote_status="pending", remote_stamp=incoming, event_id="ev-1")
    assert store.correlations.set_status_stamp("fireguard", made["_id"], read=local,
                                               new=verdict.in_force, now=NOW, conflict=record)
    stored = store.correlations.get("fireguard", made["_id"])
    assert stamp_in_force(stored) == Stamp(1, "origin")
    assert stored["conflicts"][0]["winner"] == "remote"
    store.correlations.record_conflict("fireguard", made["_id"], record, now=NOW)
    assert len(store.correlations.get("fireguard", made["_id"])["conflicts"]) == 2


def test_link_times_keep_the_storage_convention(store):
    link, _ = invite(store)
    stored = store.links.get("alarmworks", link["link_id"])
    assert stored["invitation_expires_at"].tzinfo is None
    assert stored["invitation_expires_at"] == NOW + timedelta(days=7)
