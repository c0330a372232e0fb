"""The portal as an installable app (PWA): /p/<slug>/manifest.webmanifest (the account's name,
its portal as start and scope, the icons of static/portal/, drawn by scripts/portal_icons.py)
and /p/<slug>/sw.js, a service worker whose scope is the portal. The worker takes pages from
the network (live data; a signed-in person's pages are never cached) and, offline, answers a
short page that says so; Chromium prompts to install a site only with a worker that handles
fetches."""
import json

from flask import jsonify, make_response, render_template, url_for

from gateway.web.portal import access
from gateway.web.portal.views import blp

WORKER = """// The portal's service worker (gateway/web/portal/pwa.py): pages come from the network;
// when there is none, a page saying so instead of the browser's error. Posts are left alone.
const OFFLINE = %s;
self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });
self.addEventListener("fetch", function (event) {
  if (event.request.mode !== "navigate" || event.request.method !== "GET") { return; }
  event.respondWith(fetch(event.request).catch(function () {
    return new Response(OFFLINE, {headers: {"Content-Type": "text/html; charset=utf-8"}});
  }));
});
"""


@blp.get("/manifest.webmanifest")
@access.open_page
def manifest(slug):
    home = url_for("web.portal.home", slug=slug)
    name = access.brand(slug)["name"]
    response = jsonify({
        "name": name, "short_name": name[:12], "start_url": home, "scope": home, "id": home,
        "display": "standalone", "background_color": "#f3f5f8", "theme_color": "#1f5fbf",
        "lang": "ru",
        "icons": [{"src": url_for("static", filename=f"portal/icon-{size}.png"),
                   "sizes": f"{size}x{size}", "type": "image/png", "purpose": "any maskable"}
                  for size in (192, 512)]})
    response.mimetype = "application/manifest+json"
    return response


@blp.get("/sw.js")
@access.open_page
def worker(slug):
    offline = render_template("portal/offline.html")
    response = make_response(WORKER % json.dumps(offline, ensure_ascii=False))
    response.mimetype = "text/javascript"
    response.headers["Cache-Control"] = "no-cache"
    return response
