"""Snippets: the passage with the most query terms, matched words marked, text escaped."""
from services.knowledge.analysis import terms
from services.knowledge.rendering import plain_text, render_html
from services.knowledge.snippets import best_window, mark_all, snippet


def test_matched_word_forms_are_marked():
    text = "Если турникет не пропускает по карте, проверьте считыватель турникета."
    marked = snippet(text, terms("турникеты карта"))
    assert marked.count("<mark>") == 3
    assert "<mark>турникет</mark>" in marked and "<mark>турникета</mark>" in marked
    assert "<mark>карте</mark>" in marked


def test_the_window_with_the_most_terms_is_chosen():
    filler = " ".join(["слово"] * 100)
    text = f"{filler} принтер печатает полосы {filler}"
    marked = snippet(text, terms("принтер полосы"), size=10)
    assert "<mark>принтер</mark>" in marked and "<mark>полосы</mark>" in marked
    assert marked.startswith("… ") and marked.endswith(" …")


def test_text_is_escaped():
    marked = snippet("Внимание: <script>alert(1)</script> камера", terms("камера"))
    assert "<script>" not in marked and "&lt;script&gt;" in marked
    assert "<mark>камера</mark>" in marked


def test_no_text_no_snippet():
    assert snippet("", terms("камера")) == ""


def test_markdown_renders_to_sanitized_html():
    html = render_html("# Заголовок\n\n**важно** [ссылка](javascript:alert(1)) "
                       "<script>x</script>\n\n<img src=x onerror=alert(1)>")
    assert "<h1>Заголовок</h1>" in html and "<strong>важно</strong>" in html
    assert 'href="javascript' not in html and "<script>" not in html and "<img" not in html
    assert 'href="https://example.com" rel="noopener noreferrer"' in render_html(
        "[сайт](https://example.com)")


def test_plain_text_drops_markdown_syntax():
    assert plain_text("## Шаги\n\n1. Откройте *меню*\n2. Нажмите `OK`") == \
        "Шаги Откройте меню Нажмите OK"


def test_a_title_is_marked_whole():
    title = " ".join(["Принтер"] + ["слово"] * 40 + ["полосы"])
    marked = mark_all(title, terms("полосы принтера"))
    assert marked.startswith("<mark>Принтер</mark> слово")
    assert marked.endswith("<mark>полосы</mark>")


def test_the_earliest_best_window_wins_and_short_texts_start_at_zero():
    found = ["a", "x", "b", "x", "a", "b"]
    assert best_window(found, {"a", "b"}, size=3) == 0
    assert best_window(found, {"b"}, size=3) == 0
    assert best_window(found, {"z"}, size=3) == 0
    assert best_window(found[:2], {"x"}, size=30) == 0
    long = ["x"] * 50 + ["a", "b"]
    assert best_window(long, {"a", "b"}, size=3) == 49
