"""Appendix 2: the Panel's recommendation monitoring."""

from __future__ import annotations

from collections.abc import Mapping

from ..model import Plan, Recommendation, Responder
from .nodes import (
    Cell,
    Column,
    ColumnKind,
    Key,
    KeyItem,
    Line,
    Node,
    Part,
    PartKind,
    ResponseBlock,
    Rich,
    Row,
    Table,
    TableKind,
    Title,
    plain,
)
from .wording import responder_meanings, responder_words

MONITORING_COLUMNS = (
    Column("Panel Recommendations", 8.2, ColumnKind.RECOMMENDATION),
    Column("Progress Update", 12.5, ColumnKind.PROGRESS),
    Column("Committee Assessment of Progress", 6.0, ColumnKind.ASSESSMENT),
)


def recommendations_part(plan: Plan) -> Part:
    """Appendix 2: a key to who gave each update, then one row per topic."""
    heading = plan.info.words.recommendations_heading
    title = Title(2, f"Appendix 2: {heading}", id="appendix-2-title", label="Appendix 2:")
    if not plan.recommendations:
        nodes: tuple[Node, ...] = (Line(plain("There are no Panel recommendations to report.")),)
    else:
        labels, meanings = responder_words(plan.info.words), responder_meanings(plan.info.words)
        key = Key("Key to progress updates – each update starts with who gave it, and is coloured as in the "
                  "Panel's own table:", tuple(KeyItem(by, labels[by], meanings[by]) for by in Responder),
                  id="responder-key")
        rows = tuple(_recommendation_row(rec, labels) for rec in plan.recommendations)
        nodes = (key, Table(heading, MONITORING_COLUMNS, rows, kind=TableKind.RECOMMENDATIONS_TABLE,
                            region_label=f"{heading} table", size_pt=10))
    return Part("appendix-2", title, nodes, landscape=True, kind=PartKind.APPENDIX,
                contents_label=f"Appendix 2 – {heading}", labelledby="appendix-2-title")


def _recommendation_row(rec: Recommendation, labels: Mapping[Responder, str]) -> Row:
    topic = Cell((Line(plain(rec.topic, bold=True)), Rich(rec.recommendation)), kind=ColumnKind.RECOMMENDATION)
    progress = Cell(tuple(ResponseBlock(r.by, f"{labels[r.by]}:", r.text) for r in rec.responses), kind=ColumnKind.PROGRESS)
    assessment = Cell((Rich(rec.assessment),) if rec.assessment else (), kind=ColumnKind.ASSESSMENT)
    return Row((topic, progress, assessment), id=f"recommendation-{rec.number}")

