"""The queue: /tickets, the account's tickets through the same RPC as GET /api/v1/tickets, with
filters, sorting and cursor pages. Rendered whole, or only its results for htmx."""
from flask import Blueprint, render_template, request

from gateway.calls import call
from gateway.web.forms import field_errors
from services.shared.errors import ValidationFailed

blp = Blueprint("queue", __name__, template_folder="templates")
# (endpoint, label msgid, roles it is shown to): the console's menu; the RPC still decides.
NAVIGATION = [("web.queue.tickets", "Queue", ("admin", "dispatcher", "agent", "field_engineer"))]
LIST_FILTERS = ("status", "priority")          # may repeat in the query string
ONE_FILTERS = ("assignee_id", "q", "sort", "cursor")
STAFF_PAGE = 100  # the assignee picker and the names in the list


def query_of(args):
    """The RPC's query from the page's query string; empty choices are no filter. The service
    validates it (an unknown status is a 422 naming the field)."""
    query = {name: values for name in LIST_FILTERS if (values := [v for v in args.getlist(name) if v])}
    query.update({name: args[name] for name in ONE_FILTERS if args.get(name)})
    return query


@blp.get("/tickets")
def tickets():
    query, errors = query_of(request.args), {}
    try:
        page = call("tickets", "list_tickets", query)
    except ValidationFailed as error:
        page, errors = {"items": [], "next_cursor": None}, field_errors(error)
    staff = call("tickets", "list_employees", {"active": True, "limit": STAFF_PAGE})["items"]
    names = {person["id"]: person["name"] for person in staff}
    template = "queue/results.html" if request.headers.get("HX-Request") else "queue/tickets.html"
    return render_template(template, page=page, query=query, staff=staff, names=names,
                           errors=errors), 422 if errors else 200
