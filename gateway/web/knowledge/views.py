"""The knowledge base editor: /kb (sections and articles), an article's editor with the service's
own rendering of the saved Markdown as its preview, publish/unpublish, earlier versions. Through
the same RPCs as /api/v1/kb; the service decides who may write and validates every field."""
from flask import Blueprint, redirect, render_template, request, url_for

from gateway.calls import call, first_page
from gateway.web.forms import field_errors, posted
from services.knowledge.schemas import STATES, VISIBILITIES, ArticleWriteSchema
from services.shared.errors import NotFound, ValidationFailed

blp = Blueprint("knowledge", __name__, template_folder="templates")
NAVIGATION = [("web.knowledge.index", "Knowledge base", ("admin", "dispatcher", "agent"))]
PAGE = 100
STAFF_PAGE = 100  # the names of the versions' authors
ARTICLE_FIELDS = tuple(ArticleWriteSchema().fields)
# Fields the form shows as one comma-separated text each; the RPC takes lists.
LIST_FIELDS = ("tags", "equipment_kinds", "client_categories")


def knowledge(method, *args):
    return call("knowledge", method, *args)


def is_htmx():
    return bool(request.headers.get("HX-Request"))


def article_form():
    """The posted article as the RPC takes it: lists from comma-separated texts and the chosen
    service levels; the section left out is none."""
    data = posted("title", "body", "state", "visibility")
    data["section_id"] = request.form.get("section_id") or None
    for name in LIST_FIELDS:
        words = request.form.get(name, "").split(",")
        data[name] = [word.strip() for word in words if word.strip()]
    data["service_levels"] = request.form.getlist("service_levels")
    return data


def choices():
    """What the article form picks from: the account's sections and service levels."""
    return {"sections": knowledge("list_sections", {"limit": PAGE})["items"],
            "levels": first_page("tickets", "list_service_levels"),
            "visibilities": VISIBILITIES}


@blp.get("/kb")
def index():
    query = {name: request.args[name] for name in ("section_id", "state", "cursor")
             if request.args.get(name)}
    articles = knowledge("list_articles", dict(query, limit=PAGE))
    sections = knowledge("list_sections", {"limit": PAGE})["items"]
    return render_template("knowledge/index.html", articles=articles, sections=sections,
                           query=query, states=STATES, errors={}, section={})


@blp.post("/kb/sections")
def create_section():
    data = dict(posted("name"), parent_id=request.form.get("parent_id") or None)
    try:
        knowledge("create_section", data)
    except ValidationFailed as error:
        sections = knowledge("list_sections", {"limit": PAGE})["items"]
        articles = knowledge("list_articles", {"limit": PAGE})
        return render_template("knowledge/index.html", articles=articles, sections=sections,
                               query={}, states=STATES, errors=field_errors(error),
                               section=data), 422
    return redirect(url_for("web.knowledge.index"), 303)


@blp.route("/kb/sections/<string:section_id>", methods=("GET", "POST"))
def section(section_id):
    current, errors = knowledge("get_section", section_id), {}
    if request.method == "POST":
        data = dict(posted("name"), parent_id=request.form.get("parent_id") or None)
        try:
            knowledge("replace_section", section_id, data)
            return redirect(url_for("web.knowledge.index", section_id=section_id), 303)
        except ValidationFailed as error:
            current, errors = dict(current, **data), field_errors(error)
    sections = knowledge("list_sections", {"limit": PAGE})["items"]
    return render_template("knowledge/section.html", section=current, sections=sections,
                           errors=errors), 422 if errors else 200


@blp.route("/kb/articles/new", methods=("GET", "POST"))
def new_article():
    article, errors = {"state": "draft", "visibility": "internal",
                       "section_id": request.args.get("section_id")}, {}
    if request.method == "POST":
        article = article_form()
        try:
            created = knowledge("create_article", article)
            return redirect(url_for("web.knowledge.article", article_id=created["id"]), 303)
        except ValidationFailed as error:
            errors = field_errors(error)
    return render_template("knowledge/new.html", article=article, errors=errors,
                           **choices()), 422 if errors else 200


@blp.route("/kb/articles/<string:article_id>", methods=("GET", "POST"))
def article(article_id):
    """The editor beside the preview: saving writes a new version and shows the service's HTML
    of it (htmx swaps only the editor and preview)."""
    current, errors, draft = knowledge("get_article", article_id), {}, None
    if request.method == "POST":
        draft = article_form()
        try:
            current, draft = knowledge("replace_article", article_id, draft), None
        except ValidationFailed as error:
            errors = field_errors(error)
    template = "knowledge/editor.html" if is_htmx() else "knowledge/article.html"
    return render_template(template, article=current, draft=draft or current, errors=errors,
                           **choices()), 422 if errors else 200


@blp.post("/kb/articles/<string:article_id>/state")
def change_state(article_id):
    """Publish, unpublish (back to draft) or archive: the saved article, another state; a new
    version like every write."""
    state = request.form.get("state")
    current = knowledge("get_article", article_id)
    data = {name: current[name] for name in ARTICLE_FIELDS}
    try:
        knowledge("replace_article", article_id, dict(data, state=state))
    except ValidationFailed as error:
        return render_template("knowledge/article.html", article=current, draft=current,
                               errors=field_errors(error), **choices()), 422
    return redirect(url_for("web.knowledge.article", article_id=article_id), 303)


def versions_page(article_id, number=None):
    """Every version with its author's name; with `number`, that version as it was written (its
    Markdown: the service renders the current version only)."""
    article = knowledge("get_article", article_id)
    history = knowledge("list_article_versions", article_id)["items"]
    shown = next((entry for entry in history if entry["version"] == number), None)
    if number is not None and shown is None:
        raise NotFound(f"No version {number} of article {article_id}.")
    staff = call("tickets", "list_employees", {"limit": STAFF_PAGE})["items"]
    return render_template("knowledge/versions.html", article=article, versions=history,
                           shown=shown, names={person["id"]: person["name"] for person in staff})


@blp.get("/kb/articles/<string:article_id>/versions")
def versions(article_id):
    return versions_page(article_id)


@blp.get("/kb/articles/<string:article_id>/versions/<int:number>")
def version(article_id, number):
    return versions_page(article_id, number)
