"""A short passage of an article around the query's terms, with the matched words marked."""
from collections import Counter
from html import escape

from services.knowledge.analysis import stored_words, words

WINDOW_WORDS = 30


def best_window(found, wanted, size=WINDOW_WORDS):
    """Index of the first word of the `size`-word window holding the most distinct wanted terms
    (the earliest among equals), in one pass over the words."""
    counts = Counter()
    best, best_count = 0, -1
    for position, (_, _, term) in enumerate(found):
        if term in wanted:
            counts[term] += 1
        leaving = position - size
        if leaving >= 0 and found[leaving][2] in wanted:
            gone = found[leaving][2]
            counts[gone] -= 1
            if not counts[gone]:
                del counts[gone]
        start = max(0, position - size + 1)
        if (position >= size - 1 or position == len(found) - 1) and len(counts) > best_count:
            best, best_count = start, len(counts)
    return best


def snippet(text, query_terms, size=WINDOW_WORDS, sequence=None):
    """HTML-escaped passage of `text` (about `size` words) with `<mark>` around matched words;
    `sequence` is the text's `analysis.term_sequence` when the index kept it."""
    wanted = set(query_terms)
    found = list(words(text)) if sequence is None else stored_words(text, sequence)
    if not found:
        return ""
    start = best_window(found, wanted, size)
    window = found[start:start + size]
    begin, end = window[0][0], window[-1][1]
    parts, position = [], begin
    for word_start, word_end, term in window:
        if term in wanted:
            parts.append(escape(text[position:word_start]))
            parts.append(f"<mark>{escape(text[word_start:word_end])}</mark>")
            position = word_end
    parts.append(escape(text[position:end]))
    prefix = "… " if begin > 0 else ""
    suffix = " …" if end < len(text.rstrip()) else ""
    return prefix + "".join(parts) + suffix


def mark_all(text, query_terms):
    """The whole of a short text (a title), HTML-escaped, with matched words marked."""
    return snippet(text, query_terms, size=max(len(text.split()), WINDOW_WORDS))
