"""TicketStore (services/tickets/store/tickets.py) on the embedded store, with presentation and
events."""
import threading
from datetime import datetime, timedelta

import pytest

from services.shared.actor import Actor
from services.shared.errors import Conflict, Forbidden, NotFound
from services.shared.validation import load
from services.tickets.schemas import (TicketCreatedEventSchema, TicketCreateSchema,
                                      TicketListQuerySchema, TicketStatusChangedEventSchema,
                                      TicketSummarySchema, TicketUpdatedEventSchema,
                                      TicketUpdateSchema)
from services.tickets.store import tickets as store_module
from services.tickets.store.tickets import TicketStore
from services.tickets.tickets import presentation
from services.tickets.tickets.search import matching, plan

T0 = datetime(2024, 6, 1, 8, 0, 0)


# -- factories -------------------------------------------------------------------------------------

def employee(account="acc-1", id="emp-1"):
    return Actor(account_id=account, kind="employee", id=id, roles=("dispatcher",))


def contact(id="con-1", client="client-1", scope="own", account="acc-1"):
    return Actor(account_id=account, kind="contact", id=id, client_id=client, client_scope=scope)


def ticket_input(**overrides):
    data = {"title": "Не работает турникет на проходной"}
    data.update(overrides)
    return load(TicketCreateSchema(), data)


def list_query(**params):
    return load(TicketListQuerySchema(), params)


def changes(**fields):
    return load(TicketUpdateSchema(), fields)


class Clock:
    """A settable utcnow for the store: each call returns the current time and moves it on."""

    def __init__(self, start=T0, step=timedelta(seconds=1)):
        self.now, self.step = start, step

    def __call__(self):
        now = self.now
        self.now += self.step
        return now


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(store_module, "utcnow", fake)
    return fake


@pytest.fixture
def store(db):
    TicketStore.create_indexes(db)
    return TicketStore(db)


def create_many(store, actor, count, **overrides):
    return [store.create(actor, ticket_input(**overrides)) for _ in range(count)]


def numbers(docs):
    return [d["number"] for d in docs]


def walk(store, actor, limit=3, **params):
    """Every page of a list query, following next_cursor."""
    seen, cursor = [], None
    while True:
        query = list_query(limit=limit, **params, **({"cursor": cursor} if cursor else {}))
        docs, cursor = store.list(actor, query)
        seen += docs
        if cursor is None:
            return seen


# -- numbering -------------------------------------------------------------------------------------

def test_numbers_start_at_one_are_gapless_and_per_account(store):
    a, b = employee("acc-a"), employee("acc-b")
    created = [store.create(actor, ticket_input()) for actor in (a, a, b, a, b, a)]
    assert numbers(created) == [1, 2, 1, 3, 2, 4]
    assert sorted(numbers(store.tickets.find({"account_id": "acc-a"}))) == [1, 2, 3, 4]
    assert sorted(numbers(store.tickets.find({"account_id": "acc-b"}))) == [1, 2]


def test_concurrent_creation_gives_gapless_unique_numbers(store):
    actor, threads_count, per_thread = employee(), 8, 25
    results, errors = [], []
    start = threading.Barrier(threads_count)

    def work():
        try:
            start.wait()
            for _ in range(per_thread):
                results.append(store.create(actor, ticket_input())["number"])
        except Exception as exc:  # reported below; a thread's exception would be lost otherwise
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    total = threads_count * per_thread
    assert sorted(results) == list(range(1, total + 1))
    assert sorted(numbers(store.tickets.find({"account_id": actor.account_id}))) == list(
        range(1, total + 1))


def test_numbering_continues_after_a_restart(files, db, store):
    actor = employee()
    assert numbers(create_many(store, actor, 3)) == [1, 2, 3]
    reopened = files.reopen(db)
    TicketStore.create_indexes(reopened)
    assert TicketStore(reopened).create(actor, ticket_input())["number"] == 4


def test_changes_survive_a_restart(files, db, store):
    actor = employee()
    ticket = store.create(actor, ticket_input())
    store.change_status(actor, ticket["_id"], "in_progress")
    store.add_comment(actor, ticket["_id"], "Выехал на объект", "internal")
    store.update(actor, ticket["_id"], changes(priority="critical"))
    reopened = files.reopen(db)
    again = TicketStore(reopened).get(actor, ticket["_id"])
    assert again["status"] == "in_progress"
    assert again["priority"] == "critical"
    assert [c["body"] for c in again["comments"]] == ["Выехал на объект"]
    assert [h["field"] for h in again["history"]] == ["status", "status", "comments", "priority"]


