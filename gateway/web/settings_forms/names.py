"""People's and groups' names for the ids a settings page shows or offers, each from one list
call (never one call per row)."""
from gateway.calls import call, first_page

STAFF_PAGE = 100  # as the queue's assignee picker


def staff_names():
    """{id: name} of the account's active employees."""
    staff = call("tickets", "list_employees", {"active": True, "limit": STAFF_PAGE})["items"]
    return {person["id"]: person["name"] for person in staff}


def group_names():
    return {group["id"]: group["name"] for group in first_page("tickets", "list_groups")}
