"""The ticket page's two calls side by side (gateway/web/ticket/views.py page_context), with the
services answered in process: the partner panel read early as the session's actor is shown only
when the tickets service authenticates the session as that very actor."""
import threading


from gateway.app import create_app
from services.shared.errors import Unauthenticated

ADMIN = {"account_id": "a1", "kind": "employee", "id": "e1", "roles": ["admin"], "client_id": None,
         "client_scope": None, "service_levels": [], "credential_id": "c1"}
DEMOTED = dict(ADMIN, roles=["agent"])
TICKET = {"id": "t1", "number": 7, "title": "Турникет", "description": "", "status": "opened",
          "priority": "normal", "channel": "phone", "type": "incident", "allowed_transitions": [],
          "comments": [], "history": [], "works": [], "calls": [], "recordings": [],
          "created_at": "2026-12-07T10:00:00+00:00", "updated_at": "2026-12-07T10:00:00+00:00"}
NAMES = {"employees": {}, "groups": {}, "clients": {}, "contacts": {}, "sites": {}, "equipment": {}}
LINK = {"id": "l1", "partner": {"account_name": "Завод"}, "state": "active"}


class Services:
    """Answers the page's RPCs; the tickets service authenticates as `authenticated`."""

    def __init__(self, authenticated):
        self.authenticated, self.sharing_actors = authenticated, []
        self.lock = threading.Lock()
        self.sharing_asked = threading.Event()
        self.side_by_side = False

    def call(self, service, method, actor, *args, request_id=None):
        if method == "ticket_workspace":
            # Did the panel's read start while this one was still under way?
            self.side_by_side = self.sharing_asked.wait(2)
            if self.authenticated is None:
                raise Unauthenticated("The session ended.")
            return {"actor": self.authenticated, "ticket": TICKET, "names": NAMES, "assignees": [],
                    "groups": [], "price_items": [], "caller_numbers": []}
        assert (service, method) == ("partner_bridge", "ticket_sharing")
        with self.lock:
            self.sharing_actors.append(actor)
        self.sharing_asked.set()
        admin = "admin" in actor["roles"]
        return {"links": [LINK] if admin else None, "correlations": []}


def page(authenticated, signed_in_as=ADMIN):
    app = create_app(amqp_uri="amqp://guest:guest@127.0.0.1:5672/")
    services = Services(authenticated)
    app.extensions["gateway"].rpc = services
    client = app.test_client()
    with client.session_transaction() as session:
        session.update(credential="secret", name="Админ", roles=signed_in_as["roles"],
                       account="acme", account_name="Acme", actor=signed_in_as)
    return client.get("/tickets/t1"), services


def test_the_panel_read_beside_the_workspace_is_used_for_the_same_actor():
    answer, services = page(ADMIN)
    assert answer.status_code == 200 and "Завод" in answer.text
    assert services.sharing_actors == [ADMIN] and services.side_by_side


def test_changed_roles_read_the_panel_again_as_the_authenticated_actor():
    answer, services = page(DEMOTED)
    assert answer.status_code == 200 and "Завод" not in answer.text  # links are for admins
    assert DEMOTED in services.sharing_actors  # the early read as ADMIN may still be on its way


def test_an_ended_session_shows_nothing_of_the_early_read():
    answer, _ = page(None)
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]
    assert "Завод" not in answer.text
