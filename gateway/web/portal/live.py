"""A request's page follows its ticket live: /p/<slug>/requests/<id>/events is a server-sent
event stream (the console's hub, gateway/web/queue/live.py, one consumer per process) that says
`changed` when this ticket changed and nothing else; the page then re-reads its conversation
(/p/<slug>/requests/<id>/conversation, tickets.portal_ticket as the contact: public comments
only). No ticket data goes down the stream. The stream counts against the process's cap of open
streams, like a console page's."""
from flask import Response, render_template, session, stream_with_context

from gateway.calls import call, call_anonymous
from gateway.web.portal.views import blp
from gateway.web.queue.views import CONSUMER_WAIT_SECONDS, RETRY_MILLISECONDS, hub, sent


@blp.get("/requests/<ticket_id>/events")
def ticket_events(slug, ticket_id):
    ticket = call("tickets", "get_ticket", ticket_id)  # 404 unless the contact sees it
    actor = call_anonymous("tickets", "authenticate", session["credential"])
    live = hub()
    stream = live.open(actor["account_id"], actor["id"])
    if stream is None:
        return Response("", 503, {"Retry-After": str(RETRY_MILLISECONDS // 1000)})
    live.wait_ready(CONSUMER_WAIT_SECONDS)
    ticket_id = ticket["id"]
    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return Response(stream_with_context(sent(
        live, stream, lambda name, data: name == "changed" and data.get("ticket_id") == ticket_id)),
        mimetype="text/event-stream", headers=headers)


@blp.get("/requests/<ticket_id>/conversation")
def conversation(slug, ticket_id):
    return render_template("portal/conversation.html", **call("tickets", "portal_ticket", ticket_id))
