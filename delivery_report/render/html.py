"""The report pack as one self-contained, accessible HTML page: draws a `layout.Report`, decides nothing."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from .. import layout
from ..layout.colours import WHITE, RatingFill
from ..layout.wording import BLANK
from ..model import (
    Block,
    Heading,
    ListBlock,
    Paragraph,
    Placeholder,
    RestrictedBlock,
    RichText,
    Span,
    is_numbered_paragraph_list,
)
from .charts import svg

if TYPE_CHECKING:  # the audit (and its cache) is loaded only by a build that writes the audit page
    from ..audit import AuditEntry, AuditTrail

TEMPLATE_NAME = "report.html.j2"

# Only these link targets are written as links (validation reports any other as a content error,
# so this is a second line of defence for a page the public reads).
# Links the layout itself writes may also be a query on this page ('?priority=1&rag=red#appendix-1').
_SAFE_HREF = re.compile(r"^(https?://|mailto:|#|\?[A-Za-z0-9=&%._-]*(#[A-Za-z0-9._-]*)?$)", re.IGNORECASE)


def render_html(report: layout.Report) -> str:
    """Render the report as a self-contained HTML page; the same report always gives the same string."""
    return render_html_bytes(report).decode("utf-8")


def render_html_bytes(report: layout.Report) -> bytes:
    """The page as UTF-8 bytes (render_html's string, encoded), made without holding it whole as text.

    The tables are most of a large plan's page (5,000 actions: 4.8 MB). Each is encoded as soon as it is
    drawn and the template holds only a marker in its place; the markers are replaced by the bytes at the
    end. Joined as text by the template's macros, the page was held several times over (two bytes a
    character, as it holds an arrow or a dash), and that set the build's peak memory."""
    spliced = _Spliced()
    page = environment().get_template(TEMPLATE_NAME).render(report=report, splice=spliced)
    return spliced.join(page)


class _Spliced:
    """Pieces of the page kept as UTF-8 while the template runs, each standing in it as a marker. A marker
    starts with '<', which every piece of content is escaped out of, so no content can pass for one."""

    _MARKER = "<!--delivery-report piece {}-->"
    _FOUND = re.compile(r"<!--delivery-report piece (\d+)-->")

    def __init__(self) -> None:
        self.pieces: list[bytes] = []

    def __call__(self, html: str) -> Markup:
        """Keep `html` aside as UTF-8; its marker, to be written where it goes."""
        self.pieces.append(html.encode("utf-8"))
        return Markup(self._MARKER.format(len(self.pieces) - 1))

    def join(self, page: str) -> bytes:
        """The page with every marker replaced by its piece, each exactly once and in order."""
        out: list[bytes] = []
        position = 0
        for expected, marker in enumerate(self._FOUND.finditer(page)):
            if int(marker.group(1)) != expected:
                raise RuntimeError("a piece of the HTML page is out of place: please report this as a bug")
            out += (page[position : marker.start()].encode("utf-8"), self.pieces[expected])
            position = marker.end()
        if len(out) != 2 * len(self.pieces):
            raise RuntimeError("a piece of the HTML page went missing: please report this as a bug")
        out.append(page[position:].encode("utf-8"))
        return b"".join(out)


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
        "table": layout.Table, "group": layout.Group, "section": layout.Section, "chart": layout.Chart,
        "people": layout.People, "response": layout.ResponseBlock, "contents": layout.Contents,
        "filters": layout.Filters,
        "paragraph": Paragraph, "heading": Heading, "list_block": ListBlock, "placeholder": Placeholder,
        "restricted_block": RestrictedBlock,
    }
    for name, kind in node_types.items():
        env.tests[name] = _is(kind)
    env.tests["numbered_paragraphs"] = is_numbered_paragraph_list
    env.globals.update(heading_levels=layout.heading_levels, safe_href=safe_href, blank=BLANK,
                       blocks_html=blocks_html, spans_html=spans_html, chart_svg=svg, line_html=line_html,
                       table_html=table_html, rating_fill_rules=rating_fill_rules,
                       rating_movement_rules=rating_movement_rules)
    return env


def css_colour(colour: str) -> str:
    """A colour as the style sheet writes it: '#fff' where three digits say it, else '#C00000'."""
    if all(colour[i] == colour[i + 1] for i in (0, 2, 4)):
        return "#" + colour[0::2].lower()
    return "#" + colour.upper()


