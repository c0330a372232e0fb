"""The client portal's calls (docs/portal.md): the account's brand before sign-in, who the
contact is, their company's sites and equipment, the coverage verdict told to the client, a
request registered with the client's consent to a paid visit, the ticket's page in one call,
and confirming, reopening and rating the work. Every call but the brand is a contact's."""
from datetime import datetime, timedelta

from nameko.rpc import rpc

from services.shared.clock import utcnow
from services.shared.errors import EXPECTED, Conflict, Forbidden, NotFound
from services.shared.validation import load
from services.tickets.directory import naming
from services.tickets.guard import Guard
from services.tickets.portal import assets, feedback, satisfaction, settings
from services.tickets.portal.schemas import (FeedbackStateSchema, FeedbackWriteSchema, PortalBrandSchema,
                                             PortalPlaceSchema, PortalProfileSchema,
                                             PortalRequestSchema, PortalVerdictSchema,
                                             RatingWriteSchema, SatisfactionQuerySchema)
from services.tickets.tickets import registration

BRAND, PROFILE, VERDICT = PortalBrandSchema(), PortalProfileSchema(), PortalVerdictSchema()
PLACE, REQUEST = PortalPlaceSchema(), PortalRequestSchema()
FEEDBACK, RATING, STATE = FeedbackWriteSchema(), RatingWriteSchema(), FeedbackStateSchema()
SATISFACTION_QUERY = SatisfactionQuerySchema()


def brand(account):
    return BRAND.dump({"account_id": account["_id"], "slug": account["slug"], "name": account["name"],
                       "logo_url": settings.logo_url(account.get("settings"))})


