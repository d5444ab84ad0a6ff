"""The change summary between two versions of the plan: every kind, every previous RAG, overdue, restricted."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import FIXTURES

from delivery_report.changes import CHANGE_KINDS, RagMovement, compare, rag_movement
from delivery_report.layout.wording import (
    MOVEMENT_ARROWS,
    change_values,
    movement_spoken,
    movement_words,
    short_date,
    short_title,
)
from delivery_report.model import DEFAULT_SCALE, NEW, NOT_ASSESSED, Plan, Snapshot
from delivery_report.reading import plan_from_files

SINCE = dt.date(2017, 11, 7)
AS_AT = dt.date(2018, 4, 11)
AREA1 = "business_areas/01-communications"


def fixture_files() -> dict[str, bytes]:
    """The minimal fixture content as a content folder's files."""
    root = FIXTURES / "minimal" / "content"
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def action_file(ref: str, rag: str | None, due: str = "2018-03", extra: str = "", body: str = "- status") -> bytes:
    """An action file with the given fields."""
    rag_line = f"rag: {rag}\n" if rag else ""
    return (f'---\nref: "{ref}"\naction: Action number {ref}.\ndue: {due}\nsponsor: PCC\nlead: SM\n'
            f"{rag_line}{extra}---\n{body}\n").encode()


def plan(files: dict[str, bytes], day: dt.date) -> Plan:
    """Assemble and validate files as the build does."""
    return plan_from_files(files, "content", Snapshot(as_at=day))


def two_plans(before_edits: dict[str, bytes | None], after_edits: dict[str, bytes | None]) -> tuple[Plan, Plan]:
    """The fixture plan with edits applied (None removes a file), before and after."""
    def edited(edits: dict[str, bytes | None]) -> dict[str, bytes]:
        files = fixture_files()
        for rel, data in edits.items():
            if data is None:
                files.pop(rel, None)
            else:
                files[rel] = data
        return files
    return plan(edited(before_edits), SINCE), plan(edited(after_edits), AS_AT)


def test_every_previous_rag_value_and_its_words():
    rags = {"1.5": "red", "1.6": "amber", "1.7": "green", "1.8": "white", "1.9": "complete", "1.11": None}
    before = {f"{AREA1}/{ref}.md": action_file(ref, rag) for ref, rag in rags.items()}
    after = dict(before)
    after[f"{AREA1}/1.5.md"] = action_file("1.5", "amber")      # red -> amber: improved
    after[f"{AREA1}/1.6.md"] = action_file("1.6", "red")        # amber -> red: worsened
    after[f"{AREA1}/1.8.md"] = action_file("1.8", "green")      # white -> green: changed
    after[f"{AREA1}/1.12.md"] = action_file("1.12", "green")    # new
    old, new = two_plans(before, after)
    summary = compare(old.public(), new.public(), SINCE, AS_AT)

    assert summary.previous_rag["1.5"] == "red"
    assert summary.previous_rag["1.6"] == "amber"
    assert summary.previous_rag["1.7"] == "green"
    assert summary.previous_rag["1.8"] == "white"
    assert summary.previous_rag["1.9"] == "complete"
    assert summary.previous_rag["1.11"] == "none"
    assert summary.previous_rag["1.12"] == "new"
    assert set(summary.previous_rag.values()) == {*DEFAULT_SCALE.ids, NOT_ASSESSED, NEW}

    moves = {a.ref: summary.movement(a) for a in new.actions}
    assert in_words(moves["1.5"]) == ("Red → Amber", "improved since 7 Nov 2017", "↑")
    assert in_words(moves["1.6"]) == ("Amber → Red", "worsened since 7 Nov 2017", "↓")
    assert in_words(moves["1.7"]) == ("Green", "unchanged since 7 Nov 2017", "")
    assert in_words(moves["1.8"]) == ("White → Green", "changed since 7 Nov 2017", "")
    assert in_words(moves["1.12"]) == ("New", "new since 7 Nov 2017", "")
    assert in_words(moves["1.11"])[1] == "unchanged since 7 Nov 2017"


def in_words(movement: RagMovement) -> tuple[str, str, str]:
    """A movement as the R/A/G cell words it: the move, the direction since the last report, the arrow."""
    return movement_words(movement, DEFAULT_SCALE), movement_spoken(movement, SINCE), MOVEMENT_ARROWS[movement.direction]


def test_movement_words_for_completion_and_dates():
    assert in_words(rag_movement("amber", "complete", DEFAULT_SCALE)) == ("Amber → Complete", "improved since 7 Nov 2017", "↑")
    assert in_words(rag_movement("green", "none", DEFAULT_SCALE)) == ("Green → Not assessed", "changed since 7 Nov 2017", "")
    assert in_words(rag_movement("none", "complete", DEFAULT_SCALE))[1] == "improved since 7 Nov 2017"
    assert in_words(rag_movement("white", "complete", DEFAULT_SCALE))[2] == "↑"
    assert in_words(rag_movement("white", "red", DEFAULT_SCALE))[1] == "changed since 7 Nov 2017"
    assert in_words(rag_movement("complete", "amber", DEFAULT_SCALE))[1] == "worsened since 7 Nov 2017"
    assert short_date(dt.date(2019, 3, 5)) == "5 Mar 2019"


