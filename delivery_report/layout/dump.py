"""The layout tree as readable text: one node per line, indented by depth, every word the report prints.

tests/test_layout_fixtures.py compares this dump of the real plan's report with the fixture files in
tests/fixtures/layout/ line by line, so a change of wording fails at the fixture line that holds the
old sentence, and the fixture's diff in review shows the new one (as markdown-it-py's fixture files do).

The dump depends only on the tree: nothing from the clock, the machine or the order of a set, so the
same report gives the same text on every run. Rich text is flattened to its words with light marks
(**bold**, *italic*, [link](target), list markers); a line's trailing spaces are left out, because they
are not wording and editors strip them from the fixture files.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import groupby

from ..model import (
    Heading,
    ListBlock,
    Paragraph,
    Placeholder,
    RestrictedBlock,
    RichText,
    Span,
    natural_key,
    unreachable,
)
from .nodes import (
    Cell,
    CellContent,
    Chart,
    Column,
    Contents,
    Filters,
    Group,
    Key,
    Line,
    Node,
    Part,
    People,
    Report,
    ResponseBlock,
    Rich,
    Row,
    Section,
    Table,
    Title,
    heading_levels,
)

INDENT = "  "


def dump_report(report: Report) -> str:
    """The whole report as text, one node per line, ending with a newline."""
    return "".join(line.rstrip() + "\n" for line in report_lines(report))


def report_lines(report: Report) -> Iterator[str]:
    """The dump's lines, without line ends: the report's page-wide fields, then each part in order."""
    yield f"report {report.page_title}"
    fields = (
        ("organisation", report.organisation),
        ("as at", report.as_at_words),
        ("commit", report.commit),
        ("identifier", report.identifier),
        ("banner", report.banner),
        ("page mark", report.page_mark),
        ("running header", report.running_header),
        ("footer", report.footer),
        ("property title", report.properties.title),
        ("property subject", report.properties.subject),
        ("property author", report.properties.author),
        ("property comments", report.properties.comments),
    )
    for name, value in fields:
        if value:
            yield f"{INDENT}{name}: {value}"
    flags = [name for name, on in (("restricted copy", report.restricted_copy), ("draft", report.draft)) if on]
    if flags:
        yield f"{INDENT}flags: {', '.join(flags)}"
    yield f"{INDENT}link targets: {' '.join(sorted(report.link_targets, key=natural_key))}"
    for part in report.parts:
        yield from _part(part, 0)


def _part(part: Part, depth: int) -> Iterator[str]:
    pad = INDENT * depth
    extras = _attributes(("id", part.id), ("contents", part.contents_label), ("labelledby", part.labelledby))
    yield f"{pad}part[{part.kind.value}]{' landscape' if part.landscape else ''}{extras}"
    if part.title is not None:
        yield from _title(part.title, depth + 1)
    yield from _nodes(part.children, depth + 1)


def _nodes(nodes: Iterable[Node], depth: int) -> Iterator[str]:
    for node in nodes:
        yield from _node(node, depth)


def _node(node: Node, depth: int) -> Iterator[str]:
    pad = INDENT * depth
    if isinstance(node, Title):
        yield from _title(node, depth)
    elif isinstance(node, Line):
        yield pad + _line(node)
    elif isinstance(node, Rich):
        yield f"{pad}rich"
        yield from rich_lines(node.blocks, node.heading_base, depth + 1)
    elif isinstance(node, Section):
        yield f"{pad}section[{node.kind.value}]{_attributes(('id', node.id))}"
        yield from _title(node.title, depth + 1)
        yield from _nodes(node.children, depth + 1)
    elif isinstance(node, Group):
        yield f"{pad}group[{node.kind.value}]"
        yield from _nodes(node.children, depth + 1)
    elif isinstance(node, Table):
        yield from _table(node, depth)
    elif isinstance(node, Key):
        yield f"{pad}key {node.intro}{_attributes(('id', node.id))}"
        for item in node.items:
            yield f"{pad}{INDENT}item[{item.by.value}] {item.label}: {item.meaning}"
    elif isinstance(node, Chart):
        yield from _chart(node, depth)
    elif isinstance(node, Contents):
        yield f"{pad}contents"
        for entry in node.entries:
            yield f"{pad}{INDENT}entry[{entry.level}] {entry.text} → #{entry.target}"
    elif isinstance(node, Filters):
        yield from _filters(node, depth)
    else:
        unreachable(node)


def _title(title: Title, depth: int) -> Iterator[str]:
    yield f"{INDENT * depth}title[{title.level}] {title.text}{_attributes(('id', title.id), ('label', title.label))}"


def _line(line: Line) -> str:
    """'line[note] Content as at ...': the role (if any), the words, and a mark for a blank left to fill in."""
    role = f"[{line.role.value}]" if line.role.value else ""
    blank = " [blank to fill in]" if line.blank else ""
    return f"line{role} {spans_text(line.spans)}{blank}{_attributes(('id', line.id))}"


def _table(table: Table, depth: int) -> Iterator[str]:
    pad = INDENT * depth
    size = f" {table.size_pt:g}pt" if table.size_pt is not None else ""
    yield (f"{pad}table[{table.kind.value}]{size} {table.caption}"
           f"{_attributes(('id', table.id), ('region', table.region_label))}")
    yield f"{pad}{INDENT}columns: " + " | ".join(_column(column) for column in table.columns)
    for row in table.rows:
        yield from _row(row, table.columns, depth + 1)


def _column(column: Column) -> str:
    kind = f"{column.kind.value} " if column.kind.value else ""
    return f"{column.label} [{kind}{column.width_cm:g}cm]"


def _row(row: Row, columns: tuple[Column, ...], depth: int) -> Iterator[str]:
    """A row of one-line cells of generated wording on one line ('row | 2. Partnerships | 0 | **6**'); any
    other row with a line per cell, each named by its column's header: 'Due Date: Mar 2018', or the header
    alone and the cell's lines below it."""
    pad = INDENT * depth
    head = f"{pad}row" + _attributes(("id", row.id), ("bookmark", row.bookmark), ("history", row.history))
    if row.attrs:
        # All of them, even empty: the HTML writes them all, and the filters read them.
        head += " {" + " ".join(f'{name}="{value}"' for name, value in row.attrs) + "}"
    cells = [(_cell_marks(cell, columns[index] if index < len(columns) else None),
              [line for item in cell.content for line in _cell_content(item, depth + 2)])
             for index, cell in enumerate(row.cells)]
    # Only rows of generated wording (counts, keys, values): a row with content text keeps a line per cell,
    # so an action's row reads the same whether its status is one paragraph or several.
    generated = all(isinstance(item, Line) for cell in row.cells for item in cell.content)
    if generated and all(len(lines) <= 1 for _, lines in cells):
        yield head + "".join(f" | {marks}{' ' if marks and lines else ''}{lines[0].lstrip() if lines else ''}"
                             for marks, lines in cells)
        return
    yield head
    for index, (marks, lines) in enumerate(cells):
        label = columns[index].label if index < len(columns) else f"cell {index + 1}"
        one = f" {lines[0].lstrip()}" if len(lines) == 1 else ""
        yield f"{pad}{INDENT}{label}:{' ' + marks if marks else ''}{one}"
        if len(lines) > 1:
            yield from lines


