"""Which analysis the knowledge search keeps (issue 25, point 1): quality of four variants of
the analysis chain on the three query sets of bench/knowledge_corpus, the 329 articles only.

- `stems`: Snowball stems alone (the search before issue 25, with today's ranking);
- `stems+families` (what the service runs): stems as index terms, and pymorphy3's derivational
  families joining the terms of one family at query time (docs/knowledge.md);
- `lemmas+families`: the Snowball stem of each known word's normal form as its index term,
  families as above;
- `families`: the family itself as the index term of every word the dictionary knows.

Each variant runs in a process of its own (the analysis caches its terms), through the same
store and `searching.search` as bench/knowledge_search.py, and prints hit@1, MRR@10 and hit@5
per set. About half a minute a variant on 2 cores.

    .venv/bin/python bench/knowledge_analysis_variants.py
"""
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import knowledge_search as bench  # noqa: E402
from services.knowledge import analysis, memory_index, morphology  # noqa: E402

VARIANTS = ("stems", "stems+families", "lemmas+families", "families")


class TermsFromDictionary:
    """Stands in for the Russian Snowball stemmer: a known word's term from its normal form or
    its family, an unknown word's from Snowball as before."""

    def __init__(self, snowball, use_family):
        self.snowball, self.use_family = snowball, use_family

    def stemWord(self, word):  # noqa: N802 (snowballstemmer's name)
        found = morphology.parse(word)
        if not found:
            return self.snowball.stemWord(word)
        return found[1] if self.use_family else self.snowball.stemWord(found[0])


def apply(variant):
    if variant == "stems":
        memory_index.MemoryIndex.known = lambda self, term, word: (
            {term: 1.0} if self.frequency(term) else {})
    elif variant in ("lemmas+families", "families"):
        analysis._russian = TermsFromDictionary(analysis._russian, variant == "families")


def measure(variant):
    apply(variant)
    articles = bench.read_lines("articles.jsonl")
    engine = bench.OurSearch(tempfile.mkdtemp(prefix="kb-variant-"))
    engine.add(bench.grow(articles, len(articles)))
    cells = []
    for _, file in bench.QUERY_SETS:
        queries = bench.read_lines(file)
        scores = bench.quality(queries, [engine.query(query["query"]) for query in queries])
        cells += bench.score_cells(scores)
    engine.close()
    print("| " + " | ".join([variant] + cells) + " |", flush=True)


def main():
    if len(sys.argv) == 2:
        measure(sys.argv[1])
        return
    print(bench.table(["analysis"] + [f"{name} {measure}" for name, _ in bench.QUERY_SETS
                                      for measure in ("hit@1", "MRR@10", "hit@5")], []))
    for variant in VARIANTS:
        subprocess.run([sys.executable, __file__, variant], check=True,
                       stderr=subprocess.DEVNULL)


if __name__ == "__main__":
    main()
