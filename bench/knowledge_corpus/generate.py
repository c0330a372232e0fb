"""Build the knowledge-base benchmark corpus from the hand-written fragments in fragments/.

Every topic in fragments/NN_*.txt carries its own facts (symptoms, causes, steps, a note, models).
This script turns each into a Markdown article with one of several layouts per article type (fault,
howto, info): headings or bold labels, bullet or numbered lists, causes as prose, "step N"
paragraphs, the answer before or after the causes. It adds framing picked from fragments/framing.txt
(an opening line, the models it applies to, what to put in a request, section tips, links to related
articles, a closing line) until the body reaches about 150 words, and writes:

    articles.jsonl  {"id", "section", "title", "tags", "equipment_kinds", "body"}
    queries.jsonl   {"query", "relevant", "note"}  (fragments/queries.txt names topics by key)

Deterministic: each article's choices come from a Random seeded with SEED and the topic key, the id
order from a Random seeded with SEED. Afterwards it runs the checks of check.py (shared word 3-grams
between bodies, queries copying their best title) and reports them; exit 1 if a limit is broken.

    /work/main/.venv/bin/python bench/knowledge_corpus/generate.py
"""
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FRAGMENTS = HERE / "fragments"
sys.path.insert(0, str(HERE))
import check  # noqa: E402  (same folder)

SEED = 5417
TARGET_WORDS, MAX_WORDS = 150, 400


# --- parsing ------------------------------------------------------------------------------------

def parse_topics(folder):
    """fragments/NN_*.txt: '# Section', '== key | Title', 'type:/tags:/kinds:/models:', 'S:/C:/F:/N:'."""
    topics, section = [], None
    for path in sorted(folder.glob("[0-9][0-9]_*.txt")):
        for raw in path.read_text(encoding="utf-8").splitlines():
            line = raw.strip()
            if not line or line.startswith(";"):
                continue
            if line.startswith("# "):
                section = line[2:].strip()
            elif line.startswith("== "):
                key, title = (part.strip() for part in line[3:].split("|", 1))
                topics.append({"key": key, "title": title, "section": section, "type": "fault", "tags": [],
                               "kinds": [], "models": "", "S": [], "C": [], "F": [], "N": []})
            elif line[:2] in ("S:", "C:", "F:", "N:"):
                topics[-1][line[0]].append(line[2:].strip())
            elif line.split(":", 1)[0] in ("type", "tags", "kinds", "models"):
                name, value = (part.strip() for part in line.split(":", 1))
                if name in ("tags", "kinds"):
                    value = [v.strip() for v in value.split(",") if v.strip()]
                topics[-1][name] = value
            else:
                raise SystemExit(f"{path.name}: cannot parse {raw!r}")
    return topics


def parse_framing(path):
    """fragments/framing.txt: '## name' followed by one variant a line; '(пусто)' is an empty one."""
    pools, name = {}, None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(";"):
            continue
        if line.startswith("## "):
            name = line[3:].strip()
            pools[name] = []
        else:
            pools[name].append("" if line == "(пусто)" else line)
    return pools


def parse_queries(path):
    """fragments/queries.txt: 'key [key ...] | query | note', the first key being the best answer."""
    queries = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith(";"):
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) != 3:
            raise SystemExit(f"queries.txt:{number}: expected 'keys | query | note'")
        queries.append({"keys": parts[0].split(), "query": parts[1], "note": parts[2]})
    return queries


# --- rendering ----------------------------------------------------------------------------------

