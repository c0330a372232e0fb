"""Markdown bodies to the HTML that is safe to show, and to the plain text that is indexed."""
import html

import nh3
from markdown_it import MarkdownIt

# CommonMark plus tables and strikethrough; raw HTML in the source is escaped, not passed through.
_markdown = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])

ALLOWED_TAGS = {"a", "blockquote", "br", "code", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
                "img", "li", "ol", "p", "pre", "s", "strong", "table", "tbody", "td", "th",
                "thead", "tr", "ul"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"},
                      "td": {"style"}, "th": {"style"}}


def render_html(markdown):
    """Sanitized HTML of a Markdown body: no scripts, no event handlers, no javascript: links."""
    raw = _markdown.render(markdown or "")
    return nh3.clean(raw, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto", "tel"}, link_rel="noopener noreferrer")


def plain_text(markdown):
    """The words a reader sees, without Markdown syntax: what is indexed and what snippets quote."""
    raw = _markdown.render(markdown or "")
    text = nh3.clean(raw.replace("</", " </").replace("<br", " <br"), tags=set())
    return " ".join(html.unescape(text).split())
