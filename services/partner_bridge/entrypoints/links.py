"""Links: invite, accept (as the invited side, and as the inviter answering it), list, read,
pause / resume / revoke, sharing rules, secret rotation."""
import random
from datetime import timedelta

import requests
from nameko.rpc import rpc

from services.partner_bridge import announcements, presentation, rotation
from services.partner_bridge.access import require
from services.partner_bridge.installation import (ACCEPTANCE_PATH, invitation_key, public_url)
from services.partner_bridge.invitations import (
    ACCEPT_PATH, check_acceptance_answer, invitation_url, open_invitation, read_invitation)
from services.partner_bridge.schemas import (
    AcceptSchema, InvitationAcceptanceSchema, InvitationCreateSchema, InvitationDescriptionSchema,
    LinkQuerySchema, LinkStateSchema, RulesUpdateSchema, SecretRotationSchema)
from services.partner_bridge.tickets_port import call_tickets
from services.shared.clock import utcnow
from services.shared.errors import EXPECTED, Conflict, Unavailable, ValidationFailed
from services.shared.validation import load

INVITE, ACCEPT, ACCEPTANCE = InvitationCreateSchema(), AcceptSchema(), InvitationAcceptanceSchema()
LINK_QUERY, LINK_STATE, RULES = LinkQuerySchema(), LinkStateSchema(), RulesUpdateSchema()
ROTATION, DESCRIPTION = SecretRotationSchema(), InvitationDescriptionSchema()
ANSWER_TIMEOUT = (5, 20)
RNG = random.SystemRandom()


def present_acceptance(endpoint, code, identity):
    """Present the code to the inviter's installation; returns its answer (the link secret)."""
    try:
        answer = requests.post(endpoint + ACCEPTANCE_PATH, json={"code": code, "partner": identity},
                               timeout=ANSWER_TIMEOUT, allow_redirects=False)
    except requests.RequestException:
        raise Unavailable("The inviting installation cannot be reached; try again later.") from None
    if answer.status_code == 200:
        return answer.json()
    try:
        problem = answer.json()
    except ValueError:
        problem = {}
    detail = problem.get("detail") or f"The inviting installation answered {answer.status_code}."
    if answer.status_code == 422:
        raise ValidationFailed.from_fields({"code": [detail]})
    if answer.status_code in (404, 409):
        raise Conflict(detail)
    raise Unavailable(detail)


