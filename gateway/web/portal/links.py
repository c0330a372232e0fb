"""Comment text on a portal page: escaped, with the console's article links (`/kb/articles/<id>`,
what answering with an article puts into a reply) turned into links to this portal's article."""
from flask import url_for
from markupsafe import Markup, escape

from gateway.i18n import gettext
from gateway.web.ticket.timeline import ARTICLE_LINK


def portal_links(text, slug):
    def article(found):
        href = url_for("web.portal.kb_article", slug=slug, article_id=found.group(1))
        return f'<a class="article-link" href="{escape(href)}">{escape(gettext("Read the article"))}</a>'
    return Markup(ARTICLE_LINK.sub(article, str(escape(text or ""))))
