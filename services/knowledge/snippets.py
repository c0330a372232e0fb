"""A short passage of an article around the query's terms, with the matched words marked."""
from collections import Counter
from html import escape

from services.knowledge.analysis import word_spans, words

WINDOW_WORDS = 30


def best_window(terms, wanted, size=WINDOW_WORDS):
    """Index of the first word of the `size`-word window holding the most distinct wanted terms
    (the earliest among equals), in one pass over the words' terms."""
    counts = Counter()
    best, best_count = 0, -1
    last = len(terms) - 1
    for position, term in enumerate(terms):
        if term in wanted:
            counts[term] += 1
        leaving = position - size
        if leaving >= 0 and terms[leaving] in wanted:
            gone = terms[leaving]
            counts[gone] -= 1
            if not counts[gone]:
                del counts[gone]
        if (position >= size - 1 or position == last) and len(counts) > best_count:
            best, best_count = max(0, position - size + 1), len(counts)
    return best


def snippet(text, query_terms, size=WINDOW_WORDS, sequence=None):
    """HTML-escaped passage of `text` (about `size` words) with `<mark>` around matched words;
    `sequence` is the text's `analysis.term_sequence` when the index kept it (only the window's
    words are then found in the text)."""
    wanted = set(query_terms)
    if sequence is None:
        found = list(words(text))
        terms = [term for _, _, term in found]
        spans = [(word_start, word_end) for word_start, word_end, _ in found]
    else:
        terms = sequence.split(" ") if sequence else []
        spans = None
    if not terms:
        return ""
    start = best_window(terms, wanted, size)
    window = spans[start:start + size] if spans is not None else word_spans(text, start, size)
    begin, end = window[0][0], window[-1][1]
    parts, position = [], begin
    for (word_start, word_end), term in zip(window, terms[start:start + size]):
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
