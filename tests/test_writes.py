"""Every path the product writes: never through a link, stale temporaries of a killed build removed, a set
replaced whole or not at all (issue 16, part 6).

The links are real symbolic links (committed to the repository where the attack commits them) that point
at a file or folder outside it; each test checks that file or folder afterwards, byte for byte.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, GitRepo, run_build

from delivery_report import pipeline
from delivery_report.issues import BuildError

AS_AT = "2017-03-24"  # the day repo_with_content's only commit was made
SECRET = b"# the file a link points at: it must come out of every command unchanged\n"


def _script(name: str, *args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run scripts/<name> as a user would."""
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / name), *map(str, args)], cwd=cwd,
                            capture_output=True, text=True, check=False)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def _outside(tmp_path: Path) -> Path:
    """A file outside every folder the commands are given, to be pointed at by a link."""
    outside = tmp_path / "outside" / "victim.txt"
    outside.parent.mkdir()
    outside.write_bytes(SECRET)
    return outside


def _folder(path: Path) -> dict[str, bytes]:
    """Every file under a folder (links listed by their target), to compare before and after."""
    found: dict[str, bytes] = {}
    for item in sorted(path.rglob("*")):
        rel = item.relative_to(path).as_posix()
        if item.is_symlink():
            found[rel] = b"-> " + os.readlink(item).encode()
        elif item.is_file():
            found[rel] = item.read_bytes()
    return found


# --- scripts/codeowners.py ----------------------------------------------------------------------------------

def _with_a_github_name(repo: GitRepo) -> None:
    people = repo.root / "content/people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("  - initials: SM\n", "  - initials: SM\n    github: sarah-m\n"),
                      encoding="utf-8")


def test_codeowners_refuses_a_committed_link_to_a_file_outside_the_repository(repo_with_content: GitRepo,
                                                                                tmp_path: Path) -> None:
    repo = repo_with_content
    outside = _outside(tmp_path)
    _with_a_github_name(repo)
    (repo.root / ".github").mkdir()
    (repo.root / ".github/CODEOWNERS").symlink_to(outside)
    repo.commit_all("A CODEOWNERS that is a link", "2017-03-25T12:00:00+00:00")
    assert repo.git("ls-files", "-s", ".github/CODEOWNERS").startswith("120000")  # committed as a link

    for args in ((), ("--check",)):
        result = _script("codeowners.py", *args, cwd=repo.root)
        assert result.returncode == 2, result
        assert result.stderr.startswith(f"error: {repo.root / '.github/CODEOWNERS'} is a symbolic link to {outside}; "
                                        "nothing is ever written through a link")
        assert "replace it with a real file (or remove it) and run again; nothing was written" in result.stderr
    assert outside.read_bytes() == SECRET
    assert (repo.root / ".github/CODEOWNERS").is_symlink()
    assert repo.git("status", "--porcelain", "--ignored") == ""  # nothing written in the repository either


def test_codeowners_refuses_a_linked_github_folder(repo_with_content: GitRepo, tmp_path: Path) -> None:
    repo = repo_with_content
    outside = _outside(tmp_path).parent
    _with_a_github_name(repo)
    (repo.root / ".github").symlink_to(outside, target_is_directory=True)
    result = _script("codeowners.py", cwd=repo.root)
    assert result.returncode == 2
    assert f"error: {repo.root / '.github'} is a symbolic link to {outside}; " in result.stderr
    assert "replace it with a real folder" in result.stderr
    assert sorted(p.name for p in outside.iterdir()) == ["victim.txt"]


