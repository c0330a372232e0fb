"""Knowledge-base search: quality on the Russian corpus and latency at 10,000 articles (issue 6,
point 6), next to a naive substring baseline and PostgreSQL full-text search.

What it measures, all in this one process (no RabbitMQ, no gateway: the numbers are the search
itself, not the RPC around it):

1. Quality on bench/knowledge_corpus (329 articles, 237 queries written the way clients write,
   and 120 held-out queries in queries_holdout.jsonl, written by someone who saw neither those
   queries nor the search's lexicon: the figure that shows how the search does on unseen text).
   The articles are published through the knowledge service's own store (`Store` over the
   embedded database, `ArticleStore.create` with state `published`: rendering, versions and the
   search index, as the service does it) and every query runs through `searching.search` as a
   client contact would (scope, BM25F ranking, typo fallback, snippets), limit 10. Reported:
   hit@1 (the query's *best* article, the first of `relevant`, ranked first), hit@5 (any relevant
   article in the top 5) and MRR@10 (1/rank of the first relevant article in the top 10, else 0).
   The same for
   - substring: the naive baseline. Query words (runs of letters and digits, lower-cased, ё read
     as е, words under 3 letters dropped) are looked up as substrings of the article's title and of
     title + tags + equipment kinds + body; articles are ranked by how many words occur in the title,
     then by how many occur anywhere, then by id; articles with no word are not returned;
   - PostgreSQL full-text search (when a server is reachable): a temporary table with
     setweight(to_tsvector('russian', title), 'A') || tags and equipment kinds 'B' || body 'C'
     (the same plain text the service indexes) in a stored generated column with a GIN index,
     ordered by ts_rank_cd. Two query forms: `plainto_tsquery('russian', q)` as it comes (all
     words must match: PostgreSQL's default) and the same lexemes OR-ed (any word may match),
     which suits client queries better and is the fairer comparison.
2. Latency at --articles (default 10,000) articles: the corpus is grown by copies of the 329
   articles under new ids, each with light variation (tags and equipment kinds shuffled, " —
   вариант N" after the title, two neighbouring paragraphs of the body swapped). All are indexed
   (time and articles/s reported; for PostgreSQL the inserts plus the GIN index build), then every
   query runs --rounds times (default 3) per engine and p50/p95/p99/max latency (nearest rank, in
   ms) and queries/s are reported. Before the timed runs a fresh `Store` loads the index
   into memory, as the service's warm-up timer does at start; that load time is reported too.
   A single engine stops starting new rounds once it has spent
   --budget seconds (default 60) after its first full round, and the table says how many runs were
   measured: that keeps a default run within about 5 minutes when a search is slow. Quality is
   reported at that size too, from the first round, still against the original ids: a copy of the
   right article does not count as a hit, so copies compete with the originals and hit@5 at
   10,000 is a lower bound of what a real 10,000-article base would give. Peak RSS of this process
   (getrusage ru_maxrss) is shown after our indexing.
3. PASS/MISS for the issue's targets: hit@5 >= 0.9 on the corpus, p95 < 30 ms at 10,000 articles,
   hit@5 better than PostgreSQL's (its better query form), and a one-line summary.

The output is Markdown, ready for docs/performance.md, with the machine and date at the top.

Run (one benchmark at a time, nothing else busy on the machine):

    .venv/bin/python bench/knowledge_search.py                      # default: 10,000 articles, 3 rounds
    .venv/bin/python bench/knowledge_search.py --articles 2000 --rounds 1   # a quick check
    .venv/bin/python bench/knowledge_search.py --no-postgres
    .venv/bin/python bench/knowledge_search.py --pg-dsn "host=127.0.0.1 dbname=test user=postgres"

PostgreSQL is reached with psycopg (`pip install -e '.[bench]'` installs it); by default the script
tries host 127.0.0.1 port 5432 database `test` as user `root`, then `postgres`. When psycopg is
missing or no server answers, the PostgreSQL columns are skipped with the reason printed. The
script creates only a temporary table (gone with its session) and drops it at the end.
"""
import argparse
import datetime
import gc
import json
import os
import platform
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from services.knowledge.rendering import plain_text  # noqa: E402
from services.knowledge.searching import search  # noqa: E402
from services.knowledge.store import Store  # noqa: E402
from services.shared.actor import Actor  # noqa: E402
from services.shared.embedded import open_embedded_database  # noqa: E402

