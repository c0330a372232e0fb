"""The (account, link) or (account, ticket) pairs that have work, for the installation's timers:
they look across accounts, and every step after that is scoped by the pair's own account."""


def first_pairs(collection, query, fields, *, limit, scan):
    """Distinct (account_id, <field>) pairs of the documents matching `query`, at most `limit`
    of them, reading at most `scan` documents."""
    seen = []
    for doc in collection.find(query, {"account_id": 1, fields: 1}).limit(scan):
        pair = (doc.get("account_id"), doc.get(fields))
        if None in pair:
            continue  # a document missing its keys is nobody's work: it must not stop the round
        if pair not in seen:
            seen.append(pair)
        if len(seen) >= limit:
            break
    return seen
