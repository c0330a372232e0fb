"""Carrying out one export job: the ticket's works from the tickets service, its client's
counterparty and contract from the last sync, the sale into 1C, and the reference back onto the
ticket. What a retry cannot fix (a client never matched, a work 1C does not sell, a sale 1C refuses
to post, with 1C's message) kills the job at once with its reason, to be replayed once fixed; 1C
or the tickets service failing is retried with backoff."""
from services.billing_sync.adapters.base import OneCError
from services.billing_sync.connections import open_source, profile_of
from services.billing_sync.sale import PostingRefused, push_sale
from services.shared.errors import Unavailable, ValidationFailed


def export(store, job, directory, *, today, source_factory=open_source):
    account_id = job["account_id"]
    connection = store.connections.of_account(account_id)
    if connection is None:
        return store.exports.failed(job, {"kind": "no_connection",
                                          "detail": "The account has no 1C connection."}, permanent=True)
    try:
        ticket = directory.ticket(job["ticket_id"])
        counterparty = store.mappings.current(account_id).get(ticket["client_id"])
        if not counterparty:
            raise ValidationFailed.from_fields({"client_id": [
                "The ticket's client has no 1C counterparty: map it, run a sync, replay the job."]})
        contract = store.contracts.latest_of_client(account_id, ticket["client_id"])
        with source_factory(connection) as source:
            sale = push_sale(source, profile_of(connection), job, ticket, counterparty=counterparty,
                             contract=contract, settings=connection.get("sale"), today=today,
                             remember_ref=lambda ref, number: store.exports.remember_ref(job, ref, number))
        directory.set_ticket_sale(job["ticket_id"], {"ref": sale["ref"], "number": sale["number"]})
    except ValidationFailed as err:
        return store.exports.failed(job, {"kind": "invalid", "detail": err.detail,
                                          "fields": err.fields}, permanent=True)
    except PostingRefused as err:
        return store.exports.failed(job, {"kind": "posting", "detail": err.detail,
                                          "onec_message": err.message}, permanent=True)
    except OneCError as err:
        return store.exports.failed(job, {"kind": err.kind, "detail": err.detail})
    except Unavailable as err:
        return store.exports.failed(job, {"kind": "unavailable", "detail": err.detail})
    return store.exports.done(job, sale)