# -- reading across accounts -----------------------------------------------------------------------

def test_get_and_get_by_number_never_cross_accounts(store):
    mine, theirs = employee("acc-a"), employee("acc-b")
    ticket = store.create(mine, ticket_input())
    assert store.get(mine, ticket["_id"])["_id"] == ticket["_id"]
    assert store.get_by_number(mine, 1)["_id"] == ticket["_id"]
    with pytest.raises(NotFound):
        store.get(theirs, ticket["_id"])
    with pytest.raises(NotFound):
        store.get_by_number(theirs, 1)
    own = store.create(theirs, ticket_input())
    assert store.get_by_number(theirs, 1)["_id"] == own["_id"]
    assert store.get_by_number(mine, 1)["_id"] == ticket["_id"]
    with pytest.raises(NotFound):
        store.get(mine, "no-such-id")
    with pytest.raises(NotFound):
        store.get_by_number(mine, 2)


def test_writes_never_cross_accounts(store):
    mine, theirs = employee("acc-a"), employee("acc-b")
    ticket = store.create(mine, ticket_input())
    before = store.get(mine, ticket["_id"])
    with pytest.raises(NotFound):
        store.update(theirs, ticket["_id"], changes(title="Взлом"))
    with pytest.raises(NotFound):
        store.change_status(theirs, ticket["_id"], "closed")
    with pytest.raises(NotFound):
        store.add_comment(theirs, ticket["_id"], "Взлом", "public")
    assert store.get(mine, ticket["_id"]) == before
    assert store.list(theirs, list_query())[0] == []


# -- listing ---------------------------------------------------------------------------------------

@pytest.fixture
def assorted(store, clock):
    """Tickets in two accounts with known priorities, assignees and creation times."""
    actor = employee()
    specs = [
        dict(title="Турникет не открывается", priority="high", assignee_id="eng-1"),
        dict(title="Камера 3 не пишет", priority="low", description="ТУРНИКЕТ рядом тоже"),
        dict(title="Касса: ошибка (код 7) [ФН]", priority="critical", assignee_id="eng-2"),
        dict(title="Лифт застрял", priority="normal", assignee_id="eng-1"),
        dict(title="Пожарная сигнализация a.b", priority="high"),
        dict(title="Пожарная сигнализация axb", priority="normal"),
        dict(title="Вопрос по счёту", priority="low", assignee_id="eng-2"),
    ]
    created = []
    for spec in specs:
        clock.now += timedelta(minutes=10)
        created.append(store.create(actor, ticket_input(**spec)))
    store.change_status(actor, created[0]["_id"], "in_progress")
    store.change_status(actor, created[3]["_id"], "closed")
    store.create(employee("acc-other"), ticket_input(title="Турникет чужой", priority="high"))
    return actor, created


def test_list_without_filters_shows_only_the_account(store, assorted):
    actor, created = assorted
    docs, cursor = store.list(actor, list_query())
    assert cursor is None
    assert sorted(numbers(docs)) == [1, 2, 3, 4, 5, 6, 7]
    assert all(d["account_id"] == "acc-1" for d in docs)
    # The list projection leaves heavy and internal parts out.
    assert not any(k in d for d in docs for k in ("comments", "history", "outbox", "description"))


@pytest.mark.parametrize("params, expected", [
    ({"status": ["opened"]}, [2, 3, 5, 6, 7]),
    ({"status": ["in_progress", "closed"]}, [1, 4]),
    ({"priority": ["high"]}, [1, 5]),
    ({"priority": ["high", "critical"], "status": ["opened"]}, [3, 5]),
    ({"assignee_id": "eng-1"}, [1, 4]),
    ({"assignee_id": "eng-2", "priority": ["low"]}, [7]),
    ({"channel": "phone"}, []),
], ids=["status", "statuses", "priority", "priority-and-status", "assignee", "assignee-priority",
        "channel"])
def test_list_filters(store, assorted, params, expected):
    actor, _ = assorted
    docs, _ = store.list(actor, list_query(**params))
    assert sorted(numbers(docs)) == expected


def test_list_created_range_is_from_inclusive_to_exclusive(store, assorted):
    actor, created = assorted
    start, end = created[2]["created_at"], created[5]["created_at"]
    docs, _ = store.list(actor, list_query(created_from=start.isoformat() + "+00:00",
                                           created_to=end.isoformat() + "+00:00"))
    assert sorted(numbers(docs)) == [3, 4, 5]