class Writer:
    """Renders one topic; every choice comes from its own seeded Random."""

    def __init__(self, topic, topics, pools):
        self.t, self.topics, self.pools = topic, topics, pools
        self.rng = random.Random(f"{SEED}:{topic['key']}")

    def pick(self, name):
        return self.rng.choice(self.pools[name])

    def heading(self, kind, level):
        return f"{'#' * level} {self.pick('header.' + kind)}"

    def bullets(self, items, numbered=None):
        numbered = self.rng.random() < 0.5 if numbered is None else numbered
        return "\n".join(f"{i}. {item}" if numbered else f"- {item}" for i, item in enumerate(items, 1))

    def steps(self, items):
        return [f"**Шаг {i}.** {item}" for i, item in enumerate(items, 1)]

    def prose_causes(self, causes):
        if len(causes) == 1:
            lead = self.rng.choice(["Причина почти всегда одна:", "Как правило, дело в следующем:"])
            return f"{lead} {lower_first(causes[0])}"
        lead = self.rng.choice(["Как правило, дело в одном из следующего:", "Чаще всего причина одна из этих:",
                                "По нашему опыту, виновато одно из перечисленного:"])
        return lead + " " + "; ".join(lower_first(c.rstrip(".")) for c in causes) + "."

    def note(self):
        if not self.t["N"]:
            return []
        text, label, style = " ".join(self.t["N"]), self.pick("note_label"), self.rng.randrange(3)
        return [[f"> **{label}.** {text}", f"**{label}:** {text}", text][style]]

    def fault(self):
        symptoms, causes, steps = " ".join(self.t["S"]), self.t["C"], self.t["F"]
        layout = self.rng.randrange(4)
        if layout == 0:  # headed sections: symptoms, causes (bullets), steps (numbered)
            parts = [self.heading("symptoms", 2), symptoms]
            if causes:
                parts += [self.heading("causes", 2), self.bullets(causes, numbered=False)]
            parts += [self.heading("steps", 2), self.bullets(steps, numbered=True)]
        elif layout == 1:  # bold labels, causes as one sentence, "step N" paragraphs
            label = self.rng.choice(["Симптом", "Проблема", "Ситуация"])
            parts = [f"**{label}.** {symptoms}"]
            if causes:
                label = self.rng.choice(["Причины", "Почему так происходит", "В чём дело"])
                parts.append(f"**{label}.** {self.prose_causes(causes)}")
            parts += [self.heading("steps", 3)] + self.steps(steps)
        elif layout == 2:  # level-3 headings, numbered causes, bulleted steps
            parts = [self.heading("symptoms", 3), symptoms]
            if causes:
                parts += [self.heading("causes", 3), self.bullets(causes, numbered=True)]
            parts += [self.heading("steps", 3), self.bullets(steps, numbered=False)]
        else:  # the answer first, the causes at the end
            lead = self.rng.choice(["Проверьте по порядку:", "Действуйте в таком порядке:",
                                    "Что можно сделать самостоятельно:"])
            parts = [symptoms, self.heading("steps", 2), lead, self.bullets(steps, numbered=True)]
            if causes:
                parts += [self.heading("causes", 2), self.bullets(causes, numbered=False)]
        return parts

    def howto(self):
        intro, needs, steps = " ".join(self.t["S"]), self.t["C"], self.t["F"]
        layout = self.rng.randrange(3)
        if layout == 0:
            parts = [intro]
            if needs:
                parts += [self.heading("needs", 2), self.bullets(needs, numbered=False)]
            parts += [self.heading("howto_steps", 2), self.bullets(steps, numbered=True)]
        elif layout == 1:
            parts = [self.heading("why", 3), intro]
            if needs:
                parts += [f"**{self.pick('header.needs')}:**", self.bullets(needs, numbered=False)]
            parts += [self.heading("howto_steps", 3)] + self.steps(steps)
        else:
            parts = [intro]
            if needs:
                parts += [self.rng.choice(["Перед началом убедитесь, что у вас есть:", "Вам понадобится:"]),
                          self.bullets(needs, numbered=False)]
            parts += [self.heading("howto_steps", 2), self.bullets(steps, numbered=True)]
        return parts

    def info(self):
        paragraphs, points = list(self.t["S"]), self.t["F"] + self.t["C"]
        layout = self.rng.randrange(3)
        if layout == 0:
            return paragraphs + [self.heading("main", 2), self.bullets(points)]
        if layout == 1:
            return ["### Коротко"] + paragraphs + [self.heading("main", 3), self.bullets(points, numbered=True)]
        lead = self.rng.choice(["Основные моменты:", "Что важно учесть:", "По пунктам:"])
        return paragraphs + [lead, self.bullets(points, numbered=False)]

    def related(self):
        t = self.t
        same = [o for o in self.topics if o["section"] == t["section"] and o["key"] != t["key"]
                and set(o["tags"]) & set(t["tags"])]
        if not same:
            return []
        picks = self.rng.sample(same, min(len(same), self.rng.choice([1, 2])))
        return [self.pick("see_also").format(links=", ".join(f"«{o['title']}»" for o in picks))]

    def body(self):
        t, rng = self.t, self.rng
        core = getattr(self, t["type"])() + self.note()
        opening = self.pick("opening." + t["type"])
        models = self.pick("models").format(models=t["models"]) if t["models"] else ""
        models_on_top = rng.random() < 0.5
        tips = rng.sample(self.pools["tip." + t["section"]], 2)
        request = []
        if t["type"] == "fault":
            request = [self.heading("request", 3),
                       self.bullets(rng.sample(self.pools["request." + t["section"]], 3), numbered=False)]
        ask = [self.pick("ask." + t["type"])] if t["type"] != "fault" else []
        # optional framing, in the order it is added while the article is still short
        extras = [("request", request), ("tip", [tips[0]]), ("links", self.related()), ("ask", ask),
                  ("tip2", [tips[1]])]
        closing = self.pick("closing." + t["type"])

        def assemble(chosen):
            parts = [opening, models if models_on_top else ""] + core
            for name, block in extras:
                if name in chosen:
                    parts += block
            parts += ["" if models_on_top else models, closing]
            return "\n\n".join(p for p in parts if p)

        chosen = {name for name, _ in extras if rng.random() < 0.3}
        text = assemble(chosen)
        for name, block in extras:
            if len(check.words(text)) >= TARGET_WORDS:
                break
            if block:
                chosen.add(name)
                text = assemble(chosen)
        for name, _ in reversed(extras):  # too long: drop framing, last added first
            if len(check.words(text)) <= MAX_WORDS:
                break
            chosen.discard(name)
            text = assemble(chosen)
        return text