def _cell_marks(cell: Cell, column: Column | None) -> str:
    """'[rag=red]': what the cell says beyond its words (its kind only where it is not its column's)."""
    marks = [cell.kind.value] if column is None or cell.kind != column.kind else []
    if cell.rag is not None:
        marks.append(f"rag={cell.rag}")
    if cell.hidden:
        marks.append(f"hidden={cell.hidden}")
    return f"[{' '.join(marks)}]" if marks else ""


def _cell_content(item: CellContent, depth: int) -> Iterator[str]:
    """A cell's line of wording ('[overdue] **Overdue**'), rich text, people or progress update."""
    pad = INDENT * depth
    if isinstance(item, Line):
        role = f"[{item.role.value}] " if item.role.value else ""
        blank = " [blank to fill in]" if item.blank else ""
        yield f"{pad}{role}{spans_text(item.spans)}{blank}{_attributes(('id', item.id))}"
    elif isinstance(item, Rich):
        yield from rich_lines(item.blocks, item.heading_base, depth)
    elif isinstance(item, People):
        yield pad + " / ".join(f"{p.initials} ({p.title})" if p.title else p.initials for p in item.people)
    elif isinstance(item, ResponseBlock):
        yield f"{pad}response[{item.by.value}] {item.label}"
        yield from rich_lines(item.blocks, 3, depth + 1)
    else:
        unreachable(item)


