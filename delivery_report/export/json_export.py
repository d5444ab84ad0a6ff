"""The plan as one JSON document for a website's infographic; its shape is schemas/report-export.schema.json."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..layout import wording
from ..model import NEW, Kpi, Lifecycle, Measurement, Plan, Recommendation, Responder
from .rows import action_records, rich_plain

if TYPE_CHECKING:
    from ..changes import ChangeSummary

# Changes when the document's shape changes in a way a reader must know about.
SCHEMA_ID = "https://delivery-report.invalid/schemas/report-export/1"


def _number(value: float | None) -> float | None:
    """A whole number as an int (5041, not 5041.0), so the same value is always written the same way."""
    if value is None:
        return None
    return int(value) if value == int(value) else value


def _measurement(measurement: Measurement | None) -> dict[str, Any] | None:
    return None if measurement is None else {"label": measurement.label, "value": _number(measurement.value)}


def _kpi(kpi: Kpi) -> dict[str, Any]:
    return {
        "slug": kpi.slug,
        "title": kpi.title,
        "owner": kpi.owner,
        "priority": kpi.priority,
        "period": kpi.period,
        "unit": kpi.unit,
        "better": kpi.better,
        "comparison": _measurement(kpi.baseline),
        "current": _measurement(kpi.current),
        "values": [_measurement(m) for m in kpi.series],
        "change": _number(kpi.change),
        "percent_change": round(kpi.percent_change, 1) if kpi.percent_change is not None else None,
        "direction": kpi.direction or None,
        "direction_words": wording.kpi_movement(kpi)[1] or None,
        "target": _number(kpi.target),
        "target_met": kpi.target_met,
        "commentary": rich_plain(kpi.commentary),
    }


def _recommendation(rec: Recommendation, labels: Mapping[Responder, str]) -> dict[str, Any]:
    return {
        "number": rec.number,
        "topic": rec.topic,
        "recommendation": rich_plain(rec.recommendation),
        "responses": [{"by": r.by, "label": labels[r.by], "text": rich_plain(r.text)}
                      for r in rec.responses],
        "assessment": rich_plain(rec.assessment),
    }


def report_document(plan: Plan, changes: ChangeSummary | None = None) -> dict[str, Any]:
    """The document as Python values (what render_json writes)."""
    snap = plan.snapshot
    records = action_records(plan, changes)
    by_area: dict[int, list[dict[str, Any]]] = {}
    for record in records:
        action = record.action
        by_area.setdefault(record.area.number, []).append({
            "ref": action.ref,
            "action": record.cells[2],
            "priorities": list(action.priorities),
            "key_aims": list(action.key_aims),
            "due": action.due.raw if action.due else None,
            "due_display": wording.due_words(action.due) if action.due else None,
            "sponsor": list(action.sponsor),
            "lead": list(action.lead),
            "status": record.cells[7],
            "rag": action.rag,
            "rag_previous": changes.previous_rag.get(action.ref, NEW) if changes is not None else None,
            "lifecycle": action.lifecycle,
            "superseded_by": list(action.superseded_by),
            "carried_forward": action.carried_forward,
            "restricted": action.restricted,
        })
    active = [a for a in plan.actions if a.lifecycle == Lifecycle.ACTIVE]
    return {
        "$schema": SCHEMA_ID,
        "as_at": snap.as_at.isoformat(),
        "commit": snap.commit,
        "draft": snap.draft or snap.unfinished,
        "restricted_copy": snap.restricted_copy,
        "compared_with": None if changes is None else {"date": changes.since.isoformat(), "commit": changes.since_commit},
        "plan": {
            "title": plan.info.title,
            "organisation": plan.info.organisation,
            "period": plan.info.period,
            "police_and_crime_plan": plan.info.police_and_crime_plan,
        },
        "priorities": [
            {
                "number": p.number,
                "title": p.title,
                "aims": [{"ref": aim.ref, "text": rich_plain(aim.text),
                          "served": any(aim.ref in a.key_aims for a in active)} for aim in p.aims],
                "active_actions": {
                    rag: sum(1 for a in active if p.number in a.priorities and a.rag_key == rag)
                    for rag in plan.ratings.with_not_assessed
                },
            }
            for p in plan.priorities
        ],
        "areas": [
            {"number": area.number, "title": area.title, "actions": by_area.get(area.number, [])}
            for area in plan.areas
        ],
        "kpis": [_kpi(k) for k in plan.kpis],
        "recommendations": [_recommendation(r, wording.responder_words(plan.info.words)) for r in plan.recommendations],
    }


def render_json(plan: Plan, changes: ChangeSummary | None = None) -> bytes:
    """The JSON bytes: UTF-8, keys in a fixed order, two-space indents, a final newline."""
    return (json.dumps(report_document(plan, changes), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
