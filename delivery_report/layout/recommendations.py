"""Appendix 2: the Panel's recommendation monitoring."""

from __future__ import annotations

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
from .wording import RESPONDER_MEANINGS, RESPONDER_WORDS

MONITORING_COLUMNS = (
    Column("Panel Recommendations", 8.2, ColumnKind.RECOMMENDATION),
    Column("Progress Update", 12.5, ColumnKind.PROGRESS),
    Column("Committee Assessment of Progress", 6.0, ColumnKind.ASSESSMENT),
)


def recommendations_part(plan: Plan) -> Part:
    """Appendix 2: a key to who gave each update, then one row per topic."""
    title = Title(2, "Appendix 2: Panel Recommendation Monitoring", id="appendix-2-title", label="Appendix 2:")
    if not plan.recommendations:
        nodes: tuple[Node, ...] = (Line(plain("There are no Panel recommendations to report.")),)
    else:
        key = Key("Key to progress updates – each update starts with who gave it, and is coloured as in the "
                  "Panel's own table:", tuple(KeyItem(by, RESPONDER_WORDS[by], RESPONDER_MEANINGS[by]) for by in Responder),
                  id="responder-key")
        rows = tuple(_recommendation_row(rec) for rec in plan.recommendations)
        nodes = (key, Table("Panel Recommendation Monitoring", MONITORING_COLUMNS, rows, kind=TableKind.RECOMMENDATIONS_TABLE,
                            region_label="Panel Recommendation Monitoring table", size_pt=10))
    return Part("appendix-2", title, nodes, landscape=True, kind=PartKind.APPENDIX,
                contents_label="Appendix 2 – Panel Recommendation Monitoring", labelledby="appendix-2-title")


def _recommendation_row(rec: Recommendation) -> Row:
    topic = Cell((Line(plain(rec.topic, bold=True)), Rich(rec.recommendation)), kind=ColumnKind.RECOMMENDATION)
    progress = Cell(tuple(ResponseBlock(r.by, f"{RESPONDER_WORDS[r.by]}:", r.text) for r in rec.responses), kind=ColumnKind.PROGRESS)
    assessment = Cell((Rich(rec.assessment),) if rec.assessment else (), kind=ColumnKind.ASSESSMENT)
    return Row((topic, progress, assessment), id=f"recommendation-{rec.number}")