def rating_fill_rules(fills: Sequence[RatingFill]) -> list[str]:
    """The style rule of each rating's cells, worst to best; ratings drawn alike share one (green and complete).

    A fill as light as the page is outlined, so the cell still shows as a rating (white)."""
    looks: dict[tuple[str, str, bool], list[str]] = {}
    for fill in fills:
        looks.setdefault((fill.fill, fill.text, fill.outlined), []).append(fill.id)
    rules = []
    for (background, text, outlined), ids in looks.items():
        outline = " box-shadow: inset 0 0 0 3px #595959;" if outlined else ""
        selectors = ", ".join(f"td.rag-{rating_id}" for rating_id in ids)
        rules.append(f"{selectors} {{ background: {css_colour(background)}; color: {css_colour(text)};{outline} }}")
    return rules


def rating_movement_rules(fills: Sequence[RatingFill]) -> list[str]:
    """The direction of travel under a rating in white letters is white too (on red)."""
    light = [fill.id for fill in fills if fill.text == WHITE]
    if not light:
        return []
    return [", ".join(f"td.rag-{rating_id} .rag-movement" for rating_id in light) + " { color: #fff; }"]


def _is(kind: type) -> Callable[[object], bool]:
    return lambda value: isinstance(value, kind)


def safe_href(href: str | None) -> str | None:
    """The link target when it is safe to write as a link (web, mail, in-page), else None."""
    if href and _SAFE_HREF.match(href.strip()):
        return href.strip()
    return None


# A character markupsafe's escaper changes: a string without one (most text) is written as it is.
_TO_ESCAPE = re.compile("[&<>\"']")


def _text(value: object) -> str:
    """A value escaped as the template's {{ value }} escapes it (markupsafe)."""
    if isinstance(value, str) and _TO_ESCAPE.search(value) is None:
        return str.__str__(value)  # the text itself (a Word's value, a Markup's markup)
    return str(escape(value))


# --- content rich text --------------------------------------------------------------------------
# Rich text is the bulk of a plan (thousands of statuses); drawn with Jinja2 macros it was most of
# the HTML's rendering time. These functions draw the same markup with markupsafe's C escape.


def spans_html(spans: Sequence[Span], link_targets: frozenset[str]) -> Markup:
    """Spans as inline HTML; a line whose spans are all bold is wrapped in one <strong>."""
    all_bold = bool(spans) and all(s.bold for s in spans)
    out = [_span_html(s, link_targets, all_bold) for s in spans]
    html = "".join(out)
    return Markup(f"<strong>{html}</strong>" if all_bold else html)


def _span_html(span: Span, link_targets: frozenset[str], plain_weight: bool) -> str:
    text = _text(span.text) if "\n" not in span.text else "<br>".join(_text(part) for part in span.text.split("\n"))
    if span.superscript:
        text = f"<sup>{text}</sup>"
    if span.underline:
        text = f"<u>{text}</u>"
    if span.italic:
        text = f"<em>{text}</em>"
    if span.bold and not plain_weight:
        text = f"<strong>{text}</strong>"
    href = safe_href(span.href)
    if href:
        return f'<a href="{escape(href)}">{text}</a>'
    if span.action_ref and span.action_ref in link_targets:
        return f'<a href="#action-{escape(span.action_ref)}">{text}</a>'
    return text


def blocks_html(blocks: RichText, link_targets: frozenset[str], levels: dict[int, int] | None = None) -> Markup:
    """Rich text as HTML; without `levels` (in table cells) headings are bold paragraphs."""
    out: list[str] = []
    _blocks(blocks, link_targets, levels, out)
    return Markup("".join(out))


def _blocks(blocks: Sequence[Block], link_targets: frozenset[str], levels: dict[int, int] | None,
            out: list[str]) -> None:
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(f"<p>{spans_html(block.spans, link_targets)}</p>\n")
        elif isinstance(block, Heading):
            if levels is None:
                out.append(f'<p class="rt-heading"><strong>{spans_html(block.spans, link_targets)}</strong></p>\n')
            else:
                level = levels.get(block.level, 6)
                out.append(f"<h{level}>{spans_html(block.spans, link_targets)}</h{level}>\n")
        elif isinstance(block, ListBlock):
            _list(block, link_targets, levels, out)
        elif isinstance(block, RestrictedBlock):
            out.append('<div class="restricted-block">\n')
            _blocks(block.blocks, link_targets, levels, out)
            out.append("</div>\n")
        elif isinstance(block, Placeholder):
            out.append(f"<p>{escape('{' + block.name + '}')}</p>\n")


