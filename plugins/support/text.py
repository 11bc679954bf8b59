"""Users' plain text as safe HTML: escaped, line breaks kept, web addresses made links."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

URL = re.compile(r"\bhttps?://[^\s<>\"']+", re.IGNORECASE)
TRAILING = ".,;:!?)]}'\""


def _link(url: str) -> str:
    trail = ""
    while url and url[-1] in TRAILING:
        # a closing bracket that belongs to the address stays: (see https://x.org/a_(b))
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        trail = url[-1] + trail
        url = url[:-1]
    href = escape(url)
    return f'<a href="{href}" rel="nofollow noopener noreferrer">{href}</a>{escape(trail)}'


def plain_text(text: str | None) -> Markup:
    """Escape ``text``; keep its line breaks (``<br>``) and link ``http(s)://`` addresses.

    Nothing else of the user's text becomes markup: ``<b>`` stays the visible text ``<b>``.
    """
    out, last = [], 0
    text = (text or "").replace("\r\n", "\n")
    for match in URL.finditer(text):
        out.append(str(escape(text[last:match.start()])))
        out.append(_link(match.group(0)))
        last = match.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out).replace("\n", "<br>\n"))
