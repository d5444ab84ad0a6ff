"""`delivery-report COMMAND`: the subcommands, build as the default, and scripts/*.py as shims of them.

Run in this process (tests/test_packaging.py runs the installed command in a virtual environment)."""

from __future__ import annotations

import contextlib
import gc
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, GitRepo, run_script

from delivery_report import cli
from delivery_report.render.docx.reference import build_reference

# Each script and the command it is a shim of: a script added without a command fails the first test.
SHIMS = {
    "build.py": "build",
    "codeowners.py": "codeowners",
    "import_docx.py": "import",
    "make_reference_docx.py": "reference-docx",
    "new_action.py": "new-action",
    "new_year.py": "new-year",
    "pr_summary.py": "pr-summary",
    "signoff.py": "signoff",
    "update_round.py": "update-round",
}
# An option as a --help lists it, at the start of its line ('  -h, --help', '  --as-at YYYY-MM-DD').
LISTED_OPTION = re.compile(r"^  (?:-[a-z], )?(--[a-z][a-z-]*)", flags=re.M)


def options(help_text: str) -> set[str]:
    """The long options a --help lists."""
    return set(LISTED_OPTION.findall(help_text))


def delivery_report(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`delivery-report ARGS` run from `cwd` (default: the repository), in this process."""
    argv = [str(arg) for arg in args]
    stdout, stderr = io.StringIO(), io.StringIO()
    previous, gc_threshold = Path.cwd(), gc.get_threshold()  # the build tunes the collector for its own process
    os.chdir(cwd or ROOT)
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                code = cli.main(argv)
            except SystemExit as stop:  # argparse: --help, or arguments it refuses
                assert stop.code is None or isinstance(stop.code, int)
                code = stop.code or 0
    finally:
        os.chdir(previous)
        gc.set_threshold(*gc_threshold)
        gc.unfreeze()  # the command freezes what is left before its process would exit: here the tests go on
    return subprocess.CompletedProcess(argv, code, stdout.getvalue(), stderr.getvalue())


def test_every_script_is_a_shim_of_a_command() -> None:
    assert sorted(path.name for path in (ROOT / "scripts").glob("*.py")) == sorted(SHIMS)
    assert set(SHIMS.values()) <= set(cli.COMMANDS)
    for script in SHIMS:
        source = (ROOT / "scripts" / script).read_text(encoding="utf-8")
        # A shim holds no logic of its own: its code is in the package, which pip installs.
        assert "def " not in source and "import argparse" not in source, script


def test_the_overview_lists_every_command() -> None:
    shown = delivery_report("--help")
    assert shown.returncode == 0 and shown.stdout.startswith("usage: delivery-report [COMMAND] [options]\n")
    listed = re.findall(r"^  ([a-z-]+)  ", shown.stdout, flags=re.M)
    assert listed == list(cli.COMMANDS)
    assert delivery_report("-h").stdout == shown.stdout


@pytest.mark.parametrize("command", list(cli.COMMANDS))
def test_every_command_has_its_own_help(command: str) -> None:
    shown = delivery_report(command, "--help")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith(f"usage: delivery-report {command} [-h]")
    assert "show this help message and exit" in shown.stdout


@pytest.mark.parametrize("script", sorted(SHIMS))
def test_each_script_runs_its_command_under_its_own_name(script: str) -> None:
    by_script = run_script(ROOT / "scripts" / script, "--help")
    assert by_script.returncode == 0, by_script.stderr
    assert by_script.stdout.startswith(f"usage: {script} [-h]")
    by_command = delivery_report(SHIMS[script], "--help")
    # The same options (the text is wrapped to the name's width, so it is compared option by option).
    assert options(by_script.stdout) == options(by_command.stdout)
    assert len(options(by_script.stdout)) >= 2  # --help and at least one of the command's own


def test_an_unknown_command_is_refused_with_the_nearest_one(tmp_path: Path) -> None:
    refused = delivery_report("biuld", "--as-at", "2018-04-11", "--out", tmp_path)
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.splitlines() == [
        "usage: delivery-report [COMMAND] [options]",
        "delivery-report: error: 'biuld' is not a command; did you mean 'build'? the commands are build, check, "
        "import, new-action, update-round, signoff, new-year, pr-summary, codeowners, reference-docx ('delivery-report "
        "--help' says what each does)",
    ]
    assert list(tmp_path.iterdir()) == []
    hostile = delivery_report("\x1b[2Jx")
    assert hostile.returncode == 2 and "'\\u001b[2Jx' is not a command" in hostile.stderr


def test_options_first_or_nothing_mean_build(repo_with_content: GitRepo, tmp_path: Path) -> None:
    repo = repo_with_content
    out = tmp_path / "out"
    as_default = delivery_report("--as-at", "2017-03-24", "--out", out, cwd=repo.root)
    assert as_default.returncode == 0, as_default.stderr
    assert sorted(p.name for p in out.iterdir()) == ["report-2017-03-24.docx", "report-2017-03-24.html"]
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    as_build = delivery_report("build", "--as-at", "2017-03-24", "--out", out, cwd=repo.root)
    assert (as_build.returncode, as_build.stdout, as_build.stderr) == (0, as_default.stdout, as_default.stderr)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first
    # Nothing at all: the working tree, into build/, as `python scripts/build.py` alone does.
    bare = delivery_report(cwd=repo.root)
    assert bare.returncode == 0, bare.stderr
    assert sorted(p.name for p in (repo.root / "build").iterdir())[0].startswith("report-")


def test_check_is_build_check(repo_with_content: GitRepo) -> None:
    repo = repo_with_content
    runs = [delivery_report(*args, cwd=repo.root) for args in (["check"], ["build", "--check"], ["--check"])]
    assert runs[0].returncode == 0 and runs[0].stdout.startswith("OK: "), runs[0].stderr
    assert all((r.returncode, r.stdout, r.stderr) == (0, runs[0].stdout, runs[0].stderr) for r in runs)
    # A problem: the same exit code and the same path:line message, whichever way it was asked for.
    action = repo.root / "content/business_areas/02-partnerships/2.1.md"
    action.write_text(action.read_text(encoding="utf-8").replace("rag: ", "rag: Purple #"), encoding="utf-8")
    runs = [delivery_report(*args, cwd=repo.root) for args in (["check"], ["build", "--check"], ["--check"])]
    assert runs[0].returncode == 1 and "content/business_areas/02-partnerships/2.1.md:" in runs[0].stderr
    assert all((r.returncode, r.stdout, r.stderr) == (1, runs[0].stdout, runs[0].stderr) for r in runs)
    assert not (repo.root / "build").exists()


def test_check_help_leaves_out_what_only_shapes_the_written_report_but_takes_it() -> None:
    shown = delivery_report("check", "--help").stdout
    assert options(shown) == {"--help", "--as-at", "--content", "--branch", "--strict", "--restricted", "--since"}
    assert {"--out", "--format", "--audit", "--check"} < options(delivery_report("build", "--help").stdout)
    # A pre-commit hook written for `build --check` may pass them: they are accepted, and nothing is written.
    taken = delivery_report("check", "--as-at", "2018-04-11", "--out", ROOT / "nowhere", "--format", "docx")
    assert taken.returncode == 0, taken.stderr
    assert taken.stdout.startswith("OK: 9 business areas, 67 actions as at 2018-04-11")
    assert not (ROOT / "nowhere").exists()


def test_reference_docx_writes_the_word_styles_where_it_is_told(tmp_path: Path) -> None:
    written = delivery_report("reference-docx", "--out", tmp_path / "styles")
    assert written.returncode == 0, written.stderr
    assert written.stdout == f"wrote {tmp_path / 'styles' / 'reference.docx'}\n"
    assert (tmp_path / "styles" / "reference.docx").read_bytes() == build_reference()
    (tmp_path / "link").symlink_to(tmp_path / "styles")
    refused = delivery_report("reference-docx", "--out", tmp_path / "link")
    assert refused.returncode == 2 and "is a symbolic link" in refused.stderr


@pytest.mark.parametrize("args, code", [
    (["-m", "delivery_report", "--help"], 1),
    (["-m", "delivery_report", "build", "--help"], 0),  # argparse's own help ignores a closed pipe
    ([str(ROOT / "scripts" / "pr_summary.py"), "--base", "HEAD"], 1),
])
def test_a_reader_that_stops_reading_ends_the_command_quietly(args: list[str], code: int) -> None:
    """`delivery-report --help | head -3`: the pipe's reader has gone before the output is written."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        stopped = subprocess.run([sys.executable, *args], stdout=writer, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    finally:
        os.close(writer)
    assert (stopped.returncode, stopped.stderr) == (code, "")