CORPUS = ROOT / "bench" / "knowledge_corpus"
ACCOUNT = "bench"
AUTHOR = "bench-author"
LIMIT = 10
TARGET_P95_MS = 30.0     # issues 6 and 25, at 10,000 articles
TARGET_ARTICLES = 10_000
GOAL_HIT1 = 0.95         # issue 25: on every query set
GOAL_MRR = 0.97
GOAL_KINDS = ("synonym", "colloquial")
GOAL_KIND_HIT1 = 0.9
GOAL_INDEX_MIB = 150     # issue 25: the loaded index at 10,000 articles
QUERY_SETS = (("corpus", "queries.jsonl"), ("held-out", "queries_holdout.jsonl"),
              ("fresh", "queries_fresh.jsonl"))
WORD = re.compile(r"[^\W_]+", re.UNICODE)
CONTACT = Actor(account_id=ACCOUNT, kind="contact", id="bench-contact", client_id="bench-client",
                client_scope="own")


def read_lines(name):
    with open(CORPUS / name, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


# ---------------------------------------------------------------- machine and formatting

def machine_facts():
    model = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "nproc": os.cpu_count(), "cpu": model,
            "python": f"{platform.python_implementation()} {platform.python_version()}",
            "os": f"{platform.system()} {platform.release()}", "commit": commit or "unknown"}


