"""The knowledge base's synonym dictionary (/kb/synonyms): the account's own entries over the
built-in lexicon, looked up, added, changed and removed through the RPCs behind
/api/v1/kb/synonyms. The knowledge service decides who may read (office staff) and write
(admins) and validates every word (docs/knowledge.md, "Synonyms")."""
from flask import Blueprint, redirect, render_template, request, session, url_for

from gateway.calls import call
from gateway.web.forms import field_errors
from services.shared.errors import Forbidden, NotFound, ValidationFailed

blp = Blueprint("kb_synonyms", __name__, template_folder="templates")
PAGE = 100


def meanings(text):
    """The form's one meaning per line as the RPC's list (blank lines dropped)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def dictionary_page(form=None, errors=None, status=200, message=None):
    cursor = request.args.get("cursor")
    entries = call("knowledge", "list_synonyms", {"limit": PAGE, **({"cursor": cursor} if cursor else {})})
    word = request.args.get("word", "").strip()
    looked_up, lookup_errors = None, {}
    if word:
        try:
            looked_up = call("knowledge", "get_synonym", word)
        except ValidationFailed as error:
            lookup_errors = field_errors(error)
        except NotFound:  # neither the account nor the built-in lexicon has the word
            looked_up = {"word": word, "means": [], "source": None}
    return render_template("kb_synonyms/dictionary.html", entries=entries, word=word,
                           looked_up=looked_up, lookup_errors=lookup_errors, form=form or {},
                           errors=errors or {}, message=message,
                           may_edit="admin" in session.get("roles", ())), status


@blp.get("/kb/synonyms")
def dictionary():
    return dictionary_page()


@blp.post("/kb/synonyms")
def save():
    """PUT /api/v1/kb/synonyms/{word}: the entry of the word, replacing the account's earlier one;
    no meanings at all switch the built-in entry off for the account."""
    form = {"word": request.form.get("word", "").strip(), "means": request.form.get("means", "")}
    try:
        call("knowledge", "put_synonym", form["word"], {"means": meanings(form["means"])})
    except ValidationFailed as error:
        errors = {}
        for name, reasons in field_errors(error).items():  # means.<n>: the box of all meanings
            errors.setdefault(name.split(".")[0], []).extend(reasons)
        return dictionary_page(form, errors, 422)
    except Forbidden:
        return dictionary_page(form, status=403, message="forbidden")
    return redirect(url_for("web.kb_synonyms.dictionary", saved=form["word"]), 303)


@blp.post("/kb/synonyms/<string:word>/delete")
def remove(word):
    """DELETE /api/v1/kb/synonyms/{word}: the built-in entry, if any, applies again."""
    try:
        call("knowledge", "delete_synonym", word)
    except Forbidden:
        return dictionary_page(status=403, message="forbidden")
    return redirect(url_for("web.kb_synonyms.dictionary", removed=word), 303)
