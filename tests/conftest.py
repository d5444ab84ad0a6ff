"""Shared fixtures: content trees copied from tests/fixtures and real git repositories with fixed dates."""

from __future__ import annotations

import contextlib
import gc
import io
import os
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# Property-based tests (tests/test_properties.py): a fixed seed and a bounded budget in CI, a long
# exploration on demand with `python -m pytest tests/test_properties.py --hypothesis-profile=long`.
settings.register_profile("ci", max_examples=300, derandomize=True, deadline=None, database=None,
                          print_blob=True)
settings.register_profile("long", max_examples=5000, derandomize=False, deadline=None, database=None,
                          print_blob=True)
settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BUILD_SCRIPT = ROOT / "scripts" / "build.py"
# The audit's cache between runs (delivery_report/blobcache.py) is off in tests, so no test depends on what
# an earlier one left in ~/.cache; tests/test_audit.py turns it on in a folder of its own to test it.
os.environ["DELIVERY_REPORT_CACHE"] = "off"
# Builds leave the DOCX's Contents page numbers for Word to fill in (as --no-page-numbers), not run LibreOffice for
# every DOCX; tests/test_contents_pages.py and the real plan's publication tests turn it back on.
os.environ["DELIVERY_REPORT_PAGE_NUMBERS"] = "off"


class GitRepo:
    """A git repository in tmp_path whose commits carry the dates the test gives."""

    def __init__(self, root: Path):
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, date: str | None = None, env: dict[str, str] | None = None) -> str:
        environment = {
            **os.environ,
            "GIT_AUTHOR_NAME": "Test Officer",
            "GIT_AUTHOR_EMAIL": "officer@example.invalid",
            "GIT_COMMITTER_NAME": "Test Officer",
            "GIT_COMMITTER_EMAIL": "officer@example.invalid",
            "GIT_CONFIG_NOSYSTEM": "1",
            "HOME": str(self.root),
        }
        if date:
            environment["GIT_AUTHOR_DATE"] = date
            environment["GIT_COMMITTER_DATE"] = date
        environment.update(env or {})
        result = subprocess.run(["git", *args], cwd=self.root, env=environment, capture_output=True, text=True,
                                check=True)
        return result.stdout

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def commit_all(self, message: str, date: str) -> str:
        """Commit everything with author and committer date `date` (ISO 8601 with offset)."""
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, date=date)
        return self.git("rev-parse", "HEAD").strip()


def run_script(script: Path, *args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run one of scripts/*.py as `python script args` run from `cwd` (default: the repository) would, and
    capture its exit code and what it prints.

    It runs in this process (runpy, as `__main__`, with sys.argv set), saving the start of an interpreter and
    the imports, a third of a second or more, on each of the suite's many commands. What it prints is what
    the process would write: standard output must encode as UTF-8 (a process would fail on a lone surrogate),
    and standard error escapes what does not, as Python's stderr does. An uncaught exception fails the test
    with its traceback. Use run_build_process where the separate process is the point (the same bytes from
    another process, whose hash seed differs) or where the test sets the process's environment."""
    argv = [str(script), *map(str, args)]
    stdout, stderr = io.StringIO(), io.StringIO()
    saved_argv, gc_threshold = sys.argv, gc.get_threshold()  # cli.main tunes the collector for a one-build process
    previous = Path.cwd()
    os.chdir(cwd or ROOT)
    sys.argv = argv
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                runpy.run_path(str(script), run_name="__main__")
                code = 0
            except SystemExit as stop:
                if stop.code is None or isinstance(stop.code, int):
                    code = stop.code or 0
                else:  # sys.exit("message"): Python prints it and exits 1
                    print(stop.code, file=sys.stderr)
                    code = 1
    finally:
        sys.argv = saved_argv
        os.chdir(previous)
        gc.set_threshold(*gc_threshold)
        gc.unfreeze()  # the command freezes what is left before its process would exit: here the tests go on
    out = stdout.getvalue()
    out.encode("utf-8")
    err = stderr.getvalue().encode("utf-8", "backslashreplace").decode("utf-8")
    return subprocess.CompletedProcess(argv, code, out, err)


def run_build(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run scripts/build.py with these arguments, from `cwd`, in this process (see run_script)."""
    return run_script(BUILD_SCRIPT, *args, cwd=cwd)


def run_build_process(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run scripts/build.py in a process of its own, as a user would, and capture what it prints."""
    return subprocess.run([sys.executable, str(BUILD_SCRIPT), *args], cwd=cwd or ROOT, capture_output=True, text=True)


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the minimal fixture content tree."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal" / "content", target)
    return target


@pytest.fixture
def repo_with_content(tmp_path: Path) -> GitRepo:
    """A git repository holding the minimal fixture content, committed on 24 March 2017."""
    repo = GitRepo(tmp_path / "repo")
    shutil.copytree(FIXTURES / "minimal" / "content", repo.root / "content")
    repo.commit_all("Plan as approved", "2017-03-24T12:00:00+00:00")
    return repo
