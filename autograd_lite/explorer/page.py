"""The explorer's page as one self-contained HTML file: the SVG inline, the steps as embedded
JSON, the script and stylesheet (package data beside this module) inlined.

Nothing is fetched: no network, no CDN, so the page works from ``file://``. Its
Content-Security-Policy allows only the page's own script and stylesheet, by their SHA-256
hashes, and nothing from any other source.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from importlib import resources
from typing import Any

_PROLOG = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)  # the XML declaration, doctype, comments
_NAMESPACES = re.compile(r'\s+xmlns(:xlink)?="[^"]*"')  # HTML puts <svg> in its namespace


def inline_svg(svg: str) -> str:
    """Graphviz's SVG made fit to sit inside HTML: no prolog or doctype (they name w3.org
    addresses), no namespace attributes (HTML's parser supplies them), scaled to its box."""
    svg = _PROLOG.sub("", svg, count=1)
    svg = _NAMESPACES.sub("", svg)
    return re.sub(r'<svg width="[^"]*" height="[^"]*"', '<svg class="al-graph"', svg, count=1)


def asset(name: str) -> str:
    """A file shipped beside this module (the page's script or stylesheet)."""
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def page_html(title: str, svg: str, data: dict[str, Any]) -> str:
    """The whole page: ``svg`` (already inline) and ``data`` (the steps) with the script."""
    script, style = asset("explorer.js"), asset("explorer.css")
    # JSON inside <script>: "<" escaped, so no "</script>" in a value can end the element
    payload = json.dumps(data, separators=(",", ":"), allow_nan=False).replace("<", "\\u003c")
    policy = (
        "default-src 'none'; "
        f"script-src '{_sha256(script)}'; style-src '{_sha256(style)}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{html.escape(policy)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{style}</style>
</head>
<body>
<header class="al-bar">
<strong class="al-title">{html.escape(title)}</strong>
<button type="button" id="al-first" title="first step (Home)">&laquo;</button>
<button type="button" id="al-prev" title="previous step (Left)">&#x25C0;</button>
<input type="range" id="al-slider" min="0" max="0" value="0" aria-label="step">
<button type="button" id="al-next" title="next step (Right)">&#x25B6;</button>
<button type="button" id="al-last" title="last step (End)">&raquo;</button>
<span id="al-counter" aria-live="polite"></span>
</header>
<main class="al-main">
<section class="al-picture">{svg}</section>
<aside class="al-panel" id="al-panel"></aside>
</main>
<script type="application/json" id="al-data">{payload}</script>
<script>{script}</script>
</body>
</html>
"""


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")
