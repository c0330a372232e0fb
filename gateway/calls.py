"""How views reach the services: as the request's actor, with validated input re-dumped to JSON."""
from flask import current_app, g, jsonify, make_response

from services.shared.page_schemas import MAX_PAGE


def call(service, method, *args, schema=None, data=None):
    """RPC `service.method(actor, *args[, dumped data])` as the authenticated actor."""
    gateway = current_app.extensions["gateway"]
    actor = gateway.auth.actor() if service == "tickets" else gateway.auth.resolved_actor()
    payload = () if schema is None else (schema.dump(data),)
    return gateway.rpc.call(service, method, actor, *args, *payload, request_id=g.get("request_id"))


def call_anonymous(service, method, *args):
    """RPC for the few calls made before there is an actor (login, password reset)."""
    return current_app.extensions["gateway"].rpc.call(service, method, *args,
                                                      request_id=g.get("request_id"))


def respond(body, status=200):
    # Services return schema-dumped JSON already: answer it as is, without a second dump.
    return make_response(jsonify(body), status)


def respond_page(page, query):
    """A list's answer: `items`, `next_cursor` and the `limit` the page was cut at."""
    return respond(dict(page, limit=query["limit"]))


def first_page(service, method, *args, **filters):
    """The items of a list's first, largest page: what a web page offers to pick from."""
    return call(service, method, *args, dict(filters, limit=MAX_PAGE))["items"]
