"""The report pack as one self-contained, accessible HTML page: draws a `layout.Report`, decides nothing."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from jinja2 import Environment, PackageLoader, StrictUndefined

from .. import layout
from ..model import Heading, ListBlock, Paragraph, Placeholder, RestrictedBlock, is_numbered_paragraph_list

TEMPLATE_NAME = "report.html.j2"

# Only these link targets are written as links (validation reports any other as a content error,
# so this is a second line of defence for a page the public reads).
_SAFE_HREF = re.compile(r"^(https?://|mailto:|#)", re.IGNORECASE)


def render_html(report: layout.Report) -> str:
    """Render the report as a self-contained HTML page; the same report always gives the same string."""
    return environment().get_template(TEMPLATE_NAME).render(report=report)


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The Jinja2 environment: autoescaping, strict about undefined names, templates installed with the package."""
    env = Environment(
        loader=PackageLoader("delivery_report.templates", "."),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    node_types = {
        "line": layout.Line, "rich": layout.Rich, "title": layout.Title, "key": layout.Key,
        "table": layout.Table, "group": layout.Group, "section": layout.Section,
        "people": layout.People, "response": layout.ResponseBlock,
        "paragraph": Paragraph, "heading": Heading, "list_block": ListBlock, "placeholder": Placeholder,
        "restricted_block": RestrictedBlock,
    }
    for name, kind in node_types.items():
        env.tests[name] = _is(kind)
    env.tests["numbered_paragraphs"] = is_numbered_paragraph_list
    env.globals.update(heading_levels=layout.heading_levels, safe_href=safe_href, blank=layout.BLANK)
    return env


def _is(kind: type) -> object:
    return lambda value: isinstance(value, kind)


def safe_href(href: Optional[str]) -> Optional[str]:
    """The link target when it is safe to write as a link (web, mail, in-page), else None."""
    if href and _SAFE_HREF.match(href.strip()):
        return href.strip()
    return None
