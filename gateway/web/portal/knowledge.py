"""The knowledge base for clients: /p/<slug>/kb (search with the knowledge service's Russian
search, sections, the newest articles), /p/<slug>/kb/sections/<id>, /p/<slug>/kb/articles/<id>
(the article, "was this helpful", related articles of its section). A signed-in contact's calls
run as the contact, so the service shows only published articles their audience admits; without
sign-in the search and the articles are the account's `public` ones (knowledge.public_*), and
sections and "was this helpful" need a sign-in (docs/portal.md)."""
from flask import g, redirect, render_template, request, url_for

from gateway.calls import call, call_anonymous
from gateway.web.portal import access
from gateway.web.portal.views import blp
from services.shared.errors import Conflict, NotFound, ValidationFailed

LATEST, RELATED, HITS = 10, 5, 20


def knowledge(slug, method, *args):
    """`method` as the signed-in contact, or its public_ twin for a visitor of the portal."""
    if access.own_contact(slug):
        return call("knowledge", method, *args)
    public = {"search": "public_search", "list_articles": "public_articles",
              "get_article": "public_article"}[method]
    return call_anonymous("knowledge", public, g.portal["account_id"], *args)


@blp.get("/kb")
@access.open_page
def kb(slug):
    q = request.args.get("q", "").strip()
    hits = knowledge(slug, "search", {"q": q, "limit": HITS})["items"] if q else None
    sections = call("knowledge", "list_sections", {})["items"] if access.own_contact(slug) else []
    latest = None if q else knowledge(slug, "list_articles", {"limit": LATEST})["items"]
    return render_template("portal/kb.html", q=q, hits=hits, sections=sections, latest=latest)


@blp.get("/kb/sections/<section_id>")
def kb_section(slug, section_id):
    section = call("knowledge", "get_section", section_id)
    articles = call("knowledge", "list_articles", {"section_id": section["id"], "limit": 100})
    return render_template("portal/kb_section.html", section=section, articles=articles["items"])


@blp.get("/kb/articles/<article_id>")
@access.open_page
def kb_article(slug, article_id):
    article = knowledge(slug, "get_article", article_id)
    suggestion_id = request.args.get("suggestion") if access.own_contact(slug) else None
    if suggestion_id:
        # Opened from the suggestions of a request being written: the deflection report counts it.
        try:
            call("knowledge", "record_suggestion_opened", suggestion_id, {"article_id": article["id"]})
        except (NotFound, ValidationFailed, Conflict):
            suggestion_id = None  # not this contact's suggestion, or the article was not in it
    related = []
    if article.get("section_id"):
        related = [item for item in knowledge(slug, "list_articles", {
            "section_id": article["section_id"], "limit": RELATED + 1})["items"]
            if item["id"] != article["id"]][:RELATED]
    return render_template("portal/kb_article.html", article=article, related=related,
                           suggestion_id=suggestion_id, voted=request.args.get("voted"))


@blp.post("/kb/articles/<article_id>/helpful")
def kb_helpful(slug, article_id):
    helpful = request.form.get("helpful") == "yes"
    call("knowledge", "record_article_feedback", article_id, {"helpful": helpful})
    return redirect(url_for("web.portal.kb_article", slug=slug, article_id=article_id,
                            voted="yes" if helpful else "no") + "#helpful", 303)
