"""Data exports of the plan for Excel and the web: CSV, XLSX and JSON, made from the plan (not the layout).

Public exports are made from `plan.public()` only, exactly like the public report; the restricted
copy's exports (`--restricted`) hold everything, as its DOCX and HTML do, and are marked as it is: the CSV
in a first column on every row, the XLSX in its title, subject and every sheet, the JSON by restricted_copy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Plan

if TYPE_CHECKING:
    from ..changes import ChangeSummary


def export_outputs(view: Plan, changes: ChangeSummary | None, formats: tuple[str, ...], stem: str) -> dict[str, bytes]:
    """File name -> bytes of each export asked for, e.g. report-2018-04-11.csv (pass the plan the report shows)."""
    outputs: dict[str, bytes] = {}
    if "csv" in formats:
        from .csv_export import render_csv

        outputs[f"{stem}.csv"] = render_csv(view, changes)
    if "xlsx" in formats:
        from .xlsx_export import render_xlsx

        outputs[f"{stem}.xlsx"] = render_xlsx(view, changes)
    if "json" in formats:
        from .json_export import render_json

        outputs[f"{stem}.json"] = render_json(view, changes)
    return outputs