def test_list_created_range_understands_offsets(store, assorted):
    actor, created = assorted
    start = created[4]["created_at"] + timedelta(hours=3)  # the same instant in Moscow time
    docs, _ = store.list(actor, list_query(created_from=start.isoformat() + "+03:00"))
    assert sorted(numbers(docs)) == [5, 6, 7]


@pytest.mark.parametrize("q, expected", [
    ("турникет", [1, 2]),
    ("ТУРНИКЕТ", [1, 2]),
    ("Турникет НЕ", [1, 2]),  # "не" is a stop word: every ticket with the word "турникет"
    ("a.b", [5]),
    ("(код 7) [фн]", [3]),
    (".*", []),
    ("[", [3]),
    ("]", [3]),
    ("сигнализация a.", [5, 6]),  # "a" too
    ("сигнализация a", [5, 6]),
], ids=["lower", "upper", "mixed", "dot", "brackets", "dot-star", "open-bracket",
        "close-bracket", "space-dot", "space"])
def test_list_q_is_case_insensitive_literal_text(store, assorted, q, expected):
    actor, _ = assorted
    docs, _ = store.list(actor, dict(list_query(q=q), search=matching(plan(q))))
    assert sorted(numbers(docs)) == expected


@pytest.mark.parametrize("sort, key", [
    ("number", lambda d: (d["number"], d["_id"])),
    ("-number", lambda d: (-d["number"], "")),
    ("-created_at", lambda d: (T0 - d["created_at"], "")),
    ("created_at", lambda d: (d["created_at"], "")),
])
@pytest.mark.parametrize("limit", [2, 3, 100])
def test_list_sorts_and_pages_through_next_cursor(store, assorted, sort, key, limit):
    actor, created = assorted
    seen = walk(store, actor, limit=limit, sort=sort)
    assert numbers(seen) == numbers(sorted(created, key=key))


@pytest.mark.parametrize("limit", [1, 2, 3, 100])
def test_list_sorts_by_priority_rank_with_ties_in_id_order(store, assorted, limit):
    actor, created = assorted
    rank = {"low": 0, "normal": 1, "high": 2, "critical": 3}
    ascending = [d["_id"] for d in sorted(created, key=lambda d: (rank[d["priority"]], d["_id"]))]
    assert [d["_id"] for d in walk(store, actor, limit=limit, sort="priority")] == ascending
    descending = [d["_id"] for d in walk(store, actor, limit=limit, sort="-priority")]
    assert descending == ascending[::-1]
    assert descending[0] == created[2]["_id"]  # the only critical one


def test_list_pages_with_filters(store, assorted):
    actor, _ = assorted
    seen = walk(store, actor, limit=1, sort="number", status=["opened"])
    assert numbers(seen) == [2, 3, 5, 6, 7]


def test_priority_change_moves_a_ticket_in_priority_order(store, assorted):
    actor, created = assorted
    store.update(actor, created[6]["_id"], changes(priority="critical"))
    docs, _ = store.list(actor, list_query(sort="-priority", limit=2))
    assert sorted(numbers(docs)) == [3, 7]


# -- status changes --------------------------------------------------------------------------------

def test_change_status_records_history_and_an_outbox_entry(store, clock):
    actor = employee()
    ticket = store.create(actor, ticket_input())
    changed = store.change_status(actor, ticket["_id"], "in_progress", "Взял в работу")
    assert changed["status"] == "in_progress"
    assert changed["updated_at"] > ticket["updated_at"]
    entry = changed["history"][-1]
    assert entry == {"at": changed["updated_at"], "actor": {"kind": "employee", "id": "emp-1"},
                     "field": "status", "old": "opened", "new": "in_progress"}
    assert [c["body"] for c in changed["comments"]] == ["Взял в работу"]
    assert changed["comments"][0]["visibility"] == "public"

    events = [e for e in changed["outbox"] if e["type"] == "ticket_status_changed"]
    assert len(events) == 1
    payload = events[0]["payload"]
    assert set(payload) == set(TicketStatusChangedEventSchema().fields)
    assert payload["event_id"] == events[0]["id"]
    assert (payload["old_status"], payload["new_status"]) == ("opened", "in_progress")
    assert (payload["ticket_id"], payload["number"]) == (ticket["_id"], 1)
    assert payload["changed_by"] == {"kind": "employee", "id": "emp-1"}
    assert payload["comment"] == "Взял в работу"
    assert datetime.fromisoformat(payload["occurred_at"]).utcoffset() == timedelta(0)
    assert store.get(actor, ticket["_id"]) == changed


