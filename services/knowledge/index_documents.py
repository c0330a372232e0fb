"""What the search index keeps of one article: plain data made from the article, stored by
store/search_index.py and evaluated by memory_index.py."""
from collections import Counter

from services.knowledge import ranking
from services.knowledge.analysis import STOP, families, term_sequence, terms
from services.knowledge.memory_index import encode_counts, encode_families
from services.knowledge.rendering import plain_text


def field_terms(article, sequence):
    """Index terms per field; equipment kinds count as tags."""
    labels = list(article.get("tags", [])) + list(article.get("equipment_kinds", []))
    return {"title": terms(article["title"]), "tags": terms(" ".join(labels)),
            "body": [term for term in sequence.split() if term != STOP]}


LAYOUT = 3  # 3: derivational families, possessive stop words, the change date for tie-breaks


def index_document(article):
    """What `index_docs` keeps for one article."""
    doc = {"_id": article["_id"], "account_id": article["account_id"],
           "version": article["version"], "searchable": article["state"] == "published",
           "layout": LAYOUT}
    if not doc["searchable"]:
        return doc
    text = plain_text(article.get("body", ""))
    sequence = term_sequence(text)
    counts = {name: Counter(found) for name, found in field_terms(article, sequence).items()}
    vocabulary = sorted(set().union(*counts.values()))
    labels = " ".join(list(article.get("tags", [])) + list(article.get("equipment_kinds", [])))
    return dict(
        doc, title=article["title"], text=text, sequence=sequence, section_id=article.get("section_id"),
        tags=list(article.get("tags", [])), visibility=article["visibility"],
        client_categories=article.get("client_categories", []),
        service_levels=article.get("service_levels", []),
        tf=encode_counts({term: [counts[name][term] for name in ranking.FIELDS]
                          for term in vocabulary}),
        lengths={name: sum(found.values()) for name, found in counts.items()},
        families=encode_families(families(" ".join([article["title"], labels, text]))),
        updated_at=article.get("updated_at"))
