"""Supersede wording (issue 8): only actions of the same business area are merged into one sentence,
and the replacement is said to stand above, below or in another business area, correctly."""

from __future__ import annotations

import dataclasses

from test_html import sample_plan

from delivery_report.layout.wording import lifecycle_wording
from delivery_report.model import Action, Plan


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