def test_invalid_transition_is_a_conflict_and_changes_nothing(store):
    actor = employee()
    ticket = store.create(actor, ticket_input())
    before = store.get(actor, ticket["_id"])
    with pytest.raises(Conflict) as caught:
        store.change_status(actor, ticket["_id"], "reopened", "Нельзя")
    assert sorted(caught.value.extra["allowed"]) == ["closed", "in_progress", "resolved", "waiting"]
    assert store.get(actor, ticket["_id"]) == before


def test_a_walk_through_the_workflow(store):
    actor = employee()
    ticket = store.create(actor, ticket_input())
    for target in ("waiting", "in_progress", "resolved", "reopened", "closed"):
        ticket = store.change_status(actor, ticket["_id"], target)
    transitions = [(h["old"], h["new"]) for h in ticket["history"]]
    assert transitions == [(None, "opened"), ("opened", "waiting"), ("waiting", "in_progress"),
                           ("in_progress", "resolved"), ("resolved", "reopened"),
                           ("reopened", "closed")]
    assert [e["type"] for e in ticket["outbox"]].count("ticket_status_changed") == 5


# -- updates ---------------------------------------------------------------------------------------

def test_update_records_one_history_entry_per_changed_field(store, clock):
    actor = employee()
    ticket = store.create(actor, ticket_input(priority="low"))
    updated = store.update(actor, ticket["_id"], changes(title="Новый заголовок", priority="high",
                                                         assignee_id="eng-7", type="incident"))
    added = updated["history"][len(ticket["history"]):]
    assert {(h["field"], h["old"], h["new"]) for h in added} == {
        ("title", ticket["title"], "Новый заголовок"), ("priority", "low", "high"),
        ("assignee_id", None, "eng-7")}
    assert all(h["actor"] == {"kind": "employee", "id": "emp-1"} for h in added)
    assert updated["priority_rank"] == 2
    assert updated["updated_at"] > ticket["updated_at"]
    assert store.get(actor, ticket["_id"]) == updated


def test_update_that_changes_nothing_writes_nothing(store, clock):
    actor = employee()
    ticket = store.create(actor, ticket_input(priority="low"))
    before = store.get(actor, ticket["_id"])
    result = store.update(actor, ticket["_id"], changes(title=ticket["title"], priority="low",
                                                        assignee_id=None))
    assert result == before
    assert store.get(actor, ticket["_id"]) == before


def test_contacts_cannot_update(store):
    ticket = store.create(employee(), ticket_input(client_id="client-1", contact_id="con-1"))
    with pytest.raises(Forbidden):
        store.update(contact(), ticket["_id"], changes(title="Мой заголовок"))
    assert store.get(employee(), ticket["_id"])["title"] == ticket["title"]


# -- client contacts -------------------------------------------------------------------------------

@pytest.fixture
def client_tickets(store):
    """Tickets of two client companies: by employees for a contact, and by contacts themselves."""
    staff = employee()
    made = {
        "for-con-1": store.create(staff, ticket_input(client_id="client-1", contact_id="con-1")),
        "for-con-2": store.create(staff, ticket_input(client_id="client-1", contact_id="con-2")),
        "by-con-1": store.create(contact("con-1"), ticket_input()),
        "by-con-2": store.create(contact("con-2"), ticket_input()),
        "no-contact": store.create(staff, ticket_input(client_id="client-1")),
        "other-client": store.create(staff, ticket_input(client_id="client-2",
                                                         contact_id="con-1")),
        "internal": store.create(staff, ticket_input()),
    }
    return made


def visible(store, actor, made):
    docs, _ = store.list(actor, list_query(limit=100))
    by_id = {t["_id"]: name for name, t in made.items()}
    return sorted(by_id[d["_id"]] for d in docs)


def test_a_ticket_created_by_a_contact_belongs_to_its_client(client_tickets):
    ticket = client_tickets["by-con-1"]
    assert (ticket["client_id"], ticket["contact_id"]) == ("client-1", "con-1")
    assert ticket["created_by"] == {"kind": "contact", "id": "con-1"}


def test_a_contact_cannot_file_a_ticket_for_another_client_or_contact(store):
    ticket = store.create(contact("con-1"), ticket_input(client_id="client-2", contact_id="con-9"))
    assert (ticket["client_id"], ticket["contact_id"]) == ("client-1", "con-1")
    assert store.get(employee(), ticket["_id"])["client_id"] == "client-1"


