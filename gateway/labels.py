"""QR labels: the link an equipment item's label carries, drawn as PNG or SVG (segno)."""
import io
import os

import segno
from flask import request


def public_url():
    """Where people reach this installation; the labels' links start with it."""
    configured = os.environ.get("PUBLIC_URL", "").rstrip("/")
    return configured or request.host_url.rstrip("/")


def intake_link(code):
    return f"{public_url()}/q/{code}"


def render(link, kind):
    """(bytes, mimetype) of a QR code for `link`; error correction M survives a scratched label."""
    code = segno.make(link, error="m", micro=False)
    buffer = io.BytesIO()
    if kind == "svg":
        code.save(buffer, kind="svg", scale=8, border=4, title=link)
        return buffer.getvalue(), "image/svg+xml"
    code.save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue(), "image/png"


def inline_svg(link):
    """The label as <svg> markup to put in a page (a sheet of labels draws them all in one go)."""
    return segno.make(link, error="m", micro=False).svg_inline(scale=4, border=4, title=link)
