"""The GitHub workflows (issue 19, part 9): every action pinned to a full commit hash with its release in a
comment, no git credentials kept after the checkout, and zizmor's security audit finding nothing high
or medium. zizmor runs offline (as in .ci/run): its online audits would need GitHub."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sysconfig
from pathlib import Path
from typing import Any

import yaml
from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
# `uses: owner/repo@<40 hex digits> # vX.Y.Z`: the hash is what runs, the comment what a person and
# Dependabot read (Dependabot updates both together).
PINNED = re.compile(r"^\s*(?:-\s+)?uses:\s+[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def zizmor() -> str:
    """zizmor as the test extra installed it, next to this Python's scripts even when the virtual
    environment is not activated."""
    found = shutil.which("zizmor", path=os.pathsep.join([sysconfig.get_path("scripts"), os.environ.get("PATH", "")]))
    assert found, "zizmor is missing: pip install -e '.[test]' installs it"
    return found


def zizmor_findings(folder: Path) -> list[dict[str, Any]]:
    """zizmor's findings (regular persona, offline) for every workflow, Dependabot and pre-commit file under folder."""
    result = subprocess.run([zizmor(), "--offline", "--no-progress", "--format=json", "."], cwd=folder,
                            capture_output=True, text=True, check=False, timeout=300)
    # Exit codes: 0 nothing found, 10-14 findings by highest severity; anything else is zizmor failing.
    assert result.returncode in (0, *range(10, 15)), result.stderr
    findings: list[dict[str, Any]] = json.loads(result.stdout)
    return findings


def severities(findings: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return sorted((f["determinations"]["severity"], f["ident"]) for f in findings)


def test_zizmor_finds_nothing_high_or_medium() -> None:
    findings = zizmor_findings(ROOT)
    serious = [(f["ident"], f["desc"], f["locations"][0]["symbolic"]["key"])
               for f in findings if f["determinations"]["severity"] in ("High", "Medium")]
    assert serious == [], serious


def test_zizmor_reports_an_unpinned_action_and_kept_credentials(tmp_path: Path) -> None:
    """The control for the test above: zizmor reads this repository's workflow, and a tag instead of a hash,
    or a checkout that keeps its credentials, is a finding it reports."""
    shutil.copytree(ROOT / ".github", tmp_path / ".github")
    workflow = tmp_path / ".github" / "workflows" / "report.yml"
    text = workflow.read_text(encoding="utf-8")
    unpinned = re.sub(r"actions/checkout@[0-9a-f]{40} # (v\d+)\.\d+\.\d+", r"actions/checkout@\1", text)
    unpinned = re.sub(r"\n\s*persist-credentials: false", "", unpinned)
    assert unpinned.count("\n") < text.count("\n") and "actions/checkout@v" in unpinned
    workflow.write_text(unpinned, encoding="utf-8")
    assert severities(zizmor_findings(tmp_path)) == [("High", "unpinned-uses"), ("Medium", "artipacked")]


def test_every_action_is_pinned_to_a_commit_with_its_release_in_a_comment() -> None:
    lines = [line for path in sorted(WORKFLOWS.glob("*.yml"))
             for line in path.read_text(encoding="utf-8").splitlines() if re.match(r"^\s*(-\s+)?uses:", line)]
    assert len(lines) >= 3
    assert [line for line in lines if not PINNED.match(line)] == []


def test_the_checkout_keeps_no_credentials_and_dependabot_updates_the_pins() -> None:
    checkouts = [step for path in sorted(WORKFLOWS.glob("*.yml"))
                 for job in yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"].values()
                 for step in job["steps"] if step.get("uses", "").startswith("actions/checkout@")]
    assert checkouts and all(step["with"]["persist-credentials"] is False for step in checkouts)
    dependabot = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    assert [update["package-ecosystem"] for update in dependabot["updates"]] == ["github-actions"]
