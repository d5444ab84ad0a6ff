"""The report's structure and wording, decided once: what both renderers draw.

`build_layout(plan)` turns a (public or restricted-copy) plan into a `Report`: parts, sections,
headings, lines of generated wording, content rich text, and tables with their columns and rows.
`render/docx` and `render/html` only draw these nodes; neither decides wording, order or which
columns exist, so the two outputs cannot say different things (tests/test_parity.py checks it).

nodes.py holds the node types; wording.py how values are put into words; one module per part of the
report builds its nodes (cover, plan_tables, recommendations, measures, progress, changes, contents),
and report.py puts the parts in order.

Content rich text (model.RichText) is passed through as it is: walking every span again here would
add a pass over the largest part of the plan for nothing. Only the cover report's placeholders are
filled, and only there (elsewhere a placeholder is a content error, reported by validation).
"""

from .nodes import (
    Cell,
    CellContent,
    Chart,
    ChartPoint,
    Column,
    ColumnKind,
    Contents,
    ContentsEntry,
    DocumentProperties,
    FilterOption,
    Filters,
    FilterSelect,
    Group,
    GroupKind,
    Key,
    KeyItem,
    Line,
    Node,
    Part,
    PartKind,
    People,
    PersonRef,
    Report,
    ResponseBlock,
    Rich,
    Role,
    Row,
    Section,
    SectionKind,
    Table,
    TableKind,
    Title,
    heading_levels,
    plain,
)
from .report import build_layout

__all__ = [
    "Cell", "CellContent", "Chart", "ChartPoint", "Column", "ColumnKind", "Contents", "ContentsEntry",
    "DocumentProperties", "FilterOption", "FilterSelect", "Filters", "Group", "GroupKind", "Key", "KeyItem", "Line",
    "Node", "Part", "PartKind", "People", "PersonRef", "Report", "ResponseBlock", "Rich", "Role", "Row", "Section",
    "SectionKind", "Table", "TableKind", "Title", "build_layout", "heading_levels", "plain",
]
