"""A search request: the actor's scope and filters, the account's synonyms, the ranked index
hits, their snippets."""
from services.knowledge.access import may_read_published
from services.knowledge.snippets import mark_all, snippet


def admits(store, actor, query):
    """The predicate over index entries: what the actor may read, in the section subtree and
    with the tag the query asks for."""
    sections = (frozenset(store.sections.subtree(actor.account_id, query["section_id"]))
                if "section_id" in query else None)
    tag = query["tag"].lower() if "tag" in query else None

    def allowed(entry):
        return (may_read_published(actor, entry)
                and (sections is None or entry.section_id in sections)
                and (tag is None or tag in entry.tag_keys))
    return allowed


def search(store, actor, query):
    """The best articles for `query["q"]` the actor may read, each with a marked snippet."""
    ranked = store.articles.index.search(actor.account_id, query["q"], admits(store, actor, query),
                                         query["limit"], store.synonyms.lexicon(actor.account_id))
    return [{"id": article_id, "title": entry.title,
             "title_marked": mark_all(entry.title, matched), "section_id": entry.section_id,
             "tags": list(entry.tags), "score": round(score, 4),
             "snippet": snippet(entry.text, matched, sequence=entry.sequence)}
            for article_id, score, matched, entry in ranked]