def table(headers, rows, right_from=1):
    align = ["---"] * min(right_from, len(headers)) + ["---:"] * (len(headers) - right_from)
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def percentile(ordered, fraction):
    """Nearest-rank percentile of an ascending list."""
    if not ordered:
        return float("nan")
    rank = max(1, -(-len(ordered) * fraction // 1))
    return ordered[int(rank) - 1]


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# ---------------------------------------------------------------- quality

def quality(queries, rankings):
    """hit@1 (best article first), hit@5 (any relevant in the top 5), MRR@10, over all queries;
    `rankings` holds, per query, the ids of the ranked hits: a copy's id (kb-0043-c1) never counts."""
    hit1 = hit5 = reciprocal = 0.0
    for query, ranked in zip(queries, rankings):
        relevant = query["relevant"]
        hit1 += bool(ranked) and ranked[0] == relevant[0]
        ranks = [position for position, found in enumerate(ranked[:LIMIT]) if found in relevant]
        if ranks:
            hit5 += ranks[0] < 5
            reciprocal += 1 / (ranks[0] + 1)
    count = len(queries) or 1
    return {"hit@1": hit1 / count, "hit@5": hit5 / count, "mrr": reciprocal / count}


KIND_RULES = (  # (kind, words of a note that name it), first match wins; see query_kind
    ("typo", ("опечат",)),
    ("brand", ("транслит", "латиниц", "бренд", "модель", "код", "английск", "кириллиц")),
    ("colloquial", ("сленг", "разговор", "бытов", "симптом")),
    ("forms", ("форм", "число", "падеж", "порядок")),
)
KINDS = ("forms", "synonym", "colloquial", "typo", "brand", "short")


def query_kind(query):
    """The query's kind: its `kind` field, or for the older sets (which have none) read from its
    note: a typo, a brand or code, a query of one or two words, slang or a symptom in everyday
    words, another word form, else another word for the same thing (synonym)."""
    if query.get("kind"):
        return query["kind"]
    note = query["note"].lower()
    for kind, marks in KIND_RULES[:2]:
        if any(mark in note for mark in marks):
            return kind
    if len(WORD.findall(query["query"])) <= 2:
        return "short"
    for kind, marks in KIND_RULES[2:]:
        if any(mark in note for mark in marks):
            return kind
    return "synonym"


def original_of(article_id):
    return article_id.split("-c", 1)[0]


def copy_hit5(queries, rankings):
    """hit@5 when a copy of a relevant article counts as that article (for comparison only)."""
    hits = sum(bool({original_of(found) for found in ranked[:5]} & set(query["relevant"]))
               for query, ranked in zip(queries, rankings))
    return hits / (len(queries) or 1)


# ---------------------------------------------------------------- the corpus grown to N

def grow(articles, total, seed=6):
    """The originals, then copies with light variation until `total` articles; each item is
    (new id, original id, article)."""
    grown = [(article["id"], article["id"], article) for article in articles]
    rng = random.Random(seed)
    copy = 0
    while len(grown) < total:
        copy += 1
        for article in articles:
            if len(grown) >= total:
                break
            tags, kinds = list(article["tags"]), list(article["equipment_kinds"])
            rng.shuffle(tags)
            rng.shuffle(kinds)
            paragraphs = article["body"].split("\n\n")
            if len(paragraphs) > 2:
                at = rng.randrange(1, len(paragraphs) - 1)
                paragraphs[at], paragraphs[at + 1] = paragraphs[at + 1], paragraphs[at]
            varied = dict(article, id=f"{article['id']}-c{copy}",
                          title=f"{article['title']} — вариант {copy + 1}", tags=tags,
                          equipment_kinds=kinds, body="\n\n".join(paragraphs))
            grown.append((varied["id"], article["id"], varied))
    return grown


# ---------------------------------------------------------------- engines

class OurSearch:
    """The knowledge service's store and search request, over a fresh embedded database."""
    name = "our search"

    def __init__(self, folder):
        self.db = open_embedded_database(Path(folder) / "kb.sqlite3", "kb")
        Store.create_indexes(self.db)
        self.kb = Store(self.db)
        self.ids = {}

    def add(self, items):
        for new_id, _, article in items:
            created = self.kb.articles.create(ACCOUNT, AUTHOR, {
                "title": article["title"], "body": article["body"], "section_id": None,
                "tags": article["tags"], "equipment_kinds": article["equipment_kinds"],
                "state": "published", "visibility": "all_clients", "client_categories": [],
                "service_levels": []})
            self.ids[created["_id"]] = new_id

    def load(self):
        """Seconds a fresh process takes to load the account's index into memory (the service's
        warm-up timer does it at start); searches then use that process's copy."""
        self.kb = Store(self.db)
        started = time.perf_counter()
        self.kb.articles.index.warm()
        return time.perf_counter() - started

    def query(self, text):
        return [self.ids[hit["id"]]
                for hit in search(self.kb, CONTACT, {"q": text, "limit": LIMIT})]

    def close(self):
        self.db.journal.close()


def substring_words(text):
    words = [match.group().lower().replace("ё", "е") for match in WORD.finditer(text)]
    return list(dict.fromkeys(word for word in words if len(word) >= 3))


class SubstringBaseline:
    name = "substring"

    def __init__(self):
        self.rows = []

    def add(self, items):
        for new_id, _, article in items:
            title = article["title"].lower().replace("ё", "е")
            labels = " ".join(article["tags"] + article["equipment_kinds"])
            whole = " ".join([title, labels, plain_text(article["body"])]).lower().replace("ё", "е")
            self.rows.append((new_id, title, whole))

    def query(self, text):
        words = substring_words(text)
        scored = []
        for article_id, title, whole in self.rows:
            anywhere = sum(word in whole for word in words)
            if anywhere:
                scored.append((-sum(word in title for word in words), -anywhere, article_id))
        scored.sort()
        return [article_id for _, _, article_id in scored[:LIMIT]]


PG_TABLE = "bench_kb_articles"
PG_QUERIES = {
    "AND": "plainto_tsquery('russian', %(q)s)",
    "OR": "coalesce(nullif(replace(plainto_tsquery('russian', %(q)s)::text, ' & ', ' | '), '')"
          "::tsquery, ''::tsquery)",
}


class PostgresSearch:
    """PostgreSQL full-text search, 'russian' configuration, in a temporary table."""

    def __init__(self, connection, form):
        self.connection, self.form = connection, form
        self.name = f"PostgreSQL ({form})"
        self.sql = (f"SELECT id FROM {PG_TABLE}, {PG_QUERIES[form]} AS q WHERE tsv @@ q "
                    f"ORDER BY ts_rank_cd(tsv, q) DESC, id LIMIT {LIMIT}")

    def query(self, text):
        with self.connection.cursor() as cursor:
            cursor.execute(self.sql, {"q": text}, prepare=True)
            return [row[0] for row in cursor.fetchall()]


def connect_postgres(args):
    """(connection, None) or (None, the reason PostgreSQL is skipped)."""
    if args.no_postgres:
        return None, "skipped by --no-postgres"
    try:
        import psycopg
    except ImportError:
        return None, "psycopg is not installed (pip install -e '.[bench]')"
    dsns = [args.pg_dsn] if args.pg_dsn else [
        f"host=127.0.0.1 port=5432 dbname=test user={user} connect_timeout=3"
        for user in ("root", "postgres")]
    errors = []
    for dsn in dsns:
        try:
            connection = psycopg.connect(dsn, autocommit=True)
            return connection, None
        except psycopg.Error as error:
            errors.append(f"{dsn}: {str(error).strip().splitlines()[0]}")
    return None, "no PostgreSQL server reachable (" + "; ".join(errors) + ")"


def postgres_load(connection, items):
    """(Re)create the temporary table, load `items`, build the GIN index; seconds taken."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {PG_TABLE}")
        cursor.execute(f"""
            CREATE TEMPORARY TABLE {PG_TABLE} (
                id text PRIMARY KEY, orig text NOT NULL,
                title text NOT NULL, tags text NOT NULL, body text NOT NULL,
                tsv tsvector GENERATED ALWAYS AS (
                    setweight(to_tsvector('russian', title), 'A') ||
                    setweight(to_tsvector('russian', tags), 'B') ||
                    setweight(to_tsvector('russian', body), 'C')) STORED)""")
        with cursor.copy(f"COPY {PG_TABLE} (id, orig, title, tags, body) FROM STDIN") as copy:
            for new_id, original_id, article in items:
                copy.write_row((new_id, original_id, article["title"],
                                " ".join(article["tags"] + article["equipment_kinds"]),
                                plain_text(article["body"])))
        cursor.execute(f"CREATE INDEX {PG_TABLE}_tsv ON {PG_TABLE} USING gin (tsv)")
        cursor.execute(f"ANALYZE {PG_TABLE}")
    return time.perf_counter() - started


def postgres_drop(connection):
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {PG_TABLE}")


# ---------------------------------------------------------------- running the queries

def run_rounds(engine, queries, rounds, budget):
    """Rankings of the first round and the latency (s) of every timed run. Rounds after the
    first start only while the engine has spent less than `budget` seconds on them."""
    latencies, first = [], []
    spent_after_first = 0.0
    for round_number in range(rounds):
        if round_number and spent_after_first >= budget:
            break
        for query in queries:
            if round_number and spent_after_first >= budget:
                break
            started = time.perf_counter()
            ranked = engine.query(query["query"])
            elapsed = time.perf_counter() - started
            latencies.append(elapsed)
            if round_number:
                spent_after_first += elapsed
            else:
                first.append(ranked)
    return first, latencies


def latency_row(name, latencies, planned, indexing):
    ordered = sorted(latencies)
    ms = [value * 1000 for value in ordered]
    runs = f"{len(ordered)}" + ("" if len(ordered) == planned else f" of {planned}")
    qps = len(ordered) / sum(ordered) if ordered else float("nan")
    return [name, indexing, runs, f"{percentile(ms, 0.50):.1f}", f"{percentile(ms, 0.95):.1f}",
            f"{percentile(ms, 0.99):.1f}", f"{ms[-1]:.1f}" if ms else "n/a", f"{qps:.1f}"]


# ---------------------------------------------------------------- memory

def current_rss_mib():
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2 ** 20


def analyzer_rss_mib():
    """RSS the morphological dictionary adds to a process (loaded once, shared by all accounts),
    measured in a fresh interpreter: this one loaded it when the synonym module was imported."""
    probe = ("import os, sys; sys.path.insert(0, sys.argv[1]); "
             "from services.knowledge import morphology; "
             "page = os.sysconf('SC_PAGE_SIZE') / 2 ** 20; "
             "rss = lambda: int(open('/proc/self/statm').read().split()[1]) * page; "
             "before = rss(); morphology.analyzer(); print(rss() - before)")
    found = subprocess.run([sys.executable, "-c", probe, str(ROOT)], capture_output=True,
                           text=True, timeout=120)
    return float(found.stdout.strip() or "nan")


def loaded_index_mib(engine):
    """MiB a fresh process's in-memory index of the engine's account takes once loaded: Python
    allocations traced (tracemalloc) across `load`, the documents read on the way freed."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        engine.load()
        gc.collect()
        return (tracemalloc.get_traced_memory()[0] - before) / 2 ** 20
    finally:
        tracemalloc.stop()


# ---------------------------------------------------------------- reporting quality

def quality_by_kind(queries, rankings):
    """{kind: (count, scores)} in KINDS order."""
    grouped = {}
    for query, ranked in zip(queries, rankings):
        grouped.setdefault(query_kind(query), ([], []))
        grouped[query_kind(query)][0].append(query)
        grouped[query_kind(query)][1].append(ranked)
    return {kind: (len(grouped[kind][0]), quality(*grouped[kind]))
            for kind in KINDS if kind in grouped}


def score_cells(scores):
    return [f"{scores['hit@1']:.3f}", f"{scores['mrr']:.3f}", f"{scores['hit@5']:.3f}"]


# ---------------------------------------------------------------- main

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=TARGET_ARTICLES,
                        help="articles for the latency and memory run (default 10000)")
    parser.add_argument("--rounds", type=int, default=2,
                        help="times every corpus query runs per engine at that size (default 2)")
    parser.add_argument("--budget", type=float, default=30.0,
                        help="seconds an engine may spend on rounds after its first (default 30)")
    parser.add_argument("--pg-dsn", help="libpq connection string (default: 127.0.0.1:5432 "
                                         "database test as root, then postgres)")
    parser.add_argument("--no-postgres", action="store_true", help="skip PostgreSQL")
    parser.add_argument("--show-misses", action="store_true",
                        help="list the queries of every set our search misses at hit@1")
    args = parser.parse_args()

    started_run = time.perf_counter()
    articles = read_lines("articles.jsonl")
    sets = [(name, read_lines(file)) for name, file in QUERY_SETS]
    queries = sets[0][1]
    facts = machine_facts()
    dictionary_mib = analyzer_rss_mib()
    print("## Knowledge search benchmark (`bench/knowledge_search.py`)\n")
    print(f"- date: {facts['date']}, commit {facts['commit']}")
    print(f"- machine: {facts['nproc']} CPUs ({facts['cpu']}), {facts['os']}, load average "
          f"{os.getloadavg()[0]:.1f} at the start (the machine is shared)")
    print(f"- {facts['python']}; corpus: {len(articles)} articles; query sets: "
          + ", ".join(f"{name} {len(found)}" for name, found in sets)
          + f"; hits per query: {LIMIT}")
    print(f"- command: `{' '.join([Path(sys.argv[0]).name] + sys.argv[1:])}`\n")

    connection, pg_reason = connect_postgres(args)
    if connection is not None:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            print(f"- PostgreSQL {cursor.fetchone()[0]}, configuration 'russian', ts_rank_cd, "
                  f"GIN index, client psycopg over TCP to {connection.info.host}\n")
    else:
        print(f"- PostgreSQL: {pg_reason}\n")

    folder = tempfile.mkdtemp(prefix="kb-bench-")
    try:
        # -------------------------------------------------- 1. quality on every query set
        originals = grow(articles, len(articles))
        os.makedirs(Path(folder) / "small")
        ours = OurSearch(Path(folder) / "small")
        started = time.perf_counter()
        ours.add(originals)
        small_indexing = time.perf_counter() - started
        substring = SubstringBaseline()
        substring.add(originals)
        engines = [ours, substring]
        if connection is not None:
            postgres_load(connection, originals)
            engines += [PostgresSearch(connection, form) for form in PG_QUERIES]
        rankings = {(engine.name, name): [engine.query(query["query"]) for query in found]
                    for engine in engines for name, found in sets}
        ours.close()
        print(f"### Quality ({len(articles)} articles)\n")
        headers = ["engine"] + [f"{name} {measure}" for name, _ in sets
                                for measure in ("hit@1", "MRR@10", "hit@5")]
        print(table(headers, [[engine.name] + [cell for name, found in sets for cell in
                                               score_cells(quality(found,
                                                                   rankings[engine.name, name]))]
                              for engine in engines]))
        print(f"\nhit@1 counts the query's best article only (the first of `relevant`); hit@5 and "
              f"MRR@10 any relevant one. Query sets: corpus (queries.jsonl, what the search was "
              f"tuned on), held-out (queries_holdout.jsonl, issue 6's, written by someone who saw "
              f"neither the corpus queries nor the lexicon), fresh (queries_fresh.jsonl, issue "
              f"25's, another author's voice, written before the misses were looked at). Our "
              f"search indexed the {len(articles)} articles in {small_indexing:.1f} s through "
              f"`ArticleStore.create`.")
        if connection is None:
            print(f"PostgreSQL not measured: {pg_reason}.")
        compared = [ours.name] + [name for name in ("PostgreSQL (OR)",)
                                  if any(engine.name == name for engine in engines)]
        by_kind = {}
        for name, found in sets:
            print(f"\nBy kind, {name} set (count; hit@1 / MRR@10 / hit@5):\n")
            rows = {}
            for engine_name in compared:
                kinds = quality_by_kind(found, rankings[engine_name, name])
                by_kind[engine_name, name] = kinds
                for kind, (count, scores) in kinds.items():
                    rows.setdefault(kind, [kind, count]).append(" / ".join(score_cells(scores)))
            print(table(["kind", "queries"] + compared, list(rows.values())))
        if args.show_misses:
            for name, found in sets:
                print(f"\nMissed at hit@1 by our search, {name} set:\n")
                for query, ranked in zip(found, rankings[ours.name, name]):
                    if not ranked or ranked[0] != query["relevant"][0]:
                        print(f"- [{query_kind(query)}] «{query['query']}» → "
                              f"{', '.join(query['relevant'])}; got {', '.join(ranked[:3]) or '—'}")
        print()

        # -------------------------------------------------- 2. latency and memory at N articles
        total = max(args.articles, len(articles))
        grown = grow(articles, total)
        planned = len(queries) * args.rounds
        os.makedirs(Path(folder) / "big")
        big = OurSearch(Path(folder) / "big")
        started = time.perf_counter()
        big.add(grown)
        big_indexing = time.perf_counter() - started
        big_loading = big.load()
        index_mib = loaded_index_mib(big)
        rss_after_indexing = peak_rss_mib()
        rows, scale_scores, notes = [], {}, []
        first, latencies = run_rounds(big, queries, args.rounds, args.budget)
        scale_scores[big.name] = dict(quality(queries, first), copy=copy_hit5(queries, first))
        rows.append(latency_row(big.name, latencies, planned,
                                f"{big_indexing:.1f} s ({total / big_indexing:.0f}/s)"))
        big_latencies = latencies
        big.close()

        base = SubstringBaseline()
        started = time.perf_counter()
        base.add(grown)
        base_indexing = time.perf_counter() - started
        first, latencies = run_rounds(base, queries, 1, args.budget)
        scale_scores[base.name] = dict(quality(queries, first), copy=copy_hit5(queries, first))
        rows.append(latency_row(base.name, latencies, len(queries),
                                f"{base_indexing:.1f} s ({total / base_indexing:.0f}/s)"))
        del base

        if connection is not None:
            pg_indexing = postgres_load(connection, grown)
            for form in PG_QUERIES:
                engine = PostgresSearch(connection, form)
                first, latencies = run_rounds(engine, queries, args.rounds, args.budget)
                scale_scores[engine.name] = dict(quality(queries, first),
                                                 copy=copy_hit5(queries, first))
                rows.append(latency_row(engine.name, latencies, planned,
                                        f"{pg_indexing:.1f} s ({total / pg_indexing:.0f}/s)"))
            postgres_drop(connection)

        print(f"### Latency and memory at {total:,} articles ({len(articles)} originals and "
              f"{total - len(articles):,} varied copies)\n")
        print(table(["engine", "indexing", "query runs", "p50 ms", "p95 ms", "p99 ms", "max ms",
                     "queries/s"], rows))
        print(f"\nEach of the {len(queries)} corpus queries run {args.rounds} time(s) per engine "
              f"(the substring baseline once), one at a time, in this process (PostgreSQL: a "
              f"round trip over TCP to a local server, prepared statements); \"N of M\" means the "
              f"engine hit the --budget of {args.budget:.0f} s for rounds after its first. Our "
              f"search: `searching.search` as a client contact (index query, BM25F, snippets), no "
              f"RPC. Indexing: ours through `ArticleStore.create` into the durable embedded store "
              f"(SQLite, synchronous=FULL); PostgreSQL: COPY into a temporary table plus the GIN "
              f"index build.\n")
        print(f"Memory: a fresh process loaded our index of {total:,} articles in "
              f"{big_loading:.1f} s; the loaded index takes **{index_mib:.0f} MiB** (Python "
              f"allocations traced across a second load). The morphological dictionary adds "
              f"{dictionary_mib:.0f} MiB of RSS once per process. Peak RSS of this whole "
              f"benchmark process after indexing and loading (the embedded database's documents "
              f"included): {rss_after_indexing:.0f} MiB.\n")
        print(f"Quality at {total:,} articles (first round; the copies compete with the originals "
              f"and only the original ids count as relevant, so a copy of the right article "
              f"ranked above it is a miss):\n")
        print(table(["engine", "hit@1", "hit@5", "MRR@10", "hit@5 if a copy counted"],
                    [[name, f"{scores['hit@1']:.3f}", f"{scores['hit@5']:.3f}",
                      f"{scores['mrr']:.3f}", f"{scores['copy']:.3f}"]
                     for name, scores in scale_scores.items()]))
        print()

        # -------------------------------------------------- 3. goals
        ours_p95 = percentile(sorted(big_latencies), 0.95) * 1000
        checks = []
        for name, found in sets:
            scores = quality(found, rankings[ours.name, name])
            checks.append((f"hit@1, {name} set", f">= {GOAL_HIT1}", f"{scores['hit@1']:.3f}",
                           scores["hit@1"] >= GOAL_HIT1))
            checks.append((f"MRR@10, {name} set", f">= {GOAL_MRR}", f"{scores['mrr']:.3f}",
                           scores["mrr"] >= GOAL_MRR))
            for kind in GOAL_KINDS:
                if kind in by_kind[ours.name, name]:
                    count, kind_scores = by_kind[ours.name, name][kind]
                    checks.append((f"hit@1 of {kind} queries, {name} set ({count})",
                                   f">= {GOAL_KIND_HIT1}", f"{kind_scores['hit@1']:.3f}",
                                   kind_scores["hit@1"] >= GOAL_KIND_HIT1))
        if total >= TARGET_ARTICLES:
            checks.append((f"p95 latency at {total:,} articles", f"< {TARGET_P95_MS:.0f} ms",
                           f"{ours_p95:.1f} ms", ours_p95 < TARGET_P95_MS))
            checks.append((f"index memory at {total:,} articles", f"< {GOAL_INDEX_MIB} MiB",
                           f"{index_mib:.0f} MiB", index_mib < GOAL_INDEX_MIB))
        else:
            notes.append(f"Latency and memory goals not checked: {total:,} articles is below "
                         f"{TARGET_ARTICLES:,}.")
        print("### Goals (issue 25)\n")
        print(table(["goal", "wanted", "measured", "result"],
                    [[name, wanted, got, "PASS" if ok else "FAIL"]
                     for name, wanted, got, ok in checks], right_from=4))
        for note in notes:
            print(f"\n{note}")
        passed = sum(ok for *_, ok in checks)
        print(f"\n**Summary:** {passed}/{len(checks)} goals met — p95 {ours_p95:.1f} ms and index "
              f"{index_mib:.0f} MiB at {total:,} articles, indexing "
              f"{total / big_indexing:.0f} articles/s; run took "
              f"{time.perf_counter() - started_run:.0f} s.")
    finally:
        if connection is not None:
            try:
                postgres_drop(connection)
            finally:
                connection.close()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