def test_codeowners_still_writes_an_ordinary_file_and_removes_only_its_own_stale_temporary(
        repo_with_content: GitRepo) -> None:
    repo = repo_with_content
    _with_a_github_name(repo)
    github = repo.root / ".github"
    github.mkdir()
    (github / ".CODEOWNERS.ab12cd34.partial").write_text("left by a killed run\n", encoding="utf-8")
    (github / ".CODEOWNERS.original").write_text("someone's copy\n", encoding="utf-8")
    result = _script("codeowners.py", cwd=repo.root)
    assert result.returncode == 0, result.stderr
    written = github / "CODEOWNERS"
    assert not written.is_symlink()
    assert "/content/business_areas/02-partnerships/ @sarah-m" in written.read_text(encoding="utf-8")
    assert sorted(p.name for p in github.iterdir()) == [".CODEOWNERS.original", "CODEOWNERS"]


# --- the build's outputs (--out) ----------------------------------------------------------------------------

@pytest.mark.parametrize("linked", [f"report-{AS_AT}.docx", f"report-{AS_AT}.html", f"report-{AS_AT}.csv",
                                    f"audit-{AS_AT}.html"])
def test_the_build_refuses_an_output_name_that_is_a_link(linked: str, repo_with_content: GitRepo,
                                                        tmp_path: Path) -> None:
    outside = _outside(tmp_path)
    out = tmp_path / "build"
    out.mkdir()
    (out / linked).symlink_to(outside)
    result = run_build("--as-at", AS_AT, "--format", "docx,html,csv", "--audit", "--content",
                       str(repo_with_content.root / "content"), "--out", str(out))
    assert result.returncode == 2, result.stderr
    assert f"error: {out / linked} is a symbolic link to {outside}; nothing is ever written through a link" in result.stderr
    assert "nothing was written" in result.stderr
    assert outside.read_bytes() == SECRET
    assert _folder(out) == {linked: b"-> " + str(outside).encode()}  # nothing else written either


def test_the_build_refuses_an_output_folder_that_is_a_link(repo_with_content: GitRepo, tmp_path: Path) -> None:
    outside = _outside(tmp_path).parent
    (tmp_path / "build").symlink_to(outside, target_is_directory=True)
    result = run_build("--as-at", AS_AT, "--content", str(repo_with_content.root / "content"), "--out", "build",
                       cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert f"error: build is a symbolic link to {outside}; nothing is ever written through a link" in result.stderr
    assert "give the real folder instead" in result.stderr
    assert sorted(p.name for p in outside.iterdir()) == ["victim.txt"]
    # Named as the real folder it is, it is written.
    again = run_build("--as-at", AS_AT, "--content", str(repo_with_content.root / "content"), "--out", str(outside))
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in outside.iterdir()) == [f"report-{AS_AT}.docx", f"report-{AS_AT}.html", "victim.txt"]


def test_the_build_refuses_a_named_pipe_where_an_output_goes(repo_with_content: GitRepo, tmp_path: Path) -> None:
    out = tmp_path / "build"
    out.mkdir()
    os.mkfifo(out / f"report-{AS_AT}.html")
    result = run_build("--as-at", AS_AT, "--content", str(repo_with_content.root / "content"), "--out", str(out))
    assert result.returncode == 2, result.stderr
    assert (f"error: {out / f'report-{AS_AT}.html'} is a named pipe, not an ordinary file, so it is not replaced: "
            "move it away and run again; nothing was written") in result.stderr
    assert sorted(p.name for p in out.iterdir()) == [f"report-{AS_AT}.html"]


# --- scripts/signoff.py: content/reports/<date>.yaml --------------------------------------------------------

def test_sign_off_refuses_a_record_that_is_a_link_and_writes_nothing(repo_with_content: GitRepo,
                                                                      tmp_path: Path) -> None:
    outside = _outside(tmp_path)
    content, out = repo_with_content.root / "content", tmp_path / "out"
    (content / "reports").mkdir()
    (content / "reports" / f"{AS_AT}.yaml").symlink_to(outside)
    result = _script("signoff.py", "--as-at", AS_AT, "--by", "Paul Hammond, Chief Executive",
                     "--content", content, "--out", out)
    assert result.returncode == 2, result.stderr
    assert (f"error: {content / 'reports' / f'{AS_AT}.yaml'} is a symbolic link to {outside}; nothing is ever "
            "written through a link") in result.stderr
    assert outside.read_bytes() == SECRET
    assert not out.exists(), "the report is not built when its record cannot be written"


