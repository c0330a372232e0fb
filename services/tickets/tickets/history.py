"""What a change leaves on a ticket, as plain data: its history entry, the revision it takes, and
the key that recognises a partner's change when it arrives again (store/tickets.py writes them)."""


def history_entry(actor, at, field, old, new):
    return {"at": at, "actor": actor.as_reference(), "field": field, "old": old, "new": new}


def next_revision(current):
    """The revision an announced change of `current` takes, and the guard that makes it the
    only one to take it: the counter moves in the same update as the change and its event."""
    revision = current.get("revision")
    return (revision or 0) + 1, {"revision": revision}


def origin_key(origin):
    """One string per partner change, so that a retried comment is recognised by an index-free
    array match."""
    return f"{origin['link_id']}:{origin['event_id']}"
