"""Seeded mutations of the real plan's content: a content mistake gives path:line messages, never a traceback."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from conftest import ROOT

from delivery_report.assemble import assemble
from delivery_report.model import Snapshot
from delivery_report.pipeline import render_outputs
from delivery_report.sources import WorkingTree
from delivery_report.validate import validate

SNAPSHOT = Snapshot(as_at=dt.date(2018, 4, 11), commit=None, committed_at=None, draft=True)

# What officers in a web editor plausibly do wrong: lose or repeat a line, break indentation, type a
# stray character, give a field the wrong kind of value, or a value that names nothing.
TOKENS = ["", "-", ":", "'", '"', "[", "]", "{", "}", "*", "**", "&", "|", ">", "#", "\t", "1.10", "1.1",
          "99.1", "x", "yes", "null", "2018-13", "Ongoing", "[1, 2]", "[]", "{a: b}", "- ZZ", "<b>", "++", "^",
          "Action 9.99", "true", "0", "-1", "\u00a0", "\ufeff"]


def _mutate(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    kind = rng.randrange(7)
    if kind == 0:
        del lines[i]
    elif kind == 1:
        lines.insert(i, lines[i])
    elif kind == 2:
        lines[i] = rng.choice(["", " ", "  ", "\t"]) + lines[i].lstrip()
    elif kind == 3:
        at = rng.randrange(len(lines[i]) + 1)
        lines[i] = lines[i][:at] + rng.choice(TOKENS) + lines[i][at:]
    elif kind == 4 and ":" in lines[i]:
        key = lines[i].split(":", 1)[0]
        lines[i] = f"{key}: {rng.choice(TOKENS)}"
    elif kind == 5:
        lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)]
    else:
        lines.insert(i, rng.choice(TOKENS))
    return "\n".join(lines)


def _real_content() -> dict[str, bytes]:
    return WorkingTree(ROOT / "content", "content").read_all()


@pytest.mark.parametrize("seed", range(8))
def test_mutated_content_never_raises(seed: int):
    original = _real_content()
    editable = sorted(p for p in original if p.endswith((".md", ".yaml")))
    rng = random.Random(seed)
    for round_number in range(25):
        files = dict(original)
        for _ in range(rng.randrange(1, 3)):
            path = rng.choice(editable)
            files[path] = _mutate(files[path].decode("utf-8"), rng).encode("utf-8")
        where = f"seed {seed}, round {round_number}"
        plan, issues = assemble(files, "content", SNAPSHOT)
        if plan is not None:
            issues += validate(plan)
        for issue in issues:
            assert issue.path.startswith("content"), f"{where}: {issue}"
            assert issue.line >= 1, f"{where}: {issue}"
            assert issue.message and "Traceback" not in issue.message, f"{where}: {issue}"
        if plan is not None and not issues:
            outputs = render_outputs(plan)
            assert all(outputs.values()), where