def _chart(chart: Chart, depth: int) -> Iterator[str]:
    pad = INDENT * depth + INDENT
    yield f"{INDENT * depth}chart {chart.title}{_attributes(('id', chart.id))}"
    yield f"{pad}alt: {chart.alt}"
    yield f"{pad}caption: {chart.caption}"
    for point in chart.points:
        yield f"{pad}point {point.label}: {point.shown} ({point.value!r})"
    if chart.target is not None:
        yield f"{pad}target: {chart.target_shown} ({chart.target!r})"


def _filters(node: Filters, depth: int) -> Iterator[str]:
    pad = INDENT * depth
    yield f"{pad}filters over {node.total} rows"
    for select in node.selects:
        options = " | ".join(f"{option.value!s}={option.label}" for option in select.options)
        yield f"{pad}{INDENT}select[{select.name}] {select.label}: {options}"


def rich_lines(blocks: RichText, heading_base: int, depth: int) -> Iterator[str]:
    """Content rich text, a line per paragraph, heading and list item: 'h3 ...', '1. ...', '- ...'.

    Headings show the outline level they are drawn at (from `heading_base`, as both renderers map them)."""
    yield from _blocks(blocks, heading_levels(blocks, heading_base), depth)


def _blocks(blocks: RichText, levels: dict[int, int], depth: int) -> Iterator[str]:
    pad = INDENT * depth
    for block in blocks:
        if isinstance(block, Paragraph):
            yield pad + spans_text(block.spans)
        elif isinstance(block, Heading):
            yield f"{pad}h{levels.get(block.level, block.level)} {spans_text(block.spans)}"
        elif isinstance(block, ListBlock):
            for number, item in enumerate(block.items, block.start):
                marker = f"{number}." if block.ordered else "-"
                inner = list(_blocks(item.blocks, levels, depth + 1))
                # The item's first block follows its marker; the rest stay indented under it.
                yield f"{pad}{marker} {inner[0].lstrip()}" if inner else f"{pad}{marker}"
                yield from inner[1:]
        elif isinstance(block, Placeholder):
            yield f"{pad}{{{block.name}}}"
        elif isinstance(block, RestrictedBlock):
            yield f"{pad}restricted:"
            yield from _blocks(block.blocks, levels, depth + 1)
        else:
            unreachable(block)


# The marks of a span's look, outermost first; a link is marked inside them all.
_MARKS = (("bold", "**", "**"), ("italic", "*", "*"), ("underline", "<u>", "</u>"),
          ("superscript", "<sup>", "</sup>"))


def spans_text(spans: Iterable[Span]) -> str:
    """Spans as their words with light marks: **bold**, *italic*, <u>underline</u>, <sup>superscript</sup>,
    [text](https://...) for a link and [text](→2.1) for a link to an action.

    A mark covers the whole run of neighbouring spans that share it, and the spaces at a run's ends stay
    outside it, so a bold sentence with a link inside reads '**... Action [1.12](→1.12), below**'."""
    return _marked(tuple(spans), 0)


def _marked(spans: tuple[Span, ...], level: int) -> str:
    if level == len(_MARKS):
        return "".join(_linked(tuple(run)) for _, run in groupby(spans, key=lambda s: (s.href, s.action_ref)))
    name, opening, closing = _MARKS[level]
    out = []
    for on, run in groupby(spans, key=lambda s: bool(getattr(s, name))):
        inner = _marked(tuple(run), level + 1)
        out.append(_wrap(inner, opening, closing) if on else inner)
    return "".join(out)


def _linked(spans: tuple[Span, ...]) -> str:
    # Line breaks inside a span are shown, not made: the dump keeps one node per line.
    text = "".join(s.text for s in spans).replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
    first = spans[0]
    if first.action_ref is not None:
        return _wrap(text, "[", f"](→{first.action_ref})")
    if first.href is not None:
        return _wrap(text, "[", f"]({first.href})")
    return text


def _wrap(text: str, opening: str, closing: str) -> str:
    """'  **words** ': the marks round the words, the spaces at either end outside them."""
    core = text.strip()
    if not core:
        return text
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    return f"{lead}{opening}{core}{closing}{trail}"


def _attributes(*pairs: tuple[str, str]) -> str:
    """' {#id label="Appendix 1:"}': a node's anchors and labels after its words, only those it has."""
    shown = [f"#{value}" if name == "id" else f'{name}="{value}"' for name, value in pairs if value]
    return f" {{{' '.join(shown)}}}" if shown else ""