def test_list_filters_cannot_widen_a_contact_scope(store, client_tickets):
    company = contact("con-1", scope="company")
    assert store.list(company, list_query(client_id="client-2"))[0] == []
    own = contact("con-1", scope="own")
    docs, _ = store.list(own, list_query(contact_id="con-2"))
    assert docs == []


def test_contact_with_own_scope_sees_only_their_tickets(store, client_tickets):
    actor = contact("con-1", scope="own")
    assert visible(store, actor, client_tickets) == ["by-con-1", "for-con-1"]
    assert store.get(actor, client_tickets["for-con-1"]["_id"])
    for name in ("for-con-2", "by-con-2", "no-contact", "other-client", "internal"):
        with pytest.raises(NotFound):
            store.get(actor, client_tickets[name]["_id"])
    with pytest.raises(NotFound):
        store.get_by_number(actor, client_tickets["for-con-2"]["number"])


def test_contact_with_company_scope_sees_the_company_tickets(store, client_tickets):
    actor = contact("con-1", scope="company")
    assert visible(store, actor, client_tickets) == [
        "by-con-1", "by-con-2", "for-con-1", "for-con-2", "no-contact"]
    for name in ("other-client", "internal"):
        with pytest.raises(NotFound):
            store.get(actor, client_tickets[name]["_id"])
    other = contact("con-9", client="client-2", scope="company")
    assert visible(store, other, client_tickets) == ["other-client"]


def test_contact_without_access_is_forbidden(store, client_tickets):
    actor = contact("con-1", scope="none")
    with pytest.raises(Forbidden):
        store.list(actor, list_query())
    with pytest.raises(Forbidden):
        store.get(actor, client_tickets["for-con-1"]["_id"])
    with pytest.raises(Forbidden):
        store.get_by_number(actor, client_tickets["for-con-1"]["number"])
    with pytest.raises(Forbidden):
        store.add_comment(actor, client_tickets["for-con-1"]["_id"], "Привет", "public")


def test_contact_of_another_account_sees_nothing(store, client_tickets):
    actor = contact("con-1", scope="company", account="acc-2")
    assert store.list(actor, list_query())[0] == []
    with pytest.raises(NotFound):
        store.get(actor, client_tickets["for-con-1"]["_id"])


def test_contacts_cannot_write_internal_comments(store, client_tickets):
    actor = contact("con-1", scope="own")
    ticket_id = client_tickets["for-con-1"]["_id"]
    before = store.get(employee(), ticket_id)
    with pytest.raises(Forbidden):
        store.add_comment(actor, ticket_id, "Секрет", "internal")
    assert store.get(employee(), ticket_id) == before
    comment = store.add_comment(actor, ticket_id, "Когда приедете?", "public")
    assert comment["author"] == {"kind": "contact", "id": "con-1"}
    assert store.get(employee(), ticket_id)["comments"][-1] == comment


def test_contact_cannot_comment_on_a_ticket_they_do_not_see(store, client_tickets):
    ticket_id = client_tickets["for-con-2"]["_id"]
    before = store.get(employee(), ticket_id)
    with pytest.raises(NotFound):
        store.add_comment(contact("con-1", scope="own"), ticket_id, "Чужое", "public")
    assert store.get(employee(), ticket_id) == before


def test_presentation_hides_internal_comments_and_history_from_contacts(store, client_tickets):
    staff, actor = employee(), contact("con-1", scope="own")
    ticket_id = client_tickets["for-con-1"]["_id"]
    store.add_comment(staff, ticket_id, "Заказать деталь", "internal")
    store.add_comment(staff, ticket_id, "Приедем завтра", "public")
    doc = store.get(actor, ticket_id)

    for_contact = presentation.ticket(actor, doc)
    assert [c["body"] for c in for_contact["comments"]] == ["Приедем завтра"]
    assert for_contact["history"] == []
    for_staff = presentation.ticket(staff, store.get(staff, ticket_id))
    assert [c["body"] for c in for_staff["comments"]] == ["Заказать деталь", "Приедем завтра"]
    assert len(for_staff["history"]) == 3
    assert for_contact["allowed_transitions"] == ["in_progress", "waiting", "resolved", "closed"]
    assert "outbox" not in for_contact and "account_id" not in for_contact
    assert for_contact["id"] == ticket_id
    assert for_contact["created_at"].endswith("+00:00")