def _list(block: ListBlock, link_targets: frozenset[str], levels: dict[int, int] | None, out: list[str]) -> None:
    if block.ordered:
        out.append(f'<ol start="{block.start}">\n' if block.start != 1 else "<ol>\n")
    else:
        out.append('<ul class="numbered-paragraphs">\n' if is_numbered_paragraph_list(block) else "<ul>\n")
    for item in block.items:
        if len(item.blocks) == 1 and isinstance(item.blocks[0], Paragraph):
            # A tight list item (one paragraph) is written without <p>.
            out.append(f"<li>{spans_html(item.blocks[0].spans, link_targets)}</li>\n")
        else:
            out.append("<li>")
            _blocks(item.blocks, link_targets, levels, out)
            out.append("</li>\n")
    out.append("</ol>\n" if block.ordered else "</ul>\n")


# --- tables and lines ------------------------------------------------------------------------------
# The plan tables are the bulk of the page (a row per action, eight cells each): drawn with Jinja2
# macros, calling a macro per cell and per line was most of the HTML's time at 5,000 actions. These
# functions write the markup the macros wrote, character for character, escaping every value with
# markupsafe as the template's {{ }} does.


def _blank_html() -> str:
    return f'<span class="blank">{escape(BLANK)}</span><span class="visually-hidden"> (to be filled in)</span>'


def line_html(line: layout.Line, link_targets: frozenset[str], tag: str = "p") -> Markup:
    """A line of generated wording as a paragraph (or `tag`); a blank to fill in follows a space."""
    role = f' class="{_text(line.role)}"' if line.role else ""
    ident = f' id="{_text(line.id)}"' if line.id else ""
    blank = ""
    if line.blank:
        gap = " " if line.spans and "".join(s.text for s in line.spans).strip() else ""
        blank = gap + _blank_html()
    return Markup(f"<{tag}{role}{ident}>{spans_html(line.spans, link_targets)}{blank}</{tag}>")


def _people_html(people: layout.People) -> str:
    """Initials joined by '/' (a line may break after one), never broken inside ('Dep PCC' keeps its space)."""
    out = []
    for person in people.people:
        initials = _text(person.initials.replace(" ", "\u00a0"))
        out.append(f'<abbr title="{_text(person.title)}">{initials}</abbr>' if person.title else initials)
    return "/<wbr>".join(out)


def _response_html(response: layout.ResponseBlock, link_targets: frozenset[str]) -> str:
    label = f'<span class="response-label">{_text(response.label)}</span>'
    blocks = response.blocks
    if blocks and isinstance(blocks[0], Paragraph):
        first = f"<p>{label} {spans_html(blocks[0].spans, link_targets)}</p>\n{blocks_html(blocks[1:], link_targets)}\n"
    else:
        first = f"<p>{label}</p>\n{blocks_html(blocks, link_targets)}\n"
    return f'<div class="response response-{_text(response.by)}">\n{first}</div>'


def _cell_html(cell: layout.Cell, link_targets: frozenset[str], history: str = "", label: str = "") -> str:
    """A cell: a single plain line is written without <p>; anything more as blocks. `history`: the row's
    history page (the audit), linked from its first cell. `label`: the column's heading, shown before the
    cell when a narrow screen stacks the row (plan tables)."""
    classes = ""
    if cell.kind or cell.rag:
        classes = f' class="{_text(cell.kind)}{f" rag-{_text(cell.rag)}" if cell.rag else ""}"'
    if label:
        classes += f' data-label="{_text(label)}"'
    hidden = f'<span class="visually-hidden">{_text(cell.hidden)}</span>' if cell.hidden else ""
    content = cell.content
    single = content[0] if len(content) == 1 else None
    if history and isinstance(single, layout.Line):
        body = (f'<a href="{_text(history)}" title="Who changed this action, and when">'
                f"{spans_html(single.spans, link_targets)}</a>")
    elif isinstance(single, layout.Line) and not single.role:
        body = spans_html(single.spans, link_targets)
    elif isinstance(single, layout.People):
        body = _people_html(single)
    else:
        parts = []
        for item in content:
            if isinstance(item, layout.Line):
                parts.append(f"{line_html(item, link_targets)}\n")
            elif isinstance(item, layout.Rich):
                parts.append(f"{blocks_html(item.blocks, link_targets)}\n")
            elif isinstance(item, layout.People):
                parts.append(f"<p>{_people_html(item)}</p>\n")
            elif isinstance(item, layout.ResponseBlock):
                parts.append(f"{_response_html(item, link_targets)}\n")
        body = "".join(parts)
    return f"<td{classes}>{hidden}{body}</td>"