def test_every_kind_of_change_with_counts():
    before = {
        f"{AREA1}/1.5.md": action_file("1.5", "amber"),
        f"{AREA1}/1.6.md": action_file("1.6", "green"),
        f"{AREA1}/1.7.md": action_file("1.7", "green"),
        f"{AREA1}/1.8.md": action_file("1.8", "amber"),
        f"{AREA1}/1.9.md": action_file("1.9", "green"),
        f"{AREA1}/1.11.md": action_file("1.11", "green"),
        f"{AREA1}/1.13.md": action_file("1.13", "green"),
    }
    after = {
        f"{AREA1}/1.5.md": action_file("1.5", "complete"),
        f"{AREA1}/1.6.md": action_file("1.6", "amber"),
        f"{AREA1}/1.7.md": action_file("1.7", "green", due="2018-06"),
        f"{AREA1}/1.8.md": action_file("1.8", "amber").replace(b"sponsor: PCC", b"sponsor: DPCC").replace(b"lead: SM", b"lead: CH"),
        f"{AREA1}/1.9.md": action_file("1.9", "green", extra='status: superseded\nsuperseded_by: ["1.12"]\n'),
        f"{AREA1}/1.11.md": action_file("1.11", "green", extra="status: deleted\n"),
        f"{AREA1}/1.12.md": action_file("1.12", "white"),
        f"{AREA1}/1.13.md": action_file("1.13", "green", extra='carried_forward: "1.4"\n'),
    }
    old, new = two_plans(before, after)
    summary = compare(old.public(), new.public(), SINCE, AS_AT)
    found = {(i.kind, i.ref, *change_values(i, DEFAULT_SCALE)) for i in summary.items}
    assert ("completed", "1.5", "Amber", "Complete") in found
    assert ("rag_moved", "1.6", "Green", "Amber") in found
    assert ("due_moved", "1.7", "Mar 2018", "Jun 2018") in found
    assert ("sponsor_changed", "1.8", "PCC", "DPCC") in found
    assert ("lead_changed", "1.8", "SM", "CH") in found
    assert ("superseded", "1.9", "active", "1.12") in found
    assert ("deleted", "1.11", "active", "deleted") in found
    assert ("new", "1.12", "", "White") in found
    assert ("carried_forward", "1.13", "", "1.4") in found
    assert {kind for kind, *_ in found} == set(CHANGE_KINDS)
    assert all(summary.counts[kind] == len(summary.of_kind(kind)) for kind in CHANGE_KINDS)
    # The completed action is not also counted as a RAG move.
    assert not [i for i in summary.of_kind("rag_moved") if i.ref == "1.5"]
    assert short_title(summary.items[0].action) == "Action number 1.12."


def test_a_removed_file_is_reported_deleted():
    old, new = two_plans({f"{AREA1}/1.5.md": action_file("1.5", "green")}, {})
    summary = compare(old, new, SINCE, AS_AT)
    assert [(i.kind, i.ref, change_values(i, DEFAULT_SCALE)[1]) for i in summary.of_kind("deleted")] == [
        ("deleted", "1.5", "removed from the plan")]


@pytest.mark.parametrize(
    ("due", "rag", "extra", "as_at", "expected"),
    [
        ("2018-03", "amber", "", dt.date(2018, 3, 31), False),   # the due month has not ended
        ("2018-03", "amber", "", dt.date(2018, 4, 1), True),     # ended the day before
        ("2017-12", "green", "", dt.date(2018, 1, 1), True),     # year boundary
        ("2018-03", "complete", "", dt.date(2018, 4, 11), False),
        ("2018-03", "amber", "status: deleted\n", dt.date(2018, 4, 11), False),
        ("Ongoing", "amber", "", dt.date(2018, 4, 11), False),
        ("2018-03", "amber", 'carried_forward: "1.2"\n', dt.date(2018, 4, 11), False),
    ],
)
def test_overdue(due, rag, extra, as_at, expected):
    files = fixture_files()
    files[f"{AREA1}/1.5.md"] = action_file("1.5", rag, due=due, extra=extra)
    action = plan(files, as_at).action("1.5")
    assert action is not None
    assert action.is_overdue(as_at, DEFAULT_SCALE) is expected


def test_overdue_actions_are_listed_and_counted():
    old, new = two_plans({}, {f"{AREA1}/1.5.md": action_file("1.5", "amber", due="2018-01")})
    summary = compare(old.public(), new.public(), SINCE, AS_AT)
    assert "1.5" in summary.overdue
    assert summary.counts["overdue"] == len(summary.overdue)


def test_restricted_action_never_appears_in_the_public_summary():
    secret = "business_areas/02-partnerships/2.2.md"
    changed = fixture_files()[secret].replace(b"rag: green", b"rag: red").replace(b"due: 2018-01", b"due: 2018-09")
    old, new = two_plans({}, {secret: changed, f"{AREA1}/1.5.md": action_file("1.5", "green", extra="restricted: true\n")})
    summary = compare(old.public(), new.public(), SINCE, AS_AT)
    assert not [i for i in summary.items if i.ref in ("2.2", "1.5")]
    assert "2.2" not in summary.previous_rag and "1.5" not in summary.previous_rag
    assert "2.2" not in summary.overdue
    # The unfiltered comparison (the internal restricted copy) does see it.
    assert [i.ref for i in compare(old, new, SINCE, AS_AT).items if i.ref == "2.2"]


def test_summary_is_frozen():
    old, new = two_plans({}, {})
    summary = compare(old.public(), new.public(), SINCE, AS_AT)
    with pytest.raises(TypeError):
        summary.previous_rag["1.3"] = "red"  # type: ignore[index]
