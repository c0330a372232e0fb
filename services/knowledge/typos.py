"""The cheap typo fallback: a query term the index does not know (memory_index.expand asks only
for those) is replaced by the index terms within a small edit distance of the term or of the
start of the word as typed (a misspelt word often stems badly: "турникит" stems to "турник", yet
its first eight letters are one letter away from the index term "турникет").

Short words are corrected too, more strictly: a term of three or four letters (abbreviations
such as «ибп», «ндс», «офд», «vpn») only by one substitution or one swap of neighbours after
its first letter, the same length and start kept («ипб» → «ибп», «нсд» → «ндс», «офт» → «офд»);
one of two letters or fewer is never corrected (too many words are one letter away)."""

MAX_ALTERNATIVES = 3


def edit_distance(a, b, limit):
    """Optimal string alignment distance (a swap of neighbours counts once), or limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2, previous = None, list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            cost = char_a != char_b
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if (i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b):
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


SHORTEST = 3       # letters of the shortest term corrected
SHORT = 4          # up to this length only a substitution or a swap after the first letter


def allowed_distance(term):
    if len(term) < SHORTEST:
        return -1
    return 1 if len(term) < 7 else 2


def distance(term, word, candidate):
    """How far `candidate` is from the query term or from as much of the typed word; a short
    word typed is compared as typed, with its length and first letter."""
    limit = allowed_distance(term)
    if word and len(word) <= SHORT:
        if len(candidate) != len(word) or candidate[0] != word[0] or len(word) < SHORTEST:
            return limit + 1
        return edit_distance(word, candidate, 1)
    best = edit_distance(term, candidate, limit)
    if word and len(candidate) >= max(4, len(word) - 3):
        best = min(best, edit_distance(word[:len(candidate)], candidate, limit))
    return best


def closest_terms(term, vocabulary, word=None):
    """Up to MAX_ALTERNATIVES terms of `vocabulary` (term -> document frequency) nearest to
    `term` (stemmed from the typed `word`), the nearest first and the more frequent among equals."""
    limit = allowed_distance(term)
    near = [(distance(term, word, candidate), -df, candidate)
            for candidate, df in vocabulary.items()]
    near = sorted(item for item in near if item[0] <= limit)
    return [candidate for _, _, candidate in near[:MAX_ALTERNATIVES]]
