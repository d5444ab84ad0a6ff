"""Where content is read from: the working tree, or a commit of git history. The only code that runs git."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Protocol
from zoneinfo import ZoneInfo

from .issues import BuildError

LONDON = ZoneInfo("Europe/London")


class ContentSource(Protocol):
    """Read access to one version of the content folder; paths are relative to it, '/'-separated."""

    display_root: str

    def read_all(self) -> dict[str, bytes]:
        """Return every file under the content folder, path -> bytes."""
        ...


@dataclass(frozen=True)
class WorkingTree:
    """The content folder as it is on disk now."""

    root: Path
    display_root: str

    def read_all(self) -> dict[str, bytes]:
        """Return every file under the content folder, path -> bytes."""
        if not self.root.is_dir():
            raise BuildError(f"{self.display_root}: no such folder; give the content folder with --content DIR")
        files: dict[str, bytes] = {}
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith("."):
                    continue
                full = Path(dirpath, name)
                files[full.relative_to(self.root).as_posix()] = full.read_bytes()
        return files


@dataclass(frozen=True)
class Commit:
    """A commit on the first-parent history of HEAD."""

    sha: str
    committed_at: dt.datetime


@dataclass(frozen=True)
class GitCommitTree:
    """The content folder as committed in one commit, read with two git calls whatever its size."""

    repo: "Repository"
    commit: Commit
    display_root: str

    def read_all(self) -> dict[str, bytes]:
        """Return every file under the content folder at this commit, path -> bytes."""
        prefix = self.repo.prefix
        listing = self.repo.git("ls-tree", "-r", "-z", "--full-tree", self.commit.sha, "--", prefix or ".")
        entries: list[tuple[str, str]] = []
        for record in listing.split(b"\0"):
            if not record:
                continue
            meta, path = record.split(b"\t", 1)
            _mode, kind, sha = meta.split()
            if kind != b"blob":
                continue
            rel = path.decode("utf-8")
            if prefix:
                rel = rel[len(prefix) + 1 :]
            if any(part.startswith(".") for part in rel.split("/")):
                continue
            entries.append((rel, sha.decode()))
        if not entries:
            when = self.commit.committed_at.astimezone(LONDON).strftime("%d %B %Y %H:%M")
            raise BuildError(
                f"{self.display_root}: the content folder did not exist yet in commit "
                f"{self.commit.sha[:12]} ({when}); choose a later --as-at date"
            )
        blobs = self.repo.read_blobs([sha for _, sha in entries])
        return {rel: blobs[sha] for rel, sha in entries}


@dataclass(frozen=True)
class Repository:
    """A git repository holding the content folder at `prefix` (relative to the repository root)."""

    root: Path
    prefix: str

    @classmethod
    def find(cls, content_dir: Path) -> "Repository":
        """Find the repository that holds content_dir, or explain that there is none."""
        probe = content_dir if content_dir.is_dir() else content_dir.parent
        if not probe.is_dir():
            raise BuildError(f"{content_dir}: no such folder; give the content folder with --content DIR")
        try:
            out = _run_git(probe, "rev-parse", "--show-toplevel")
        except BuildError:
            raise BuildError(
                f"{content_dir}: not inside a git repository, so there is no history to build --as-at from; "
                "clone the plan's repository (git clone ...) or build the working tree without --as-at"
            ) from None
        root = Path(out.decode().strip())
        rel = os.path.relpath(content_dir.resolve(), root.resolve())
        prefix = "" if rel == "." else Path(rel).as_posix()
        return cls(root, prefix)

    def git(self, *args: str, input: Optional[bytes] = None) -> bytes:
        """Run git in the repository and return its standard output."""
        return _run_git(self.root, *args, input=input)

    def is_shallow(self) -> bool:
        """True for a shallow clone, whose history is incomplete."""
        return self.git("rev-parse", "--is-shallow-repository").strip() == b"true"

    def first_parent_history(self) -> list[Commit]:
        """Every commit on the first-parent history of HEAD, newest first, in one git call."""
        try:
            out = self.git("log", "--first-parent", "--format=%H %ct", "HEAD")
        except BuildError:
            raise BuildError(f"{self.root}: the repository has no commits yet; commit the content first") from None
        commits = []
        for line in out.decode().splitlines():
            sha, stamp = line.split()
            commits.append(Commit(sha, dt.datetime.fromtimestamp(int(stamp), dt.timezone.utc)))
        return commits

    def commit_as_at(self, day: dt.date) -> Commit:
        """The commit main stood at when day `day` ended in London (first-parent history of HEAD)."""
        if self.is_shallow():
            raise BuildError(
                f"{self.root}: this is a shallow clone, so history before its cut-off is missing; "
                "run `git fetch --unshallow` (or clone without --depth) and build again"
            )
        end_of_day = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), LONDON)
        history = self.first_parent_history()
        for commit in history:
            if commit.committed_at < end_of_day:
                return commit
        earliest = min(c.committed_at for c in history).astimezone(LONDON).date()
        raise BuildError(
            f"nothing was committed by the end of {day.isoformat()}; the earliest commit is dated "
            f"{earliest.isoformat()}: use --as-at {earliest.isoformat()} or later"
        )

    def has_uncommitted_changes(self) -> bool:
        """True when the content folder differs from HEAD (edits or new files)."""
        out = self.git("status", "--porcelain", "--untracked-files=all", "--", self.prefix or ".")
        return bool(out.strip())

    def read_blobs(self, shas: list[str]) -> dict[str, bytes]:
        """Read many blobs with one `git cat-file --batch`."""
        out = self.git("cat-file", "--batch", input=("\n".join(shas) + "\n").encode())
        blobs: dict[str, bytes] = {}
        pos = 0
        while pos < len(out):
            header_end = out.index(b"\n", pos)
            sha, _kind, size = out[pos:header_end].split()
            start = header_end + 1
            blobs[sha.decode()] = out[start : start + int(size)]
            pos = start + int(size) + 1
        return blobs


def _run_git(cwd: Path, *args: str, input: Optional[bytes] = None) -> bytes:
    env = {**os.environ, "LC_ALL": "C", "GIT_OPTIONAL_LOCKS": "0"}
    try:
        result = subprocess.run(
            ["git", *args], cwd=cwd, input=input, capture_output=True, env=env, check=False
        )
    except FileNotFoundError:
        raise BuildError("git is not installed; install git (apt-get install git) and build again") from None
    if result.returncode != 0:
        raise BuildError(f"git {' '.join(args[:2])} failed in {cwd}: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout


def open_source(content_dir: Path, display_root: str, as_at: Optional[dt.date]) -> tuple[ContentSource, Optional[Commit], bool]:
    """Open the content: as committed at the end of `as_at`, or the working tree (with its draft flag)."""
    if as_at is not None:
        repo = Repository.find(content_dir)
        commit = repo.commit_as_at(as_at)
        return GitCommitTree(repo, commit, display_root), commit, False
    tree = WorkingTree(content_dir, display_root)
    try:
        repo = Repository.find(content_dir)
    except BuildError:
        return tree, None, True
    try:
        head = repo.first_parent_history()[0]
    except BuildError:
        return tree, None, True
    return tree, head, repo.has_uncommitted_changes()


# --- many versions at once: the history of the content folder (audit trail, changes since) ----------

_NO_BLOB = "0" * 40
_REGULAR_MODES = (b"100644", b"100755")


@dataclass(frozen=True)
class FileChange:
    """One file changed by a commit; paths are relative to the content folder, None blob = absent."""

    path: str
    old_blob: Optional[str]
    new_blob: Optional[str]


@dataclass(frozen=True)
class LoggedCommit:
    """A commit of the first-parent history with who made it and the content files it changed."""

    sha: str
    committed_at: dt.datetime
    author: str
    subject: str
    changes: tuple[FileChange, ...]


def log_content_history(repo: Repository, tip: str = "main") -> list[LoggedCommit]:
    """Every commit on the first-parent history of `tip` (falling back to HEAD), oldest first, in ONE git call.

    Merges count as the changes they brought onto the first-parent line (--diff-merges=first-parent);
    --relative keeps only changes under the content folder while still listing every commit, so the
    commit main stood at on any day can be found from this one stream.
    """
    args = [
        "log", "--first-parent", "--diff-merges=first-parent", "--raw", "-z", "--no-abbrev", "--no-renames",
        "--root", "--reverse", "--format=%x01%H%x02%ct%x02%an%x02%s",
    ]
    if repo.prefix:
        args.append(f"--relative={repo.prefix}/")
    try:
        out = repo.git(*args, tip, "--")
    except BuildError:
        if tip == "HEAD":
            raise BuildError(f"{repo.root}: the repository has no commits yet; commit the content first") from None
        return log_content_history(repo, "HEAD")
    return _parse_log(out)


def _parse_log(out: bytes) -> list[LoggedCommit]:
    """Parse `git log --raw -z` with a \\x01-prefixed header: header, then (':meta', path) pairs."""
    commits: list[LoggedCommit] = []
    header: Optional[list[str]] = None
    changes: list[FileChange] = []
    tokens = out.split(b"\0")
    index = 0

    def finish() -> None:
        if header is not None:
            sha, stamp, author, subject = (header + ["", "", "", ""])[:4]
            when = dt.datetime.fromtimestamp(int(stamp), dt.timezone.utc)
            commits.append(LoggedCommit(sha, when, author, subject, tuple(changes)))

    while index < len(tokens):
        token = tokens[index].lstrip(b"\n")
        index += 1
        if token.startswith(b"\x01"):
            finish()
            header = token[1:].decode("utf-8", errors="replace").split("\x02")
            changes = []
        elif token.startswith(b":") and index < len(tokens):
            meta = token.split()
            path = tokens[index].decode("utf-8", errors="replace")
            index += 1
            # Only ordinary files are content: a symlink's or submodule's entry is treated as absent.
            old_mode, new_mode = meta[0].lstrip(b":"), meta[1]
            old_blob, new_blob = meta[2].decode(), meta[3].decode()
            changes.append(FileChange(
                path,
                None if old_blob == _NO_BLOB or old_mode not in _REGULAR_MODES else old_blob,
                None if new_blob == _NO_BLOB or new_mode not in _REGULAR_MODES else new_blob,
            ))
    finish()
    return commits


def read_blobs_once(repo: Repository, shas: list[str]) -> dict[str, bytes]:
    """Read many blobs (duplicates allowed) with one `git cat-file --batch`; none asked, no git call."""
    unique = sorted(set(shas))
    return repo.read_blobs(unique) if unique else {}
