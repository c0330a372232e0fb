"""The excerpt of an article that a ticket answered with it shows (the answer relations
themselves are in store/answers.py)."""
import re

from services.knowledge.rendering import plain_text

EXCERPT_CHARS = 300


def excerpt(article, limit=EXCERPT_CHARS):
    """The start of the article's body as plain text, cut at a word, with … when cut."""
    # plain_text spaces out inline markup ("**word**." -> "word ."): close it up for reading.
    text = re.sub(r"\s+([.,;:!?)»])", r"\1", plain_text(article.get("body", "")))
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut.rstrip(" ,.;:") + "…"