class LinkEntrypoints:
    def _account_name(self, actor):
        return call_tickets(self.tickets.get_my_account, actor)["name"]

    @rpc(expected_exceptions=EXPECTED)
    def invite(self, actor, data):
        who = require(actor, "partners.manage")
        data = load(INVITE, data)
        link, code = self.store.links.invite(
            invitation_key(), account_id=who.account_id, account_name=self._account_name(actor),
            endpoint=public_url(), now=utcnow(), actor=who.as_reference(),
            validity=timedelta(days=data["validity_days"]))
        self.audit(who, "partner_link.invited", "partner_link", link["link_id"],
                   validity_days=data["validity_days"])
        return {"link": presentation.link(link), "code": code,
                "url": invitation_url(read_invitation(code), code)}

    @rpc(expected_exceptions=EXPECTED)
    def accept(self, actor, data):
        """The invited side: present the code to the inviter, then keep the active link."""
        who = require(actor, "partners.manage")
        code = load(ACCEPT, data)["code"]
        invitation = read_invitation(code)
        identity = {"account_id": who.account_id, "account_name": self._account_name(actor),
                    "endpoint": public_url()}
        if invitation.endpoint == public_url():
            # The inviter is an account of this installation: its side is in this database.
            _, secret = self.store.links.accept(invitation_key(), code, partner=identity,
                                                now=utcnow())
        else:
            secret = check_acceptance_answer(
                invitation, present_acceptance(invitation.endpoint, code, identity))
        link = self.store.links.join(invitation, secret, account_id=who.account_id, now=utcnow(),
                                     actor=who.as_reference())
        self.audit(who, "partner_link.accepted", "partner_link", link["link_id"],
                   partner=invitation.account_name)
        return presentation.link(link)

    @rpc(expected_exceptions=EXPECTED)
    def answer_acceptance(self, data):
        """The inviter's side of an acceptance from another installation. No actor: the code,
        signed with this installation's key, is the credential."""
        data = load(ACCEPTANCE, data)
        link, secret = self.store.links.accept(invitation_key(), data["code"],
                                               partner=data["partner"], now=utcnow())
        # Who answers: this side (the inviter), named as the code names it.
        inviter = read_invitation(data["code"])
        return {"link_id": link["link_id"], "secret": secret, "account_id": link["account_id"],
                "account_name": inviter.account_name, "endpoint": inviter.endpoint}

    @rpc(expected_exceptions=EXPECTED)
    def describe_invitation(self, code):
        """What an invitation URL opens, before anyone signs in: who invites, until when, and
        whether the code can still be accepted. The code is checked as an acceptance checks it
        (422 naming `code` when forged, altered or expired)."""
        invitation = open_invitation(invitation_key(), code, now=utcnow())
        link = self.store.links.get(invitation.account_id, invitation.link_id)
        return DESCRIPTION.dump({
            "inviter": {"account_name": invitation.account_name, "endpoint": invitation.endpoint},
            "link_id": invitation.link_id, "expires_at": invitation.expires_at,
            "state": link["state"], "accept_path": ACCEPT_PATH})

    @rpc(expected_exceptions=EXPECTED)
    def list_links(self, actor, query):
        who = require(actor, "partners.manage")
        docs, next_cursor = self.store.links.page(who.account_id, load(LINK_QUERY, query))
        return {"items": [presentation.link(doc) for doc in docs], "next_cursor": next_cursor}

    @rpc(expected_exceptions=EXPECTED)
    def get_link(self, actor, link_id):
        who = require(actor, "partners.manage")
        link = self.store.links.get(who.account_id, str(link_id))
        return self._link_with_queues(who.account_id, link)

    def _link_with_queues(self, account_id, link):
        backlog = self.store.outbox.backlog(account_id, link["link_id"])
        return presentation.link(
            link, {"counts": backlog["counts"], "blocked": backlog["blocked"]},
            {"parked": self.store.received.parked(account_id, link["link_id"])})

    @rpc(expected_exceptions=EXPECTED)
    def retry_received(self, actor, link_id):
        """The link's received changes parked in error (isolation.py) go again, in order."""
        who = require(actor, "partners.manage")
        link = self.store.links.get(who.account_id, str(link_id))
        self.store.received.unpark(who.account_id, link["link_id"])
        return self._link_with_queues(who.account_id, link)

    @rpc(expected_exceptions=EXPECTED)
    def change_link_state(self, actor, link_id, data):
        who = require(actor, "partners.manage")
        target = load(LINK_STATE, data)["state"]
        now = utcnow()
        link = self.store.links.change_state(who.account_id, str(link_id), target, now=now,
                                             actor=who.as_reference(), announce=True)
        if link.get("announcement"):
            # At once, so that the partner shows the same state within seconds; the relay timer
            # tries again if it cannot be reached now.
            announcements.tell(self.store, link, link["announcement"],
                               self._transport_for(link, now).announce_state, now=now, rng=RNG)
            link = self.store.links.get(who.account_id, link["link_id"])
        self.audit(who, "partner_link.state_changed", "partner_link", link["link_id"], state=target)
        return presentation.link(link)

    @rpc(expected_exceptions=EXPECTED)
    def set_rules(self, actor, link_id, data):
        """Replace the outgoing or incoming rule (or both); 422 names the field, e.g.
        `outgoing.fields.2`."""
        who = require(actor, "partners.manage")
        given = load(RULES, data)
        current = self.store.links.get(who.account_id, str(link_id))
        rules = {"outgoing": RULES.dump({"outgoing": given["outgoing"]})["outgoing"]
                 if "outgoing" in given else current["rules"]["outgoing"],
                 "incoming": RULES.dump({"incoming": given["incoming"]})["incoming"]
                 if "incoming" in given else current["rules"]["incoming"]}
        link = self.store.links.set_rules(who.account_id, current["link_id"], rules, now=utcnow())
        self.audit(who, "partner_link.rules_changed", "partner_link", link["link_id"],
                   directions=sorted(given), rules=rules)
        return presentation.link(link)

    @rpc(expected_exceptions=EXPECTED)
    def rotate_link_secret(self, actor, link_id, data):
        """A new secret for the link, told to the partner; the old one is accepted for
        `overlap_minutes` more. 503 when the partner cannot be reached, 409 when it refuses."""
        who = require(actor, "partners.manage")
        overlap = timedelta(minutes=load(ROTATION, data)["overlap_minutes"])
        now = utcnow()
        link = rotation.rotate(
            self.store, account_id=who.account_id, link_id=str(link_id), overlap=overlap,
            now=now, tell_partner=lambda link, message: self._transport_for(
                link, now).rotate_secret(link, message))
        self.audit(who, "partner_link.secret_rotated", "partner_link", link["link_id"],
                   overlap_minutes=int(overlap.total_seconds() // 60))
        return presentation.link(link)
