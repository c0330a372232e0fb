"""The audit log (admins): /audit, through the same RPC as GET /api/v1/audit."""
from flask import Blueprint, render_template, request

from gateway.calls import call

blp = Blueprint("audit", __name__, template_folder="templates")
NAVIGATION = [("web.audit.entries", "Audit log", ("admin",))]
PAGE = 50


@blp.get("/audit")
def entries():
    query = {"limit": PAGE, **({"cursor": request.args["cursor"]} if request.args.get("cursor") else {})}
    return render_template("audit/entries.html", page=call("tickets", "list_audit", query))
