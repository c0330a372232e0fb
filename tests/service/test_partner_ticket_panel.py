"""The console ticket page's partner panel (partner_bridge.ticket_sharing): one call for the links
a ticket can be shared over and its correlations, with the same access as the two calls it
replaces, within the caller's account."""
import pytest

from services.shared.errors import Forbidden
from tests.service.test_partner_bridge_entrypoints import (  # noqa: F401 (the fixture)
    ADMIN, AGENT, CONTACT, ENGINEER, active_link, service)

VIEW = {"id": "t-1", "number": 7, "title": "Panel offline", "description": "", "priority": "high",
        "status": "opened", "type": "incident", "created_at": "2026-11-30T09:00:00+00:00",
        "updated_at": "2026-11-30T09:00:00+00:00", "equipment": None, "site": None,
        "contact": None, "comments": [], "attachments": [], "revision": 1}


def test_admins_see_links_and_shares_staff_only_shares(service):
    link_id = active_link(service)
    service.tickets.partner_ticket_view.return_value = VIEW
    service.share_ticket(AGENT, link_id, {"ticket_id": "t-1"})
    panel = service.ticket_sharing(ADMIN, "t-1")
    assert [link["id"] for link in panel["links"]] == [link_id]
    assert [(c["link_id"], c["local_ticket_id"]) for c in panel["correlations"]] == [
        (link_id, "t-1")]
    staff = service.ticket_sharing(AGENT, "t-1")
    assert staff["links"] is None and staff["correlations"] == panel["correlations"]
    assert service.ticket_sharing(ADMIN, "t-2")["correlations"] == []
    for actor in (ENGINEER, CONTACT):
        with pytest.raises(Forbidden):
            service.ticket_sharing(actor, "t-1")


def test_another_accounts_admin_sees_nothing_of_it(service):
    link_id = active_link(service)
    service.tickets.partner_ticket_view.return_value = VIEW
    service.share_ticket(AGENT, link_id, {"ticket_id": "t-1"})
    stranger = dict(ADMIN, account_id="globex")
    assert service.ticket_sharing(stranger, "t-1") == {"links": [], "correlations": []}
