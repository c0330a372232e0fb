"""What an employee's ticket page needs besides the ticket, worked out in the service so that the
page is one call whatever the length of the timeline: the names of every id the ticket mentions,
the people and groups it can be assigned to, the price list's active items, the numbers its calls
are looked up by."""

STAFF_PAGE = 100  # the assignee picker; an assignee beyond it stays chosen, by name
GROUPS_SHOWN = 100
PRICE_ITEMS_SHOWN = 1000  # the works form offers the whole price list of a real service company

# ticket field -> the kind of record it names (directory/naming.py's kinds)
NAMED_FIELDS = {"assignee_id": "employees", "assignee_group_id": "groups", "client_id": "clients",
                "contact_id": "contacts", "site_id": "sites", "equipment_id": "equipment"}


def referenced_ids(ticket):
    """{kind: sorted ids} of everything a (presented) ticket shows by name: its fields, the
    people who wrote comments and made changes, the old and new values of history entries, the
    performers of works."""
    query = {kind: set() for kind in NAMED_FIELDS.values()}
    for field, kind in NAMED_FIELDS.items():
        query[kind].add(ticket.get(field))
    people = [comment.get("author") for comment in ticket.get("comments", [])]
    people += [entry.get("actor") for entry in ticket.get("history", [])]
    for person in people:
        if (person or {}).get("kind") in ("employee", "contact"):
            query[person["kind"] + "s"].add(person.get("id"))
    for entry in ticket.get("history", []):
        kind = NAMED_FIELDS.get(entry.get("field"))
        if kind:
            query[kind].update((entry.get("old"), entry.get("new")))
    query["employees"].update(work.get("performed_by") for work in ticket.get("works", []))
    return {kind: sorted(i for i in ids if isinstance(i, str) and i) for kind, ids in query.items()}


def caller_numbers(contact_phones, ticket):
    """The numbers to look the ticket's calls up by: its contact's, then those its calls came
    from, each once."""
    numbers = list(contact_phones) + [c["number"] for c in ticket.get("calls", []) if c.get("number")]
    return list(dict.fromkeys(numbers))


def assignee_choices(staff, ticket, names):
    """[(id, name)] for the assignee picker: the active staff, and the ticket's assignee even when
    no longer active or beyond the picker's page."""
    choices = [(person["id"], person["name"]) for person in staff]
    assignee = ticket.get("assignee_id")
    if assignee and assignee not in {value for value, _ in choices}:
        choices.append((assignee, names["employees"].get(assignee, assignee)))
    return choices