class PortalEntrypoints(Guard):
    def contact(self, actor):
        actor = self.authorized(actor, "tickets.read")
        if not actor.is_contact:
            raise Forbidden("The client portal is for client contacts.")
        return actor

    @rpc(expected_exceptions=EXPECTED)
    def portal_brand(self, slug):
        """The portal's name and logo, shown before anyone signs in."""
        account = self.store.accounts.find_by_slug(str(slug)[:64])
        if account is None or not account["active"]:
            raise NotFound(f"No portal {slug}.")
        return brand(account)

    @rpc(expected_exceptions=EXPECTED)
    def portal_profile(self, actor):
        actor = self.contact(actor)
        person = self.store.contacts.get(actor.account_id, actor.id, actor.client_id)
        client = self.store.clients.get(actor.account_id, actor.client_id)
        account = self.store.accounts.get(actor.account_id)
        return PROFILE.dump({"id": actor.id, "name": person["name"], "client_id": actor.client_id,
                             "client_name": client["name"], "portal_access": actor.client_scope,
                             "account": brand(account), "time_zone": account["time_zone"],
                             "locale": account.get("locale")})

    # -- the contact's company's sites and equipment (the API's lists route contacts here) ------
    def contact_sites(self, actor, client_id, query):
        return assets.sites_page(self.store, actor, client_id, query)

    def contact_site(self, actor, client_id, site_id):
        assets.own_client(actor, client_id)
        return assets.SITE.dump(assets.site(self.store, actor, site_id))

    def contact_equipment(self, actor, query):
        return assets.equipment_page(self.store, actor, query)

    def contact_item(self, actor, equipment_id):
        return assets.ITEM.dump(assets.item(self.store, actor, equipment_id))

    @rpc(expected_exceptions=EXPECTED)
    def portal_sites(self, actor, query):
        return self.contact_sites(self.contact(actor), None, query)

    @rpc(expected_exceptions=EXPECTED)
    def portal_equipment(self, actor, query):
        return self.contact_equipment(self.contact(actor), query)

    # -- registering a request -------------------------------------------------------------------
    def _verdict(self, actor, site_id, equipment_id):
        return registration.assess(self.store, actor.account_id, actor.client_id, site_id,
                                   equipment_id)

    @rpc(expected_exceptions=EXPECTED)
    def portal_coverage(self, actor, data):
        """What the client is told before sending: covered, or paid (with the policy's price),
        or refused; never the contract's or service level's ids."""
        actor = self.contact(actor)
        site_id, equipment_id = assets.place(self.store, actor, load(PLACE, data))
        return VERDICT.dump(self._verdict(actor, site_id, equipment_id))

    @rpc(expected_exceptions=EXPECTED)
    def portal_register(self, actor, data):
        """A ticket from the portal. When the verdict makes the visit paid, the client must have
        accepted it (`paid_accepted`), else 409 with the verdict and the price."""
        resolved = self.contact(actor)
        data = load(REQUEST, data)
        site_id, equipment_id = assets.place(self.store, resolved, data)
        found = self._verdict(resolved, site_id, equipment_id)
        paid = found["action"] == "paid_work"
        if paid and not data["paid_accepted"]:
            raise Conflict("The visit is paid: accept the price to send the request.",
                           {"verdict": found["verdict"], "action": found["action"],
                            "price": found["price"] or {}})
        ticket = self.create_ticket(resolved.to_dict(), {
            "title": data["title"], "description": data["description"], "channel": "portal",
            "site_id": site_id, "equipment_id": equipment_id,
            **({"suggestion_id": data["suggestion_id"]} if data.get("suggestion_id") else {})})
        if paid:
            self.store.audit.record(resolved, "ticket.paid_work_accepted", "ticket", ticket["id"],
                                    price=found["price"])
        return ticket

    # -- the request's page and what the client does with it ------------------------------------
    def _window(self, actor):
        return settings.reopen_days(self.store.accounts.get(actor.account_id).get("settings"))

    @rpc(expected_exceptions=EXPECTED)
    def portal_ticket(self, actor, ticket_id):
        """{"ticket": as get_ticket shows it to the contact (public comments only), "names":
        names_of for its site, item and comment authors, "feedback": what the client may do}."""
        actor = self.contact(actor)
        doc = self.store.tickets.get(actor, str(ticket_id))
        ticket = self._shown(actor, doc)
        authors = {kind: [c["author"]["id"] for c in ticket["comments"]
                          if c["author"]["kind"] == kind[:-1]] for kind in ("employees", "contacts")}
        names = naming.names_of(self.store, actor.account_id, {
            "sites": [ticket["site_id"]] if ticket.get("site_id") else [],
            "equipment": [ticket["equipment_id"]] if ticket.get("equipment_id") else [],
            **authors})
        state = feedback.state(doc, utcnow(), self._window(actor))
        return {"ticket": ticket, "names": names,
                "feedback": STATE.dump(state)}

    def _move(self, actor, ticket_id, action, data):
        actor = self.contact(actor)
        data = load(FEEDBACK, data)
        doc = self.store.tickets.get(actor, str(ticket_id))
        feedback.check(action, doc, utcnow(), self._window(actor))
        ticket = self.store.tickets.change_status(actor, doc["_id"], feedback.target_status(action),
                                                  data["comment"])
        self._announce(ticket)
        return self._shown(actor, ticket)

    @rpc(expected_exceptions=EXPECTED)
    def portal_confirm(self, actor, ticket_id, data):
        """The client confirms the resolution: the ticket is closed."""
        return self._move(actor, ticket_id, "confirm", data)

    @rpc(expected_exceptions=EXPECTED)
    def portal_reopen(self, actor, ticket_id, data):
        """The client says it is not solved, within the account's window."""
        return self._move(actor, ticket_id, "reopen", data)

    @rpc(expected_exceptions=EXPECTED)
    def rate_ticket(self, actor, ticket_id, data):
        """The client's rating of the work (1-5 and a comment), once per ticket."""
        actor = self.contact(actor)
        data = load(RATING, data)
        doc = self.store.tickets.get(actor, str(ticket_id))
        feedback.check("rate", doc, utcnow(), self._window(actor))
        ticket = self.store.ticket_ratings.rate(actor, doc["_id"], data["score"], data["comment"],
                                                feedback.DONE)
        self.store.audit.record(actor, "ticket.rated", "ticket", doc["_id"], score=data["score"])
        return self._shown(actor, ticket)

    @rpc(expected_exceptions=EXPECTED)
    def satisfaction_report(self, actor, query):
        """The clients' ratings in a period of UTC days (who reads the SLA report reads this)."""
        actor = self.authorized(actor, "sla.report")
        query = load(SATISFACTION_QUERY, query)
        since = query.get("from_") and datetime.fromisoformat(query["from_"])  # YYYY-MM-DD
        until = query.get("to") and datetime.fromisoformat(query["to"]) + timedelta(days=1)
        return satisfaction.report(self.store.ticket_ratings.rated(actor.account_id, since, until))