def test_sign_off_refuses_a_reports_folder_that_is_a_link(repo_with_content: GitRepo, tmp_path: Path) -> None:
    outside = _outside(tmp_path).parent
    content, out = repo_with_content.root / "content", tmp_path / "out"
    (content / "reports").symlink_to(outside, target_is_directory=True)
    result = _script("signoff.py", "--as-at", AS_AT, "--by", "Paul Hammond, Chief Executive",
                     "--content", content, "--out", out)
    assert result.returncode == 2, result.stderr
    assert f"error: {content / 'reports'} is a symbolic link to {outside}; " in result.stderr
    assert sorted(p.name for p in outside.iterdir()) == ["victim.txt"]
    assert not out.exists()


# --- the other writers: scripts/new_action.py and scripts/import_docx.py ------------------------------------

def test_new_action_refuses_a_content_folder_named_through_a_link(content_copy: Path, tmp_path: Path) -> None:
    linked = tmp_path / "linked-content"
    linked.symlink_to(content_copy, target_is_directory=True)
    before = _folder(content_copy)
    result = _script("new_action.py", "2", "--content", linked)
    assert result.returncode == 2, result.stderr
    assert f"error: {linked} is a symbolic link to {content_copy}; " in result.stderr
    assert "give the real folder instead" in result.stderr
    assert _folder(content_copy) == before
    assert _script("new_action.py", "2", "--content", content_copy).returncode == 0


def test_import_refuses_a_linked_folder_inside_the_target_and_writes_nothing(repo_with_content: GitRepo,
                                                                             tmp_path: Path) -> None:
    built = run_build("--as-at", AS_AT, "--content", str(repo_with_content.root / "content"), "--out",
                      str(tmp_path / "report"))
    assert built.returncode == 0, built.stderr
    outside = _outside(tmp_path).parent
    target = tmp_path / "imported"
    target.mkdir()
    (target / "business_areas").symlink_to(outside, target_is_directory=True)
    result = _script("import_docx.py", tmp_path / "report" / f"report-{AS_AT}.docx", "--content", target, "--force")
    assert result.returncode == 2, result.stderr
    assert f"error: {target / 'business_areas'} is a symbolic link to {outside}; " in result.stderr
    assert sorted(p.name for p in outside.iterdir()) == ["victim.txt"]
    assert sorted(p.name for p in target.iterdir()) == ["business_areas"]  # not even plan.md


# --- what a killed build leaves -----------------------------------------------------------------------------

