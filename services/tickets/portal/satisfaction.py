"""The satisfaction report: the clients' ratings of the work (`rating` on tickets) summed up,
pure arithmetic over (score, client id) pairs."""
from collections import Counter, defaultdict

SCORES = (1, 2, 3, 4, 5)


def _average(scores):
    return round(sum(scores) / len(scores), 2) if scores else None


def report(ratings):
    """{"rated", "average", "scores": {"1".."5": count}, "clients": [{client_id, rated, average}]}
    over `ratings` (dicts with `score` and `client_id`); clients by number of ratings, most
    first, then by id."""
    scores = [r["score"] for r in ratings]
    counted = Counter(scores)
    per_client = defaultdict(list)
    for rating in ratings:
        per_client[rating["client_id"]].append(rating["score"])
    clients = sorted(per_client.items(), key=lambda item: (-len(item[1]), str(item[0])))
    return {"rated": len(scores), "average": _average(scores),
            "scores": {str(score): counted.get(score, 0) for score in SCORES},
            "clients": [{"client_id": client_id, "rated": len(given), "average": _average(given)}
                        for client_id, given in clients]}
