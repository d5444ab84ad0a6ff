"""Appendix 3: performance measures, each with its trend chart and values per period."""

from __future__ import annotations

from ..model import Kpi, Plan
from .nodes import (
    Cell,
    CellContent,
    Chart,
    ChartPoint,
    Column,
    ColumnKind,
    Line,
    Node,
    Part,
    PartKind,
    Rich,
    Role,
    Row,
    Section,
    SectionKind,
    Table,
    TableKind,
    Title,
    plain,
    text_cell,
)
from .wording import AXIS_LABELS, change_words, kpi_movement, measure_value, target_words


def kpi_part(plan: Plan) -> Part:
    """Appendix 3: one row per measure (a target column when any measure has a target), then each trend."""
    with_target = any(k.target is not None for k in plan.kpis)
    columns = [Column("Measure", 5.0, ColumnKind.MEASURE), Column("Period", 3.0, ColumnKind.PERIOD),
               Column("Comparison", 2.7, ColumnKind.NUMBER), Column("Current", 2.4, ColumnKind.NUMBER),
               Column("Change", 2.6, ColumnKind.NUMBER)]
    if with_target:
        columns.append(Column("Target", 2.6, ColumnKind.TARGET))
    columns += [Column("Direction of travel", 2.6, ColumnKind.DIRECTION),
                Column("Commentary", 8.4 - (2.6 if with_target else 0), ColumnKind.COMMENTARY)]
    rows = tuple(_kpi_row(kpi, with_target) for kpi in plan.kpis)
    nodes: list[Node] = [Table("Performance measures", tuple(columns), rows, kind=TableKind.KPI_TABLE,
                               region_label="Performance measures table", size_pt=10)]
    nodes.extend(kpi_trend_section(kpi) for kpi in plan.kpis if len(kpi.series) >= 2)
    return Part("appendix-3", Title(2, "Appendix 3: Performance measures", id="appendix-3-title", label="Appendix 3:"),
                tuple(nodes), landscape=True, kind=PartKind.APPENDIX, contents_label="Appendix 3 – Performance measures",
                labelledby="appendix-3-title")


def _kpi_row(kpi: Kpi, with_target: bool) -> Row:
    measure: list[CellContent] = [Line(plain(kpi.title, bold=True))]
    if kpi.owner:
        measure.append(Line(plain(kpi.owner)))
    baseline = (Line(plain(measure_value(kpi, kpi.baseline.value))), Line(plain(kpi.baseline.label), role=Role.MEASURE_LABEL)) \
        if kpi.baseline else ()
    current = (Line(plain(measure_value(kpi, kpi.current.value))), Line(plain(kpi.current.label), role=Role.MEASURE_LABEL))
    cells = [Cell(tuple(measure), kind=ColumnKind.MEASURE), text_cell(kpi.period, ColumnKind.PERIOD),
             Cell(baseline, kind=ColumnKind.NUMBER), Cell(current, kind=ColumnKind.NUMBER), text_cell(change_words(kpi), ColumnKind.NUMBER)]
    if with_target:
        target: tuple[CellContent, ...] = ()
        if kpi.target is not None:
            target = (Line(plain(measure_value(kpi, kpi.target))),
                      Line(plain(target_words(kpi), bold=True), role=Role.TARGET_STATUS))
        cells.append(Cell(target, kind=ColumnKind.TARGET))
    arrow, words = kpi_movement(kpi)
    direction = f"{arrow} {words}" if arrow else "No comparison"
    cells.append(text_cell(direction, ColumnKind.DIRECTION))
    cells.append(Cell((Rich(kpi.commentary),) if kpi.commentary else (), kind=ColumnKind.COMMENTARY))
    attrs = [("data-direction", kpi.direction or "none")]
    if kpi.target is not None:
        attrs.append(("data-target-met", "yes" if kpi.target_met else "no"))
    return Row(tuple(cells), id=f"kpi-{kpi.slug}", attrs=tuple(attrs))


def kpi_chart(kpi: Kpi) -> Chart:
    """A measure's trend chart, with a text alternative that states every figure and the direction of travel."""
    points = tuple(ChartPoint(m.label, m.value, measure_value(kpi, m.value)) for m in kpi.series)
    better = "lower is better" if kpi.better == "lower" else "higher is better"
    figures = "; ".join(f"{p.label}: {p.shown}" for p in points)
    alt = f"Bar chart of {kpi.title} over {len(points)} periods ({better}). {figures}."
    _arrow, words = kpi_movement(kpi)
    if words and kpi.baseline is not None:
        alt += f" From {kpi.baseline.label} to {kpi.current.label}: {words}, {change_words(kpi)}."
    if kpi.target is not None:
        alt += f" Target {measure_value(kpi, kpi.target)}: {target_words(kpi).lower().removeprefix('target ')}."
    caption = f"Chart: {kpi.title}, {points[0].label} to {points[-1].label} ({better}); the figures are in the table below."
    return Chart(id=f"kpi-chart-{kpi.slug}", title=kpi.title, alt=alt, caption=caption, points=points,
                 target=kpi.target, target_shown=measure_value(kpi, kpi.target) if kpi.target is not None else "",
                 axis_label=AXIS_LABELS[kpi.unit])


def kpi_trend_section(kpi: Kpi) -> Section:
    """'Trend: <measure>': the chart, then the same figures as a table."""
    rows = tuple(
        Row((text_cell(m.label, ColumnKind.PERIOD), text_cell(measure_value(kpi, m.value), ColumnKind.NUMBER)),
            attrs=(("data-value", f"{m.value:g}"),))
        for m in kpi.series
    )
    table = Table(f"Values per period – {kpi.title}", (Column("Period", 8.0, ColumnKind.PERIOD), Column("Value", 3.0, ColumnKind.NUMBER)),
                  rows, kind=TableKind.KPI_VALUES, id=f"kpi-values-{kpi.slug}", size_pt=10)
    title = Title(3, f"Trend: {kpi.title}", id=f"kpi-trend-{kpi.slug}-title")
    return Section(f"kpi-trend-{kpi.slug}", title, (kpi_chart(kpi), table), kind=SectionKind.KPI_TREND)

