"""Issue 22, at domain level: a reopen syncs, an edit never destroys the other side's text, a
plain TMF621 sender (no sequence, origin or statusClock) is understood, reports follow a
renamed ticket."""
import json

import pytest

from services.partner_bridge import incoming, reports
from services.partner_bridge.sharing import keep_local_text
from services.partner_bridge.tmf621 import parse_event
from tests.unit.partner_installation import EMPLOYEE, two_accounts

PARTNER, MAKER = "fireguard", "alarmworks"


@pytest.fixture
def site(db):
    return two_accounts(db, MAKER, PARTNER)


def share(site):
    return site.share(PARTNER, MAKER, title="Siren silent",
                      description="Our engineer's notes: fuse 3 is out.")


def test_a_partner_reopening_a_resolved_ticket_reopens_it_on_both_sides(site):
    ticket, received = share(site)
    partner, maker = site.tickets[PARTNER], site.tickets[MAKER]
    maker.change_status(EMPLOYEE, received["id"], "resolved", None)
    site.settle(site.link_id, [PARTNER, MAKER])
    assert ticket["status"] == received["status"] == "resolved"
    partner.change_status(EMPLOYEE, ticket["id"], "reopened", None)
    site.settle(site.link_id, [PARTNER, MAKER])
    assert received["status"] == ticket["status"] == "reopened"
    [correlation] = site.store.correlations.of_ticket(MAKER, received["id"])
    assert correlation["conflicts"] == []
    # Applied a second time by a worker that read the stamp before the first one moved it (what
    # two replicas applying one change do), the reopen moves nothing further.
    [change] = [i for i in site.store.outbox.items.find({"account_id": PARTNER})
                if i["payload"]["event"]["troubleTicket"].get("status") == "inProgress"]
    before = change["payload"]["statusClock"]["basedOn"]
    site.store.correlations.correlations.update_one({"_id": correlation["_id"]},
                                                    {"$set": {"status_stamp": before}})
    incoming.apply_change(site.store, maker, account_id=MAKER,
                          link=site.store.links.get(MAKER, site.link_id),
                          change=parse_event(json.loads(json.dumps(change["payload"],
                                                                   default=str))), now=site.now)
    assert received["status"] == "reopened"
    # Work goes on from there on both sides.
    maker.change_status(EMPLOYEE, received["id"], "in_progress", None)
    site.settle(site.link_id, [PARTNER, MAKER])
    assert ticket["status"] == "in_progress"


def test_the_manufacturer_editing_its_copy_never_replaces_the_partners_description(site):
    ticket, received = share(site)
    maker, partner = site.tickets[MAKER], site.tickets[PARTNER]
    maker.update_ticket(EMPLOYEE, received["id"], {"description": "Maker: replace the siren board."})
    site.settle(site.link_id, [PARTNER, MAKER])
    assert ticket["description"] == "Our engineer's notes: fuse 3 is out."
    [theirs] = site.store.correlations.of_ticket(PARTNER, ticket["id"])
    assert theirs["partner_text"]["description"] == "Maker: replace the siren board."
    # And the other way: the maker's copy has the maker's own text now; the partner's next edit
    # is kept beside it, not over it.
    partner.update_ticket(EMPLOYEE, ticket["id"], {"description": "Fuse replaced, still silent."})
    site.settle(site.link_id, [PARTNER, MAKER])
    assert received["description"] == "Maker: replace the siren board."
    [ours] = site.store.correlations.of_ticket(MAKER, received["id"])
    assert ours["partner_text"]["description"] == "Fuse replaced, still silent."


def test_a_partner_edit_replaces_what_it_wrote_while_nobody_here_changed_it(site):
    ticket, received = share(site)
    site.tickets[PARTNER].update_ticket(EMPLOYEE, ticket["id"], {"title": "Siren and strobe silent"})
    site.settle(site.link_id, [PARTNER, MAKER])
    assert received["title"] == "Siren and strobe silent"
    site.tickets[PARTNER].update_ticket(EMPLOYEE, ticket["id"], {"title": "Siren fixed, strobe not"})
    site.settle(site.link_id, [PARTNER, MAKER])
    assert received["title"] == "Siren fixed, strobe not"


def test_the_rule_keeps_local_text_and_lets_priority_through():
    edits = {"title": "New", "description": "New text", "priority": "high"}
    applied, withheld = keep_local_text(edits, current={"title": "Old", "description": "Mine"},
                                        written={"title": "Old", "description": "What we wrote"})
    assert applied == {"title": "New", "priority": "high"} and withheld == ["description"]
    applied, withheld = keep_local_text(edits, current={"title": "Old"}, written={})
    assert applied == {"priority": "high"} and withheld == ["title", "description"]


def test_the_partners_report_shows_the_current_title(site):
    ticket, _ = share(site)
    site.tickets[PARTNER].update_ticket(EMPLOYEE, ticket["id"], {"title": "Siren replaced"})
    site.announce(PARTNER)
    rows = reports.partner_requests(site.store.correlations.all_of(PARTNER),
                                    site.store.links.list(PARTNER))
    assert [row["title"] for row in rows] == ["Siren replaced"]


def plain_event(event_id, ticket_id, status, number=None):
    """What another TMF621 system sends: the published shape, none of our extensions."""
    ticket = {"@type": "TroubleTicket", "id": ticket_id, "status": status}
    if number is not None:
        ticket.update(name="Door controller offline", description="From their system.",
                      externalIdentifier=[{"@type": "ExternalIdentifier", "owner": "them",
                                           "externalIdentifierType": "ticketNumber",
                                           "id": number}])
    return {"@type": "TroubleTicketCreateEvent" if number else "TroubleTicketStatusChangeEvent",
            "eventId": event_id, "eventTime": "2026-11-30T12:00:00Z",
            "eventType": "TroubleTicketCreateEvent" if number else "TroubleTicketStatusChangeEvent",
            "event": {"troubleTicket": ticket}}


def test_a_plain_tmf621_sender_is_applied_in_arrival_order(site):
    receive = lambda payload: incoming.receive(  # noqa: E731
        site.store, site.tickets[MAKER], account_id=MAKER, link_id=site.link_id,
        payload=json.loads(json.dumps(payload)), now=site.now)
    first = receive(plain_event("plain-event-1", "ext-77", "acknowledged", number="77"))
    second = receive(plain_event("plain-event-2", "ext-77", "inProgress"))
    third = receive(plain_event("plain-event-3", "ext-77", "pending"))
    assert [first["sequence"], second["sequence"], third["sequence"]] == [1, 2, 3]
    [received] = site.tickets[MAKER].tickets.values()
    assert received["title"] == "Door controller offline" and received["status"] == "waiting"
    with pytest.raises(Exception) as again:
        receive(plain_event("plain-event-3", "ext-77", "pending"))
    assert again.value.extra["reason"] == "duplicate"
