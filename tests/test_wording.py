"""Supersede wording (issue 8): only actions of the same business area are merged into one sentence,
and the replacement is said to stand above, below or in another business area, correctly."""

from __future__ import annotations

import dataclasses

from test_html import sample_plan

from delivery_report.assemble import default_words
from delivery_report.layout.wording import lifecycle_wording
from delivery_report.model import Action, OfficeWords, Plan


def _with(plan: Plan, *changed: Action) -> Plan:
    """The plan with some actions replaced (same ref) or added at the end of their area."""
    by_ref = {a.ref: a for a in changed}
    areas = []
    for area in plan.areas:
        actions = [by_ref.pop(a.ref, a) for a in area.actions]
        actions += [a for ref, a in list(by_ref.items()) if a.area_number == area.number and by_ref.pop(ref)]
        areas.append(dataclasses.replace(area, actions=tuple(actions)))
    return dataclasses.replace(plan, areas=tuple(areas))


def test_same_area_actions_are_merged_and_the_replacement_is_below() -> None:
    plan = sample_plan()
    one_one = plan.action("1.1")
    assert one_one is not None
    assert lifecycle_wording(one_one, plan) == (
        "Actions 1.1 & 1.2 now merged and superseded by a new replacement Action 1.12, below")


def test_an_action_of_another_area_is_told_on_its_own_and_where_the_replacement_is() -> None:
    plan = sample_plan()
    two_two = plan.action("2.2")
    assert two_two is not None
    plan = _with(plan, dataclasses.replace(two_two, lifecycle="superseded", superseded_by=("1.12",), rag=None))
    moved = plan.action("2.2")
    one_one = plan.action("1.1")
    assert moved is not None and one_one is not None
    assert lifecycle_wording(moved, plan) == (
        "Action 2.2 now superseded by a new replacement Action 1.12, in Business Area 1")
    # ... and 1.1's sentence still names only its own area's actions.
    assert lifecycle_wording(one_one, plan) == (
        "Actions 1.1 & 1.2 now merged and superseded by a new replacement Action 1.12, below")


def test_a_replacement_above_is_said_to_be_above() -> None:
    plan = sample_plan()
    late = Action(ref="1.13", area_number=1, text=(), lifecycle="superseded", superseded_by=("1.3",))
    plan = _with(plan, late)
    action = plan.action("1.13")
    assert action is not None
    assert lifecycle_wording(action, plan) == "Action 1.13 now superseded by a new replacement Action 1.3, above"


def test_several_replacements_are_joined_and_each_linked() -> None:
    from delivery_report.layout.wording import lifecycle_spans, superseded_groups

    plan = sample_plan()
    late = Action(ref="1.13", area_number=1, text=(), lifecycle="superseded", superseded_by=("1.3", "1.12"))
    plan = _with(plan, late)
    action = plan.action("1.13")
    assert action is not None
    spans = lifecycle_spans(action, plan, plan.areas[0], superseded_groups(plan))
    assert "".join(s.text for s in spans) == (
        "Action 1.13 now superseded by a new replacement Actions 1.3 & 1.12, above")
    assert [s.action_ref for s in spans if s.action_ref] == ["1.3", "1.12"]


def test_a_vocabulary_member_without_its_wording_stops_the_import() -> None:
    """Every closed vocabulary's wording is a `for_every` table: a member added without its words is an
    error when the module loads (and names the member), never a bare value printed in the report."""
    import pytest

    from delivery_report.model import Lifecycle, for_every

    with pytest.raises(TypeError, match="Lifecycle has no entry for DELETED"):
        for_every(Lifecycle, {Lifecycle.ACTIVE: "Active", Lifecycle.SUPERSEDED: "Superseded"})


def _thames_valley_words() -> OfficeWords:
    return default_words({"organisation": "Office of the Police & Crime Commissioner for Thames Valley",
                          "police_and_crime_plan": "Police and Crime Plan 2017-2021"})


def test_every_word_of_every_vocabulary_has_its_wording() -> None:
    """Each closed vocabulary's words, looked up member by member: none missing, none empty where printed."""
    from delivery_report import prsummary
    from delivery_report.changes import ChangeKind, Direction
    from delivery_report.layout import colours, wording
    from delivery_report.layout.wording import count_words
    from delivery_report.model import DEFAULT_SCALE, Lifecycle, Responder, Trend

    printed = {
        Lifecycle: (wording.LIFECYCLE_WORDS,),
        Responder: (wording.responder_words(_thames_valley_words()), wording.responder_meanings(_thames_valley_words()),
                    colours.RESPONDER_COLOURS),
        ChangeKind: (wording.KIND_HEADINGS, prsummary._ROW_LABELS),
        Direction: (wording.DIRECTION_WORDS,),
        Trend: (wording.TREND_WORDS,),
    }
    for vocabulary, tables in printed.items():
        for table in tables:
            assert set(table) == set(vocabulary), (vocabulary.__name__, table)
            assert all(table[member] for member in vocabulary), (vocabulary.__name__, table)
    assert [count_words(2, kind) for kind in ChangeKind][:2] == ["2 new actions", "2 completed"]
    assert all(count_words(1, kind) for kind in ChangeKind)
    # Tables where some members have nothing to show, on purpose.
    assert set(wording.MOVEMENT_ARROWS) == set(Direction)
    # Every rating of the default scale has its word, its fill and its meaning; the RAG key explains each once.
    assert [look.id for look in colours.rating_fills(DEFAULT_SCALE)] == list(DEFAULT_SCALE.ids)
    assert all(r.label and r.meaning and r.colour for r in DEFAULT_SCALE.ratings)
    assert sorted(r.id for r in DEFAULT_SCALE.key_order) == sorted(DEFAULT_SCALE.ids)


def test_month_names_are_spelt_only_in_the_wording_module() -> None:
    """No code outside layout/wording.py spells a month (docstrings and comments may give examples):
    every date the report, the exports or a script prints is worded there, in fixed English."""
    import ast
    import re
    from pathlib import Path

    month = re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|November|December"
                       r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b")
    package = Path(__file__).resolve().parents[1] / "delivery_report"
    # The audit page words its dates with layout.wording too: records.py no longer keeps a table of its own.
    allowed = {"layout/wording.py"}
    found = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and node.body
                      and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
                    and month.search(node.value)):
                found.append(f"{path.relative_to(package).as_posix()}:{node.lineno}")
    assert len(found) > 2 and {place.split(":")[0] for place in found} == allowed, found


def test_the_audit_page_words_its_dates_as_the_report_does() -> None:
    """The audit page takes its dates from layout.wording: no second copy in records.py or the model."""
    import datetime as dt

    from delivery_report import records
    from delivery_report.layout.wording import as_at_words, date_in_words, datetime_in_words
    from delivery_report.model import Snapshot

    assert not hasattr(records, "date_in_words") and not hasattr(Snapshot, "as_at_words")
    for month in range(1, 13):
        day = dt.date(2018, month, 9)
        assert date_in_words(day) == as_at_words(Snapshot(day))
    assert date_in_words(dt.date(2018, 4, 11)) == as_at_words(Snapshot(dt.date(2018, 4, 11))) == "11 April 2018"
    summer = dt.datetime(2018, 4, 10, 8, 0, tzinfo=dt.timezone.utc)
    assert datetime_in_words(summer) == "10 April 2018, 09:00"  # British Summer Time
