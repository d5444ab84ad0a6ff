"""Render the public plan as one self-contained, accessible HTML page (cover report and appendices)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Optional

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .. import model
from ..model import Action, Heading, ListBlock, Paragraph, Placeholder, Plan, RichText

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
TEMPLATE_NAME = "report.html.j2"

# Only these link targets are written as links; anything else (javascript:, data:, ...) shows as text.
_SAFE_HREF = re.compile(r"^(https?://|mailto:|tel:|#|/(?!/)|\./|\.\./)", re.IGNORECASE)


def render_html(plan: Plan) -> str:
    """Render a public plan as a self-contained HTML page; the same plan always gives the same string."""
    template = _environment().get_template(TEMPLATE_NAME)
    action_refs = frozenset(a.ref for a in plan.actions)
    return template.render(
        plan=plan,
        wording_plan=plan,
        cover=plan.cover,
        snapshot=plan.snapshot,
        action_refs=action_refs,
        values=model.placeholder_values(plan),
        rag_meanings=model.RAG_MEANINGS,
        rag_words=model.RAG_WORDS,
        responders=model.RESPONDERS,
    )


@lru_cache(maxsize=1)
def _environment() -> Environment:
    """The Jinja2 environment: autoescaping, strict about undefined names, templates from templates/."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.tests.update(
        paragraph=lambda b: isinstance(b, Paragraph),
        heading=lambda b: isinstance(b, Heading),
        list_block=lambda b: isinstance(b, ListBlock),
        placeholder=lambda b: isinstance(b, Placeholder),
        numbered_paragraphs=model.is_numbered_paragraph_list,
    )
    env.globals.update(
        fill=model.fill_placeholders,
        lifecycle_wording=model.lifecycle_wording,
        carried_forward_wording=model.carried_forward_wording,
        priorities_display=model.priorities_display,
        people_display=model.people_display,
        heading_levels=heading_levels,
        safe_href=safe_href,
        person_title=person_title,
        lifecycle_parts=lifecycle_parts,
        short_commit=short_commit,
    )
    return env


def heading_levels(blocks: RichText, base: int) -> dict[int, int]:
    """Map the Markdown heading levels used in rich text onto HTML levels from `base`, without gaps."""
    found: set[int] = set()
    _collect_heading_levels(blocks, found)
    return {level: min(6, base + rank) for rank, level in enumerate(sorted(found))}


def _collect_heading_levels(blocks: RichText, found: set[int]) -> None:
    """Gather the heading levels of rich text, inside lists too."""
    for block in blocks:
        if isinstance(block, Heading):
            found.add(block.level)
        elif isinstance(block, ListBlock):
            for item in block.items:
                _collect_heading_levels(item.blocks, found)


def safe_href(href: Optional[str]) -> Optional[str]:
    """The link target when it is safe to write as a link (web, mail, phone, in-page), else None."""
    if href and _SAFE_HREF.match(href.strip()):
        return href.strip()
    return None


def person_title(plan: Plan, initials: str) -> str:
    """'Name, Role' for initials in the people register ('' when the register gives neither)."""
    person = plan.person(initials)
    if person is None:
        return ""
    return ", ".join(part for part in (person.name, person.role) if part)


def lifecycle_parts(action: Action, plan: Plan) -> list[tuple[str, Optional[str]]]:
    """The lifecycle wording as (text, linked action ref or None) pieces; replacement refs become links."""
    wording = model.lifecycle_wording(action, plan)
    if not wording:
        return []
    marker = wording.find("replacement ")
    if action.lifecycle != "superseded" or marker < 0:
        return [(wording, None)]
    head, tail = wording[:marker], wording[marker:]
    refs = [r for r in action.superseded_by if plan.action(r) is not None]
    if not refs:
        return [(wording, None)]
    pattern = re.compile(r"(?<![\d.])(" + "|".join(re.escape(r) for r in refs) + r")(?![\d]|\.\d)")
    parts: list[tuple[str, Optional[str]]] = [(head, None)]
    pos = 0
    for match in pattern.finditer(tail):
        if match.start() > pos:
            parts.append((tail[pos : match.start()], None))
        parts.append((match.group(1), match.group(1)))
        pos = match.end()
    if pos < len(tail):
        parts.append((tail[pos:], None))
    return [p for p in parts if p[0]]


def short_commit(commit: Optional[str]) -> str:
    """The first 12 characters of a commit id ('' when there is none)."""
    return (commit or "")[:12]