def table_html(table: layout.Table, link_targets: frozenset[str]) -> Markup:
    """A table: caption, header row, then a row per layout row (its id and data attributes on the <tr>);
    a table with a region label scrolls sideways in a labelled region on narrow screens."""
    out = []
    if table.region_label:
        out.append(f'<div class="table-scroll" role="region" aria-label="{_text(table.region_label)}" tabindex="0">\n')
    ident = f' id="{_text(table.id)}"' if table.id else ""
    out.append(f'<table class="{_text(table.kind)}"{ident}>\n<caption>{_text(table.caption)}</caption>\n<thead>\n<tr>')
    for column in table.columns:
        kind = f' class="col-{_text(column.kind)}"' if column.kind else ""
        out.append(f'<th scope="col"{kind}>{_text(column.label)}</th>')
    out.append("</tr>\n</thead>\n<tbody>\n")
    for row in table.rows:
        row_id = f' id="{_text(row.id)}"' if row.id else ""
        attrs = "".join(f' {_text(name)}="{_text(value)}"' for name, value in row.attrs)
        out.append(f"<tr{row_id}{attrs}>\n")
        for index, cell in enumerate(row.cells):
            label = table.columns[index].label if table.kind == layout.TableKind.PLAN_TABLE else ""
            out.append(_cell_html(cell, link_targets, row.history if index == 0 else "", label))
            out.append("\n")
        out.append("</tr>\n")
    out.append("</tbody>\n</table>\n")
    if table.region_label:
        out.append("</div>\n")
    return Markup("".join(out))


# --- the audit page (audit.AuditTrail) ------------------------------------------------------------

AUDIT_TEMPLATE_NAME = "audit.html.j2"
_PIECE_TAGS = {"same": ("", ""), "removed": ("<del>", "</del>"), "added": ("<ins>", "</ins>")}


def _value_html(text: str, never_set: bool) -> str:
    """An old or new value; an empty one says whether the field had never had a value or was emptied."""
    if text:
        return str(escape(text))
    return '<span class="none">never set</span>' if never_set else '<span class="none">none</span>'


def _change_html(entry: AuditEntry) -> str:
    """The change as escaped HTML: a word diff for the status text, old → new for a field."""
    row = entry.row
    if row.field == "body" and row.old and row.new:
        return "".join(f"{_PIECE_TAGS[p.kind][0]}{escape(p.text)}{_PIECE_TAGS[p.kind][1]}" for p in entry.pieces)
    old = f"<del>{_value_html(row.old, row.never_set)}</del>" if row.old else _value_html("", row.never_set)
    new = f"<ins>{escape(row.new)}</ins>" if row.new else _value_html("", False)
    return f"{old} → {new}"


def _entry_html(entry: AuditEntry) -> Markup:
    """One change as a table row; each cell carries its heading for the narrow-screen layout (stacked blocks).
    Escaped here: tens of thousands of rows are too slow through the template."""
    row = entry.row
    who = escape(row.author)
    merged = f'<br><span class="merged">merged by {escape(row.merged_by)}</span>' if row.merged_by else ""
    return Markup(
        f'<tr><td data-label="When">{escape(entry.when)}</td><td data-label="Who">{who}{merged}</td>'
        f'<td data-label="Field">{escape(row.field)}</td><td data-label="Change" class="change">{_change_html(entry)}</td>'
        f'<td data-label="Why"><span class="message">{escape(row.message)}</span> '
        f"<code>{escape(row.commit[:12])}</code></td></tr>"
    )


def render_audit_html(trail: AuditTrail) -> str:
    """The audit trail as one accessible HTML page: an index of actions, then each action's changes, newest first."""
    actions = [
        {
            "ref": action.ref,
            "title": action.title,
            "count": len(action.entries),
            "since": action.changed_since_report,
            "flagged": action.changed_since_signoff,
            "recent": Markup("\n").join(_entry_html(e) for e in action.entries if e.since_last_report),
            "earlier": Markup("\n").join(_entry_html(e) for e in action.entries if not e.since_last_report),
        }
        for action in trail.actions
    ]
    return environment().get_template(AUDIT_TEMPLATE_NAME).render(trail=trail, actions=actions)