def test_summaries_leave_out_details(store, client_tickets):
    docs, _ = store.list(employee(), list_query())
    shown = presentation.summaries(employee(), docs)
    assert len(shown) == len(client_tickets)
    assert all(set(s) <= set(TicketSummarySchema().fields) for s in shown)
    assert all("description" not in s and "comments" not in s for s in shown)


# -- the announcement of a new ticket --------------------------------------------------------------

def test_created_ticket_holds_one_ticket_created_entry(store):
    ticket = store.create(employee(), ticket_input(priority="high", channel="phone"))
    stored = store.get(employee(), ticket["_id"])
    assert [e["type"] for e in stored["outbox"]] == ["ticket_created"]
    entry = stored["outbox"][0]
    payload = entry["payload"]
    assert set(payload) == set(TicketCreatedEventSchema().fields)
    assert payload["event_id"] == entry["id"]
    assert payload["account_id"] == "acc-1"
    occurred = datetime.fromisoformat(payload["occurred_at"])
    assert occurred.utcoffset() == timedelta(0)
    assert occurred.replace(tzinfo=None) == ticket["created_at"]
    event_ticket = payload["ticket"]
    assert (event_ticket["id"], event_ticket["number"]) == (ticket["_id"], 1)
    assert (event_ticket["priority"], event_ticket["channel"], event_ticket["status"]) == (
        "high", "phone", "opened")
    assert event_ticket["created_by"] == {"kind": "employee", "id": "emp-1"}


def test_ticket_created_payload_carries_every_field_the_contract_names(store):
    ticket = store.create(employee(), ticket_input())
    event_ticket = ticket["outbox"][0]["payload"]["ticket"]
    assert set(event_ticket) == set(TicketSummarySchema().fields)


def test_presentation_hides_the_desks_accounting_reference_from_contacts(store, client_tickets):
    ticket_id = client_tickets["for-con-1"]["_id"]
    sale = {"ref": "0f0e0d0c-0000-0000-0000-000000000001", "number": "00-000123"}
    store.tickets.update_one({"_id": ticket_id}, {"$set": {"onec_sale": sale}})
    actor, staff = contact("con-1", scope="own"), employee()
    assert presentation.ticket(actor, store.get(actor, ticket_id))["onec_sale"] is None
    assert presentation.ticket(staff, store.get(staff, ticket_id))["onec_sale"] == sale


# -- revisions: the order of a ticket's announced changes ------------------------------------------

def test_each_announced_change_takes_the_next_revision_and_its_event_carries_it(store, clock):
    actor = employee()
    ticket = store.create(actor, ticket_input(priority="low"))
    store.add_comment(actor, ticket["_id"], "Внутренняя заметка", "internal")
    store.change_status(actor, ticket["_id"], "in_progress")
    updated = store.update(actor, ticket["_id"], changes(title="Турникет", priority="high",
                                                         assignee_id="eng-7"))
    store.update(actor, ticket["_id"], changes(title="Турникет"))  # nothing changes, nothing told
    assert updated["revision"] == 4
    assert [(e["type"], e["payload"]["revision"]) for e in updated["outbox"]] == [
        ("ticket_created", 1), ("ticket_commented", 2), ("ticket_status_changed", 3),
        ("ticket_updated", 4)]
    told = updated["outbox"][-1]["payload"]
    assert set(told) == set(TicketUpdatedEventSchema().fields)
    assert told["changes"] == {"title": "Турникет", "priority": "high", "assignee_id": "eng-7"}
    assert told["changed_by"] == {"kind": "employee", "id": "emp-1"}


def test_changes_made_at_once_take_distinct_revisions_in_the_order_written(store):
    actor = employee()
    ticket = store.create(actor, ticket_input())
    threads_count, per_thread = 6, 8
    start, errors = threading.Barrier(threads_count), []

    def work(n):
        try:
            start.wait()
            for i in range(per_thread):
                if n == 0 and i % 2 == 0:
                    store.change_status(actor, ticket["_id"], ("in_progress", "waiting")[i % 4 // 2])
                else:
                    store.add_comment(actor, ticket["_id"], f"{n}-{i}", "public")
        except Exception as exc:  # reported below; a thread's exception would be lost otherwise
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    stored = store.get(actor, ticket["_id"])
    total = 1 + threads_count * per_thread
    assert stored["revision"] == total
    # The outbox keeps the writes' order: revisions 1..N, each once, in that order.
    assert [e["payload"]["revision"] for e in stored["outbox"]] == list(range(1, total + 1))
