"""BM25F: one saturation over the field-weighted, length-normalized term frequencies.

Pure functions over plain numbers, so the ranking is tested without any store.
"""
import math

FIELDS = ("title", "tags", "body")
WEIGHTS = {"title": 3.0, "tags": 2.0, "body": 1.0}
K1 = 1.2
B = {"title": 0.5, "tags": 0.3, "body": 0.75}


def idf(document_frequency, documents):
    """Robertson-Sparck Jones idf, kept positive for terms in more than half the documents."""
    return math.log(1 + (documents - document_frequency + 0.5) / (document_frequency + 0.5))


def term_weight(frequencies, lengths, average_lengths):
    """The field-weighted pseudo-frequency of one term in one article."""
    total = 0.0
    for name in FIELDS:
        tf = frequencies.get(name, 0)
        if not tf:
            continue
        average = average_lengths.get(name) or 1.0
        norm = 1 - B[name] + B[name] * lengths.get(name, 0) / average
        total += WEIGHTS[name] * tf / max(norm, 1e-9)
    return total


def saturate(weight):
    """BM25's saturation of a term's pseudo-frequency."""
    return weight * (K1 + 1) / (weight + K1)


def score(matches, lengths, average_lengths, idfs):
    """BM25F of one article: `matches` maps each matched query term to its per-field counts."""
    return sum(idfs[term] * saturate(term_weight(frequencies, lengths, average_lengths))
               for term, frequencies in matches.items())