def lower_first(text):
    """Lower-case the first letter unless the first word is an abbreviation (ФН, PoE, Wi-Fi)."""
    word = text.split(" ", 1)[0]
    if word[:1].isupper() and (len(word) == 1 or word[1].islower()):
        return text[0].lower() + text[1:]
    return text


# --- main ---------------------------------------------------------------------------------------

def main():
    topics = parse_topics(FRAGMENTS)
    pools = parse_framing(FRAGMENTS / "framing.txt")
    keys = [t["key"] for t in topics]
    if len(set(keys)) != len(keys):
        raise SystemExit("duplicate topic keys in fragments")
    order = list(range(len(topics)))
    random.Random(SEED).shuffle(order)  # ids in "creation order", not grouped by section
    ids = {topics[i]["key"]: f"kb-{n:04d}" for n, i in enumerate(order, 1)}

    articles = [{"id": ids[t["key"]], "section": t["section"], "title": t["title"], "tags": t["tags"],
                 "equipment_kinds": t["kinds"], "body": Writer(t, topics, pools).body()}
                for t in (topics[i] for i in order)]
    queries = []
    for q in parse_queries(FRAGMENTS / "queries.txt"):
        unknown = [k for k in q["keys"] if k not in ids]
        if unknown:
            raise SystemExit(f"query {q['query']!r}: unknown topic keys {unknown}")
        queries.append({"query": q["query"], "relevant": [ids[k] for k in q["keys"]], "note": q["note"]})

    for name, rows in (("articles.jsonl", articles), ("queries.jsonl", queries)):
        with open(HERE / name, "w", encoding="utf-8") as out:
            out.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)

    lengths = sorted(len(check.words(a["body"])) for a in articles)
    print(f"wrote {len(articles)} articles (body words {lengths[0]}-{lengths[-1]}, "
          f"median {lengths[len(lengths) // 2]}) and {len(queries)} queries")
    share, a, b = check.max_trigram_overlap({x["id"]: x["body"] for x in articles})
    print(f"most similar bodies: {a} / {b} share {share:.1%} of their word 3-grams "
          f"(limit {check.MAX_SHARED_TRIGRAMS:.0%})")
    by_id = {x["id"]: x for x in articles}
    copies = sum(check.title_copy(q["query"], by_id[q["relevant"][0]]["title"]) for q in queries)
    print(f"queries sharing 3+ consecutive words with their best title: {copies} of {len(queries)} "
          f"(limit {check.MAX_TITLE_COPY_SHARE:.0%})")
    failed = (lengths[0] < check.BODY_WORDS[0] or lengths[-1] > check.BODY_WORDS[1]
              or share > check.MAX_SHARED_TRIGRAMS or copies > check.MAX_TITLE_COPY_SHARE * len(queries))
    print("FAIL" if failed else "OK")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