def test_a_build_removes_every_stale_temporary_of_its_own_and_nothing_else(repo_with_content: GitRepo,
                                                                          tmp_path: Path) -> None:
    outside = _outside(tmp_path)
    out = tmp_path / "build"
    out.mkdir()
    # What builds killed with kill -9 leave: temporaries of formats and dates this build does not write,
    # of the restricted copy and of an audit, with and without '.partial' (earlier versions of the build).
    stale = [f".report-{AS_AT}.csv.k3j_9x2a.partial", f".report-{AS_AT}.xlsx.abc123.partial",
             f".report-{AS_AT}.docx.q1w2e3r4.partial", ".report-2016-01-05-restricted.pdf.zz81hh3k.partial",
             f".audit-{AS_AT}.html.p0o9i8u7.partial", f".report-{AS_AT}.json.x1y2z3w4"]
    for name in stale:
        (out / name).write_bytes(b"half a report")
    (out / f".report-{AS_AT}.csv.linked11.partial").symlink_to(outside)  # the link goes, never its target
    kept = {
        f"report-{AS_AT}.csv": b"the previous CSV, which this build does not write",
        "notes.partial": b"someone's notes",
        f".report-{AS_AT}.csv": b"a hidden file that is not a temporary (no random part)",
        ".report-notes.txt.abc123.partial": b"not an output name",
        f".report-{AS_AT}.docx.old-copy.partial": b"a '-' is never in a temporary's random part",
        f".report-{AS_AT}.html.orig": b"not '.partial', nor the eight characters of an older build's temporary",
        f".summary-{AS_AT}.html.abc123.partial": b"not one of the build's outputs",
        ".gitignore": b"*\n",
    }
    for name, data in kept.items():
        (out / name).write_bytes(data)
    (out / f".report-{AS_AT}.pdf.dir12345.partial").mkdir()  # a folder is never removed

    result = run_build("--as-at", AS_AT, "--format", "docx,html", "--content", str(repo_with_content.root / "content"),
                       "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert outside.read_bytes() == SECRET
    assert _folder(out) == {**kept, f"report-{AS_AT}.docx": (out / f"report-{AS_AT}.docx").read_bytes(),
                            f"report-{AS_AT}.html": (out / f"report-{AS_AT}.html").read_bytes()}
    assert (out / f".report-{AS_AT}.pdf.dir12345.partial").is_dir()
    assert not any((out / name).exists() or (out / name).is_symlink()
                   for name in [*stale, f".report-{AS_AT}.csv.linked11.partial"])


# --- the set replaced whole ---------------------------------------------------------------------------------

FULL_SET = ("docx", "html", "csv", "xlsx")


def _request(content: Path, out: Path, formats: tuple[str, ...] = FULL_SET) -> pipeline.BuildRequest:
    return pipeline.BuildRequest(content_dir=content, out_dir=out, as_at=None, formats=formats, changes=False)


def _rebuild_with_new_wording(content: Path) -> None:
    action = content / "business_areas/01-communications/1.3.md"
    action.write_text(action.read_text(encoding="utf-8").replace("Promote", "Publicise"), encoding="utf-8")


def _failing_replace(monkeypatch: pytest.MonkeyPatch, at: int, error: Callable[[], BaseException],
                     every_later: bool = False) -> list[str]:
    """os.replace failing at its `at`-th call (and, with `every_later`, at every later one too)."""
    real_replace = os.replace
    calls: list[str] = []

    def replace(src: str, dst: str | Path) -> None:
        calls.append(str(dst))
        if len(calls) == at or (every_later and len(calls) > at):
            raise error()
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    return calls


@pytest.mark.parametrize("at", [1, 2, 3, 4])
@pytest.mark.parametrize("error", [lambda: OSError(28, "No space left on device"), KeyboardInterrupt],
                         ids=["disk-full", "ctrl-c"])
def test_a_failure_while_moving_the_set_into_place_keeps_the_whole_previous_set(
        at: int, error: Callable[[], BaseException], content_copy: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    pipeline.build(_request(content_copy, out))
    previous = _folder(out)
    assert len(previous) == 4
    _rebuild_with_new_wording(content_copy)
    fresh = tmp_path / "fresh"
    pipeline.build(_request(content_copy, fresh))
    new = _folder(fresh)
    assert all(new[name] != previous[name] for name in new if name.endswith((".docx", ".html")))

    calls = _failing_replace(monkeypatch, at, error)
    expected = BuildError if isinstance(error(), OSError) else KeyboardInterrupt
    with pytest.raises(expected) as raised:
        pipeline.build(_request(content_copy, out))
    if expected is BuildError:
        assert str(raised.value) == (f"{out}: cannot write the report (No space left on device); nothing was written "
                                     "and the previous files are kept")
    assert len(calls) >= at
    assert _folder(out) == previous  # the whole previous set, and no temporary beside it

    monkeypatch.undo()
    pipeline.build(_request(content_copy, out))
    assert _folder(out) == new  # and the next build replaces the whole set


def test_a_failure_takes_away_the_new_formats_too(content_copy: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    pipeline.build(_request(content_copy, out, ("docx", "html")))
    previous = _folder(out)
    _rebuild_with_new_wording(content_copy)
    _failing_replace(monkeypatch, 4, lambda: OSError(5, "Input/output error"))
    with pytest.raises(BuildError):
        pipeline.build(_request(content_copy, out))
    assert _folder(out) == previous  # no new CSV or XLSX beside the previous DOCX and HTML


def test_when_the_previous_set_cannot_be_put_back_the_message_says_so(content_copy: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    pipeline.build(_request(content_copy, out))
    _rebuild_with_new_wording(content_copy)
    _failing_replace(monkeypatch, 3, lambda: OSError(5, "Input/output error"), every_later=True)
    with pytest.raises(BuildError) as raised:
        pipeline.build(_request(content_copy, out))
    assert str(raised.value) == (f"{out}: writing the report failed and the previous files could not all be put back "
                                 "(Input/output error): the folder may now hold new files beside old ones; "
                                 "run the command again")
    monkeypatch.undo()
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]


def test_a_termination_signal_during_the_moves_waits_until_the_set_is_complete(
        content_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    pipeline.build(_request(content_copy, out))
    _rebuild_with_new_wording(content_copy)
    fresh = tmp_path / "fresh"
    pipeline.build(_request(content_copy, fresh))
    new = _folder(fresh)

    class Terminated(Exception):
        pass

    def on_sigterm(signum: int, frame: object) -> None:
        raise Terminated

    real_replace = os.replace
    moved: list[str] = []

    def replace_then_terminate(src: str, dst: str | Path) -> None:
        if not moved:
            os.kill(os.getpid(), signal.SIGTERM)  # arrives after the first move of four
        real_replace(src, dst)
        moved.append(str(dst))

    previous_handler = signal.signal(signal.SIGTERM, on_sigterm)
    try:
        monkeypatch.setattr(os, "replace", replace_then_terminate)
        with pytest.raises(Terminated):
            pipeline.build(_request(content_copy, out))
    finally:
        signal.signal(signal.SIGTERM, previous_handler)
    assert len(moved) == 4  # the signal was held back until every file was in place
    assert _folder(out) == new


def test_a_real_sigterm_during_the_moves_ends_the_build_after_the_set_is_complete(content_copy: Path,
                                                                                  tmp_path: Path) -> None:
    """SIGTERM with its default action (what `kill` and a CI timeout send): the process still ends by it."""
    out = tmp_path / "out"
    pipeline.build(_request(content_copy, out))
    _rebuild_with_new_wording(content_copy)
    fresh = tmp_path / "fresh"
    pipeline.build(_request(content_copy, fresh))
    program = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from delivery_report import pipeline\n"
        "real_replace = os.replace\n"
        "def replace(src, dst):\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    real_replace(src, dst)\n"
        "    print('moved', dst, flush=True)\n"
        "os.replace = replace\n"
        f"pipeline.build(pipeline.BuildRequest(content_dir=Path({str(content_copy)!r}), out_dir=Path({str(out)!r}),"
        f" formats={FULL_SET!r}, changes=False))\n"
        "print('the build returned', flush=True)\n"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=False,
                            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert result.returncode == -signal.SIGTERM, result.stderr
    assert result.stdout.count("moved ") == 4 and "the build returned" not in result.stdout
    assert _folder(out) == _folder(fresh)


def test_the_content_check_never_reads_codeowners_through_a_link(repo_with_content: GitRepo, tmp_path: Path) -> None:
    repo = repo_with_content
    outside = _outside(tmp_path)
    (repo.root / ".github").mkdir()
    (repo.root / ".github/CODEOWNERS").symlink_to(outside)
    result = run_build("--check", "--content", str(repo.root / "content"), cwd=repo.root)
    assert result.returncode == 1, result.stderr
    assert ".github/CODEOWNERS:1: is a symbolic link; replace it with an ordinary file" in result.stderr
    assert "Traceback" not in result.stderr and outside.read_bytes() == SECRET
