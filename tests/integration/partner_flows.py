"""Steps the partner integration tests share: link two accounts through the API, share a ticket,
and wait for what is delivered asynchronously (events, then the outbox timer)."""
import time

SETTLE_SECONDS = 180  # past the outbox's backoff after an outage of a minute


def settle(read, done, what, seconds=SETTLE_SECONDS):
    """Poll `read()` until `done(value)`; the deadline only keeps a broken run from hanging, no
    assertion depends on how fast delivery was."""
    deadline = time.monotonic() + seconds
    value = read()
    while not done(value):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} never happened; last seen: {value!r}")
        time.sleep(0.2)
        value = read()
    return value


def ok(answer, status=200):
    assert answer.status_code == status, answer.text
    return answer.json()


def link(inviter, invitee, use_url=True):
    """`inviter` invites, `invitee` accepts (with the URL or the bare code); the link id."""
    invitation = ok(inviter.post("/api/v1/partner-links/invitations", json={}), 201)
    assert invitation["link"]["state"] == "pending"
    accepted = ok(invitee.post("/api/v1/partner-links/accept", json={
        "code": invitation["url"] if use_url else invitation["code"]}), 201)
    assert accepted["state"] == "active" and accepted["id"] == invitation["link"]["id"]
    return accepted["id"]


def correlation_of(api, ticket_id):
    items = ok(api.get("/api/v1/partner-correlations", params={"ticket_id": ticket_id}))["items"]
    return items[0] if items else None


def replica_of(api, link_id, remote_ticket_id):
    """The correlation on the receiving side for the sender's ticket, once it has arrived."""
    items = ok(api.get("/api/v1/partner-correlations",
                       params={"link_id": link_id, "side": "replica", "limit": 100}))["items"]
    found = [c for c in items if c["remote_ticket_id"] == remote_ticket_id]
    return found[0] if found else None


def share(sender, receiver, link_id, ticket_id):
    """Share a ticket and wait until both sides know each other's id and number; returns the
    receiver's ticket."""
    shared = ok(sender.post(f"/api/v1/partner-links/{link_id}/shares", json={"ticket_id": ticket_id}),
                201)
    assert shared["side"] == "origin" and shared["local_ticket_id"] == ticket_id
    arrived = settle(lambda: replica_of(receiver, link_id, ticket_id), bool,
                     "the shared ticket's arrival")
    settle(lambda: correlation_of(sender, ticket_id),
           lambda c: c and c["remote_ticket_id"] == arrived["local_ticket_id"],
           "the partner's number coming back")
    return ok(receiver.get(f"/api/v1/tickets/{arrived['local_ticket_id']}"))


def ticket(api, ticket_id):
    return ok(api.get(f"/api/v1/tickets/{ticket_id}"))


def comment_bodies(api, ticket_id):
    return [c["body"] for c in ticket(api, ticket_id)["comments"]]


def outbox(api, state):
    return ok(api.get("/api/v1/partner-outbox", params={"state": state, "limit": 100}))["items"]
