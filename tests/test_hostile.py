"""Hostile content: any bytes, names, links or git configuration give a clean build or a clean error, quickly.

Each test names the class of issue 8 it covers; every error is asserted with its file, line and message.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, GitRepo, run_build

from delivery_report.model import Plan

ACTION = "business_areas/01-communications/1.3.md"
SHOWN = f"content/{ACTION}"
HEADER = '---\nref: "1.3"\naction: Promote the portal.\n---\n'


def _build(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    result = run_build("--content", "content", "--out", "out", *extra, cwd=tmp_path)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def _assert_error(result: subprocess.CompletedProcess[str], expected: str, tmp_path: Path) -> None:
    assert result.returncode == 1, result.stderr
    assert any(line.startswith(expected) for line in result.stderr.splitlines()), (
        f"expected a line starting\n  {expected}\ngot:\n{result.stderr}"
    )
    assert not (tmp_path / "out").exists(), "nothing may be written when the content has errors"


# --- control characters: the corrupt-DOCX class ------------------------------------------------------------

@pytest.mark.parametrize(
    "char, where, line, expected",
    [
        ("\x0b", "body", 6, "remove the invisible control character U+000B (often pasted from Word)"),
        ("\x0c", "body", 6, "remove the invisible control character U+000C"),
        ("\x00", "body", 6, "remove the invisible control character U+0000"),
        ("\x1b", "field", 3, "remove the invisible control character U+001B"),
        ("\x7f", "field", 3, "remove the invisible control character U+007F"),
        ("\x85", "field", 3, "remove the invisible control character U+0085"),
        ("\ufffe", "field", 3, "remove the invisible control character U+FFFE"),
        ("\uffff", "body", 6, "remove the invisible control character U+FFFF"),
        ("\u2028", "field", 3, "remove the invisible character U+2028 (LINE SEPARATOR)"),
    ],
)
def test_control_characters_are_errors_at_their_line(char: str, where: str, line: int, expected: str, content_copy: Path, tmp_path: Path) -> None:
    if where == "body":
        text = HEADER + f"- first\n- pasted{char}from Word\n"
    else:
        text = f'---\nref: "1.3"\naction: Promote{char} the portal.\n---\n- first\n'
    (content_copy / ACTION).write_bytes(text.encode("utf-8"))
    _assert_error(_build(tmp_path), f"{SHOWN}:{line}: {expected}", tmp_path)


def test_a_build_with_a_control_character_never_replaces_the_good_report(content_copy: Path, tmp_path: Path) -> None:
    assert _build(tmp_path).returncode == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}
    (content_copy / ACTION).write_text(HEADER + "- pasted\x0bfrom Word\n", encoding="utf-8")
    result = _build(tmp_path)
    assert result.returncode == 1
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()} == before


def test_not_utf8_content_names_its_line(content_copy: Path, tmp_path: Path) -> None:
    (content_copy / ACTION).write_bytes(HEADER.encode() + b"- first\n- caf\xe9\n")
    _assert_error(_build(tmp_path), f"{SHOWN}:6: the file is not UTF-8 text; save it as UTF-8", tmp_path)


@pytest.mark.parametrize(
    "name, shown",
    [
        ("1.3\n.md", "1.3\\n.md"),
        ("1.3\t.md", "1.3\\t.md"),
        ("1.3\x0b.md", "1.3\\u000b.md"),
    ],
)
def test_file_names_with_newlines_tabs_or_controls_do_not_break_messages(name: str, shown: str, content_copy: Path, tmp_path: Path) -> None:
    (content_copy / "business_areas/01-communications" / name).write_text(HEADER, encoding="utf-8")
    result = _build(tmp_path)
    expected = f"content/business_areas/01-communications/{shown}:1: the name holds U+"
    _assert_error(result, expected, tmp_path)
    # one message per line: the name's newline is escaped, so no message line starts with '.md'
    assert not any(line.startswith(".md") for line in result.stderr.splitlines())


def test_a_file_name_that_is_not_utf8(content_copy: Path, tmp_path: Path) -> None:
    folder = os.fsencode(content_copy / "business_areas/01-communications")
    with open(os.path.join(folder, b"1.\xff.md"), "wb") as stream:
        stream.write(HEADER.encode())
    _assert_error(
        _build(tmp_path),
        "content/business_areas/01-communications/1.\\xff.md:1: this name is not UTF-8 text; rename it",
        tmp_path,
    )


# --- symlinks, special files, deep folders: nothing outside the content folder is read -------------------

@pytest.mark.parametrize("target", ["/etc/passwd", "missing-file.md", "loop.md"])
def test_symlinks_are_refused_in_the_working_tree(target: str, content_copy: Path, tmp_path: Path) -> None:
    link = content_copy / "business_areas/01-communications/loop.md" if target == "loop.md" else \
        content_copy / "business_areas/01-communications/1.9.md"
    os.symlink(target, link)
    shown = link.relative_to(content_copy.parent).as_posix()
    _assert_error(_build(tmp_path), f"{shown}:1: this is a symbolic link; the build reads only ordinary files", tmp_path)


def test_a_symlinked_folder_is_refused_not_followed(content_copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "3.1.md").write_text("---\nref: \"3.1\"\naction: OUTSIDE-CANARY\n---\n", encoding="utf-8")
    os.symlink(outside, content_copy / "business_areas/03-outside")
    result = _build(tmp_path)
    _assert_error(result, "content/business_areas/03-outside:1: this is a symbolic link", tmp_path)
    assert "OUTSIDE-CANARY" not in result.stderr


def test_a_fifo_does_not_hang_the_build(content_copy: Path, tmp_path: Path) -> None:
    os.mkfifo(content_copy / "business_areas/01-communications/1.9.md")
    started = time.monotonic()
    result = _build(tmp_path)
    assert time.monotonic() - started < 20
    _assert_error(result, "content/business_areas/01-communications/1.9.md:1: this is not an ordinary file", tmp_path)


def _nest_folders(parent: Path, depth: int) -> None:
    """Create parent/d/d/.../d, one level at a time relative to the last (os.makedirs recurses)."""
    fd = os.open(parent, os.O_RDONLY)
    for _ in range(depth):
        os.mkdir("d", dir_fd=fd)
        inner = os.open("d", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = inner
    os.close(fd)


def _remove_nested_folders(parent: Path) -> None:
    """Remove what _nest_folders made without recursion (shutil.rmtree would recurse 1,000 deep)."""
    while (parent / "d").exists():
        fds = [os.open(parent, os.O_RDONLY)]
        while True:
            try:
                fds.append(os.open("d", os.O_RDONLY, dir_fd=fds[-1]))
            except FileNotFoundError:
                break
        os.close(fds.pop())
        os.rmdir("d", dir_fd=fds[-1])
        for fd in fds:
            os.close(fd)


@pytest.mark.slow  # a thousand folders made, walked and removed
def test_a_thousand_nested_folders(content_copy: Path, tmp_path: Path) -> None:
    _nest_folders(content_copy / "kpis", 1000)
    try:
        started = time.monotonic()
        result = _build(tmp_path)
        assert time.monotonic() - started < 30
        _assert_error(result, "content/kpis/d/d/d/d/d/d/d:1: folders are nested more than 8 deep here", tmp_path)
    finally:
        _remove_nested_folders(content_copy / "kpis")


def test_symlinks_committed_in_git_are_refused(repo_with_content: GitRepo, tmp_path: Path) -> None:
    link = repo_with_content.root / "content/business_areas/01-communications/1.9.md"
    os.symlink("/etc/passwd", link)
    repo_with_content.commit_all("add a link", "2018-01-10T12:00:00+00:00")
    result = run_build("--content", str(repo_with_content.root / "content"), "--out", str(tmp_path / "out"),
                       "--as-at", "2018-01-10")
    assert "Traceback" not in result.stderr
    assert result.returncode == 1, result.stderr
    assert "content/business_areas/01-communications/1.9.md:1: this is a symbolic link" in result.stderr
    assert "root:" not in result.stderr


def test_a_submodule_committed_in_the_content_folder_is_refused(repo_with_content: GitRepo, tmp_path: Path) -> None:
    head = repo_with_content.git("rev-parse", "HEAD").strip()
    # a gitlink (mode 160000) is what `git submodule add` records: a commit of another repository
    repo_with_content.git("update-index", "--add", "--cacheinfo", f"160000,{head},content/kpis/other-repo")
    repo_with_content.git("commit", "-q", "-m", "submodule", date="2018-01-10T12:00:00+00:00")
    result = run_build("--content", str(repo_with_content.root / "content"), "--out", str(tmp_path / "out"),
                       "--as-at", "2018-01-10")
    assert "Traceback" not in result.stderr
    assert result.returncode == 1, result.stderr
    assert "content/kpis/other-repo:1: this is a git submodule (another repository)" in result.stderr


def test_a_committed_file_name_that_is_not_utf8(repo_with_content: GitRepo, tmp_path: Path) -> None:
    folder = os.fsencode(repo_with_content.root / "content/kpis")
    with open(os.path.join(folder, b"caf\xe9.md"), "wb") as stream:
        stream.write(b"---\ntitle: x\n---\n")
    repo_with_content.commit_all("odd name", "2018-01-10T12:00:00+00:00")
    result = run_build("--content", str(repo_with_content.root / "content"), "--out", str(tmp_path / "out"),
                       "--as-at", "2018-01-10")
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert "content/kpis/caf\\xe9.md:1: this name is not UTF-8 text" in result.stderr


# --- sizes, depth and expansion: every file is handled in linear time or refused -----------------------

def test_a_file_over_the_size_limit_is_refused_quickly(content_copy: Path, tmp_path: Path) -> None:
    (content_copy / ACTION).write_text(HEADER + "word " * 1_700_000, encoding="utf-8")  # about 8 MB
    started = time.monotonic()
    result = _build(tmp_path)
    assert time.monotonic() - started < 10
    _assert_error(result, f"{SHOWN}:1: the file is 8,500 KB; content files may be at most 250 KB", tmp_path)


@pytest.mark.parametrize(
    "body",
    [
        "a few words on a line\n" * 11_000,  # one paragraph of many lines: joining runs one by one was quadratic
        "- a\n" * 62_000,  # the slowest Markdown per byte found: list items
        "[" * 249_000,  # unclosed link brackets
        "*a **b " * 35_000,  # unmatched emphasis
    ],
    ids=["lines", "list-items", "brackets", "emphasis"],
)
@pytest.mark.slow  # builds of 250 KB of the slowest Markdown
def test_the_worst_markdown_under_the_size_limit_builds_in_seconds(body: str, content_copy: Path, tmp_path: Path) -> None:
    (content_copy / ACTION).write_text(HEADER + body, encoding="utf-8")
    started = time.monotonic()
    result = _build(tmp_path)
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < 20


def test_yaml_alias_bomb_is_refused_at_once(content_copy: Path, tmp_path: Path) -> None:
    bomb = ['---', 'ref: "1.3"', 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        bomb.append(f"a{level}: &a{level} [{refs}]")
    bomb += ["action: *a9", "---"]
    (content_copy / ACTION).write_text("\n".join(bomb) + "\n", encoding="utf-8")
    started = time.monotonic()
    result = _build(tmp_path)
    assert time.monotonic() - started < 10
    _assert_error(result, f"{SHOWN}:3: YAML anchors and aliases ('&name', '*name') are not allowed", tmp_path)


@pytest.mark.parametrize(
    "shape",
    ["flow", "block", "mapping"],
)
def test_yaml_nested_three_thousand_deep(shape: str, content_copy: Path, tmp_path: Path) -> None:
    if shape == "flow":
        value = "[" * 3000 + "1" + "]" * 3000
        fields = f"priorities: {value}"
    elif shape == "block":  # one space a level, 600 levels: indenting 3,000 levels would pass the size limit
        fields = "priorities:\n" + "".join(" " * depth + "-\n" for depth in range(1, 600)) + " " * 600 + "- 1"
    else:
        fields = "extra: " + "{k: " * 3000 + "v" + "}" * 3000
    (content_copy / ACTION).write_text(f'---\nref: "1.3"\naction: x\n{fields}\n---\n', encoding="utf-8")
    result = _build(tmp_path)
    assert result.returncode == 1, result.stderr
    assert f"{SHOWN}:" in result.stderr and "nested more than 20 deep" in result.stderr


@pytest.mark.parametrize("marker", ["- ", "> ", "1. "])
def test_markdown_nested_three_thousand_deep(marker: str, content_copy: Path, tmp_path: Path) -> None:
    body = "".join("  " * depth + marker + "x\n" for depth in range(3000)) if marker != "> " else "> " * 3000 + "x\n"
    (content_copy / ACTION).write_text(HEADER + body, encoding="utf-8")
    result = _build(tmp_path, "--check")
    assert result.returncode in (0, 1), result.stderr


# --- hostile git configuration: no repository-configured command runs -------------------------------------

def _booby_trapped_repo(tmp_path: Path) -> tuple[GitRepo, Path]:
    repo = GitRepo(tmp_path / "repo")
    shutil.copytree(FIXTURES / "minimal" / "content", repo.root / "content")
    repo.commit_all("Plan as approved", "2017-03-24T12:00:00+00:00")
    marker = tmp_path / "PWNED"
    script = tmp_path / "evil.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\ncat\n", encoding="utf-8")
    script.chmod(0o755)
    (repo.root / ".gitattributes").write_text("* filter=evil diff=evil\n", encoding="utf-8")
    repo.git("config", "filter.evil.clean", str(script))
    repo.git("config", "filter.evil.smudge", str(script))
    repo.git("config", "diff.evil.textconv", str(script))
    repo.git("config", "core.fsmonitor", str(script))
    repo.git("config", "core.pager", str(script))
    hooks = repo.root / ".git" / "hooks"
    for hook in ("post-checkout", "pre-commit", "reference-transaction"):
        (hooks / hook).write_text(f"#!/bin/sh\ntouch {marker}\n", encoding="utf-8")
        (hooks / hook).chmod(0o755)
    if marker.exists():
        marker.unlink()
    return repo, marker


def test_working_tree_build_runs_no_repository_configured_command(tmp_path: Path) -> None:
    repo, marker = _booby_trapped_repo(tmp_path)
    (repo.root / "content" / ACTION).write_text(HEADER + "- edited\n", encoding="utf-8")
    result = run_build("--content", str(repo.root / "content"), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "DRAFT" in result.stdout
    assert not marker.exists(), "a filter, fsmonitor, pager or hook configured by the repository ran"


def test_as_at_build_runs_no_repository_configured_command(tmp_path: Path) -> None:
    repo, marker = _booby_trapped_repo(tmp_path)
    result = run_build("--content", str(repo.root / "content"), "--out", str(tmp_path / "out"), "--as-at", "2018-01-01")
    assert result.returncode == 0, result.stderr
    assert not marker.exists(), "a filter, fsmonitor, pager or hook configured by the repository ran"


# --- outputs: nothing half-written, nothing left behind -------------------------------------------------

def test_out_inside_the_content_folder_is_refused(content_copy: Path, tmp_path: Path) -> None:
    result = run_build("--content", "content", "--out", "content/build", cwd=tmp_path)
    assert result.returncode == 2
    assert "the output folder is inside the content folder" in result.stderr
    assert not (content_copy / "build").exists()


def test_stale_temporaries_of_a_killed_build_are_removed(content_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    as_at = time.strftime("%Y-%m-%d")
    stale = [out / f".report-{as_at}.docx.abc123.partial", out / f".report-{as_at}.html.x1y2z3w4"]
    for path in stale:
        path.write_bytes(b"half a report")
    unrelated = out / "notes.txt"
    unrelated.write_text("keep me", encoding="utf-8")
    result = _build(tmp_path)
    assert result.returncode == 0, result.stderr
    assert not any(path.exists() for path in stale)
    assert unrelated.exists()
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]


def test_a_report_that_does_not_reopen_is_never_written(content_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from delivery_report import pipeline
    from delivery_report.issues import BuildError

    out = tmp_path / "out"
    request = pipeline.BuildRequest(content_dir=content_copy, out_dir=out)
    pipeline.build(request)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(plan: Plan, restricted: bool = False, **_: object) -> dict[str, bytes]:
        good = _real_render(plan, restricted)
        return {name: (data[: len(data) // 2] if name.endswith(".docx") else data) for name, data in good.items()}

    _real_render = pipeline.render_outputs
    monkeypatch.setattr(pipeline, "render_outputs", broken)
    with pytest.raises(BuildError, match="does not reopen"):
        pipeline.build(pipeline.BuildRequest(content_dir=content_copy, out_dir=out))
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_an_interrupted_write_leaves_no_temporary(content_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from delivery_report import pipeline

    out = tmp_path / "out"
    real_replace = os.replace
    calls: list[Path] = []

    def interrupted(src: str, dst: Path) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        pipeline.build(pipeline.BuildRequest(content_dir=content_copy, out_dir=out))
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]


def test_a_message_quoting_typed_text_stays_on_one_printable_line(content_copy: Path, tmp_path: Path) -> None:
    (content_copy / ACTION).write_text(
        '---\nref: "1.3"\naction: Promote the portal.\n"rag\\nwhite\\u0085": green\n---\n', encoding="utf-8"
    )
    result = _build(tmp_path)
    _assert_error(result, f"{SHOWN}:4: unknown field 'rag\\nwhite\\u0085'", tmp_path)
