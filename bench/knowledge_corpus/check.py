"""Validate the knowledge-base benchmark corpus: articles.jsonl and queries.jsonl.

Checks the schema of both files, unique article ids and titles, the body length (120-400 words),
that every relevant id of a query exists, that no two article bodies share more than 60% of their
word 3-grams (shared / the smaller of the two sets) and that at most 20% of the queries share three
or more consecutive words with the title of their best article. Prints the counts; exits with 1 on
any failure.

    /work/main/.venv/bin/python bench/knowledge_corpus/check.py
"""
import collections
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MIN_ARTICLES, MIN_QUERIES = 300, 100
BODY_WORDS = (120, 400)
MAX_SHARED_TRIGRAMS = 0.60
MAX_TITLE_COPY_SHARE = 0.20
ID_RE = re.compile(r"^kb-\d{4}$")
WORD_RE = re.compile(r"[0-9a-zа-яё]+(?:[-'][0-9a-zа-яё]+)*", re.IGNORECASE)


def words(text):
    return [w.lower().replace("ё", "е") for w in WORD_RE.findall(text)]


def trigrams(tokens):
    return {tuple(tokens[i:i + 3]) for i in range(len(tokens) - 2)}


def max_trigram_overlap(bodies):
    """bodies: {id: text}. Returns (worst share, id_a, id_b) over all pairs, share = shared / min."""
    grams = {key: trigrams(words(text)) for key, text in bodies.items()}
    # An inverted index keeps this fast: only pairs that share at least one 3-gram are compared.
    index = collections.defaultdict(list)
    for key, items in grams.items():
        for gram in items:
            index[gram].append(key)
    shared = collections.Counter()
    for keys in index.values():
        if len(keys) > 1:
            for i, a in enumerate(keys):
                for b in keys[i + 1:]:
                    shared[(a, b)] += 1
    worst = (0.0, None, None)
    for (a, b), count in shared.items():
        share = count / max(1, min(len(grams[a]), len(grams[b])))
        if share > worst[0]:
            worst = (share, a, b)
    return worst


def title_copy(query, title):
    """True when the query and the title share three or more consecutive words."""
    return bool(trigrams(words(query)) & trigrams(words(title)))


def load_jsonl(path, errors):
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            errors.append(f"{path.name}:{number}: not JSON ({exc})")
    return rows


def is_str_list(value):
    return isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value)


def check_articles(articles, errors):
    fields = {"id", "section", "title", "tags", "equipment_kinds", "body"}
    seen_ids, seen_titles = set(), set()
    for article in articles:
        where = f"article {article.get('id', '?')}"
        if set(article) != fields:
            errors.append(f"{where}: fields {sorted(article)} != {sorted(fields)}")
            continue
        if not isinstance(article["id"], str) or not ID_RE.match(article["id"]):
            errors.append(f"{where}: id must look like kb-0001")
        for name in ("section", "title", "body"):
            if not isinstance(article[name], str) or not article[name].strip():
                errors.append(f"{where}: {name} must be a non-empty string")
        for name in ("tags", "equipment_kinds"):
            if not is_str_list(article[name]):
                errors.append(f"{where}: {name} must be a non-empty list of strings")
        if article["id"] in seen_ids:
            errors.append(f"{where}: duplicate id")
        seen_ids.add(article["id"])
        if article["title"].lower() in seen_titles:
            errors.append(f"{where}: duplicate title {article['title']!r}")
        seen_titles.add(article["title"].lower())
        count = len(words(article["body"]))
        if not BODY_WORDS[0] <= count <= BODY_WORDS[1]:
            errors.append(f"{where}: body has {count} words, expected {BODY_WORDS[0]}-{BODY_WORDS[1]}")
        if "lorem" in article["body"].lower():
            errors.append(f"{where}: filler text")
    if len(articles) < MIN_ARTICLES:
        errors.append(f"only {len(articles)} articles, expected at least {MIN_ARTICLES}")


def check_queries(queries, by_id, errors):
    fields = {"query", "relevant", "note"}
    seen = set()
    copies = []
    for number, query in enumerate(queries, 1):
        where = f"query {number}"
        if set(query) != fields:
            errors.append(f"{where}: fields {sorted(query)} != {sorted(fields)}")
            continue
        if not isinstance(query["query"], str) or not query["query"].strip():
            errors.append(f"{where}: empty query")
            continue
        if not isinstance(query["note"], str) or not query["note"].strip():
            errors.append(f"{where}: empty note")
        relevant = query["relevant"]
        if not isinstance(relevant, list) or not 1 <= len(relevant) <= 3 or len(set(relevant)) != len(relevant):
            errors.append(f"{where}: relevant must list 1-3 distinct ids")
            continue
        missing = [r for r in relevant if r not in by_id]
        if missing:
            errors.append(f"{where}: unknown ids {missing}")
            continue
        key = query["query"].strip().lower()
        if key in seen:
            errors.append(f"{where}: duplicate query {query['query']!r}")
        seen.add(key)
        if title_copy(query["query"], by_id[relevant[0]]["title"]):
            copies.append(query["query"])
    if len(queries) < MIN_QUERIES:
        errors.append(f"only {len(queries)} queries, expected at least {MIN_QUERIES}")
    return copies


def main():
    errors = []
    articles = load_jsonl(HERE / "articles.jsonl", errors)
    queries = load_jsonl(HERE / "queries.jsonl", errors)
    check_articles(articles, errors)
    by_id = {a.get("id"): a for a in articles}
    copies = check_queries(queries, by_id, errors)

    sections = collections.Counter(a.get("section") for a in articles)
    lengths = sorted(len(words(a.get("body", ""))) for a in articles)
    print(f"articles: {len(articles)}")
    for section, count in sorted(sections.items(), key=lambda kv: -kv[1]):
        print(f"  {section}: {count}")
    if lengths:
        print(f"body words: min {lengths[0]}, median {lengths[len(lengths) // 2]}, max {lengths[-1]}")

    share, a, b = max_trigram_overlap({x["id"]: x["body"] for x in articles if "body" in x})
    print(f"most similar bodies: {a} / {b} share {share:.1%} of 3-grams (limit {MAX_SHARED_TRIGRAMS:.0%})")
    if share > MAX_SHARED_TRIGRAMS:
        errors.append(f"near-duplicate bodies {a} and {b}: {share:.1%} shared 3-grams")

    sizes = collections.Counter(len(q.get("relevant", [])) for q in queries)
    typos = sum("опечат" in q.get("note", "").lower() for q in queries)
    short = sum(len(words(q.get("query", ""))) <= 2 for q in queries)
    print(f"queries: {len(queries)} (relevant ids: " + ", ".join(f"{n}: {sizes[n]}" for n in sorted(sizes))
          + f"; with a typo: {typos}; 1-2 words: {short})")
    share_copies = len(copies) / max(1, len(queries))
    print(f"queries sharing 3+ consecutive words with their best title: {len(copies)} ({share_copies:.1%}, "
          f"limit {MAX_TITLE_COPY_SHARE:.0%})")
    if share_copies > MAX_TITLE_COPY_SHARE:
        errors.append(f"{share_copies:.1%} of the queries copy their best title")

    for error in errors:
        print("FAIL:", error)
    print("OK" if not errors else f"{len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
