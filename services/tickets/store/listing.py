"""List queries shared by the directory stores: text search, active flag, cursor pages."""
import re

from services.shared.paging import fetch_page


def text_condition(text, fields):
    pattern = {"$regex": re.escape(text), "$options": "i"}
    return {"$or": [{field: pattern} for field in fields]}


def page(collection, base, query, text_fields, projection=None):
    conditions = [base]
    if "q" in query:
        conditions.append(text_condition(query["q"], text_fields))
    if "active" in query:
        conditions.append({"active": query["active"]})
    return fetch_page(collection, {"$and": conditions}, "name_key", False, query.get("cursor"),
                      query["limit"], projection=projection)
