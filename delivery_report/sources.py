"""Where content is read from: the working tree, or a commit of git history. The only code that runs git."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, Protocol
from zoneinfo import ZoneInfo

from .issues import MAX_FILE_BYTES, BuildError, file_too_large

LONDON = ZoneInfo("Europe/London")

# Content is at most a few folders deep; deeper is a mistake or an attack (and would exhaust recursion).
MAX_FOLDER_DEPTH = 8
# A content file over this is refused without being read.
MAX_READ_BYTES = MAX_FILE_BYTES


class RefusedFile(bytes):
    """A file the source would not read (a symlink, a submodule, a special or oversized file): the reason is
    reported as a content error at line 1 of its path, so it never stops the build with a traceback."""

    refusal: str

    def __new__(cls, refusal: str) -> RefusedFile:
        made = super().__new__(cls, b"")
        made.refusal = refusal
        return made


def _decode_name(raw: bytes) -> str:
    """A path from git as text; bytes that are not UTF-8 are kept (surrogateescape) for load to report."""
    return raw.decode("utf-8", errors="surrogateescape")


def blob_sha(data: bytes) -> str:
    """The git blob id of these bytes (what `git hash-object` prints), computed without running git."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class ContentSource(Protocol):
    """Read access to one version of the content folder; paths are relative to it, '/'-separated."""

    @property
    def display_root(self) -> str:
        """How the content folder is named in messages (e.g. 'content')."""
        ...

    def read_all(self) -> dict[str, bytes]:
        """Return every file under the content folder, path -> bytes."""
        ...


@dataclass(frozen=True)
class WorkingTree:
    """The content folder as it is on disk now."""

    root: Path
    display_root: str

    def read_all(self) -> dict[str, bytes]:
        """Return every file under the content folder, path -> bytes.

        Nothing outside the folder is ever read: symbolic links, special files (a FIFO would block for
        ever), oversized files and folders nested too deep come back as RefusedFile with the reason.
        """
        if not self.root.is_dir():
            raise BuildError(f"{self.display_root}: no such folder; give the content folder with --content DIR")
        files: dict[str, bytes] = {}
        # An explicit stack, not os.walk: 1,000 nested folders must not exhaust Python's recursion.
        pending: list[tuple[str, int]] = [("", 0)]
        while pending:
            rel_dir, depth = pending.pop()
            try:
                entries = sorted(os.scandir(self.root / rel_dir if rel_dir else self.root), key=lambda e: e.name)
            except OSError as exc:
                files[rel_dir] = RefusedFile(f"this folder cannot be read ({exc.strerror}); check its permissions")
                continue
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
                files.update(self._read_entry(entry, rel, depth, pending))
        return dict(sorted(files.items()))

    def _read_entry(self, entry: os.DirEntry[str], rel: str, depth: int,
                    pending: list[tuple[str, int]]) -> dict[str, bytes]:
        """Read one directory entry without following links; folders are queued on `pending`."""
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError as exc:
            return {rel: RefusedFile(f"this file cannot be read ({exc.strerror})")}
        if stat.S_ISLNK(info.st_mode):
            return {rel: RefusedFile("this is a symbolic link; the build reads only ordinary files inside the "
                                     "content folder: replace the link with the file itself")}
        if stat.S_ISDIR(info.st_mode):
            if depth + 1 >= MAX_FOLDER_DEPTH:
                return {rel: RefusedFile(f"folders are nested more than {MAX_FOLDER_DEPTH} deep here; "
                                         "the content uses at most two levels: move or remove this folder")}
            pending.append((rel, depth + 1))
            return {}
        if not stat.S_ISREG(info.st_mode):
            return {rel: RefusedFile("this is not an ordinary file (a device, pipe or socket); remove it")}
        if info.st_size > MAX_READ_BYTES:
            return {rel: RefusedFile(file_too_large(info.st_size))}
        try:
            # O_NOFOLLOW: the entry could be swapped for a link between the check above and the open.
            handle = os.open(entry.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
            with os.fdopen(handle, "rb") as stream:
                return {rel: stream.read(MAX_READ_BYTES + 1)}
        except OSError as exc:
            return {rel: RefusedFile(f"this file cannot be read ({exc.strerror})")}


@dataclass(frozen=True)
class Commit:
    """A commit on the first-parent history of a branch (main by default)."""

    sha: str
    committed_at: dt.datetime


@dataclass(frozen=True)
class GitCommitTree:
    """The content folder as committed in one commit, read with two git calls whatever its size."""

    repo: Repository
    commit: Commit
    display_root: str

    def read_all(self) -> dict[str, bytes]:
        """Return every file under the content folder at this commit, path -> bytes."""
        entries, refused = self.repo.tree_entries(self.commit.sha)
        if not entries and not refused:
            when = self.commit.committed_at.astimezone(LONDON).strftime("%d %B %Y %H:%M")
            raise BuildError(
                f"{self.display_root}: the content folder did not exist yet in commit "
                f"{self.commit.sha[:12]} ({when}); choose a later --as-at date"
            )
        blobs = self.repo.read_blobs(sorted({sha for _, sha in entries}))
        files: dict[str, bytes] = {rel: blobs[sha] for rel, sha in entries}
        files.update(refused)
        return dict(sorted(files.items()))


@dataclass(frozen=True)
class Repository:
    """A git repository holding the content folder at `prefix` (relative to the repository root)."""

    root: Path
    prefix: str
    branch: str = "main"

    @classmethod
    def find(cls, content_dir: Path) -> Repository:
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

    def git(self, *args: str, input: bytes | None = None) -> bytes:
        """Run git in the repository and return its standard output."""
        return _run_git(self.root, *args, input=input)

    def is_shallow(self) -> bool:
        """True for a shallow clone, whose history is incomplete."""
        return self.git("rev-parse", "--is-shallow-repository").strip() == b"true"

    def tree_entries(self, treeish: str) -> tuple[list[tuple[str, str]], dict[str, bytes]]:
        """(path, blob id) of every ordinary file under the content folder in a commit, and the refused
        entries: symlinks (mode 120000, a blob holding the link's target), submodules, oversized blobs."""
        prefix = self.prefix
        listing = self.git("ls-tree", "-r", "-z", "-l", "--full-tree", treeish, "--", prefix or ".")
        entries: list[tuple[str, str]] = []
        refused: dict[str, bytes] = {}
        for record in listing.split(b"\0"):
            if not record:
                continue
            meta, path = record.split(b"\t", 1)
            mode, kind, sha, size = meta.split()
            rel = _decode_name(path)
            if prefix:
                rel = rel[len(prefix) + 1 :]
            if any(part.startswith(".") for part in rel.split("/")):
                continue
            if kind != b"blob":
                refused[rel] = RefusedFile("this is a git submodule (another repository); the content must be "
                                           "ordinary files: remove the submodule")
            elif mode == b"120000":
                refused[rel] = RefusedFile("this is a symbolic link; the build reads only ordinary files inside "
                                           "the content folder: replace the link with the file itself")
            elif size.isdigit() and int(size) > MAX_READ_BYTES:
                refused[rel] = RefusedFile(file_too_large(int(size)))
            else:
                entries.append((rel, sha.decode()))
        return entries, refused

    def branch_tip(self) -> str:
        """The ref of the branch whose history --as-at reads: the local branch, else the one fetched from origin."""
        for ref in (f"refs/heads/{self.branch}", f"refs/remotes/origin/{self.branch}"):
            try:
                self.git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
                return ref
            except BuildError:
                continue
        try:
            self.git("rev-parse", "--verify", "--quiet", "HEAD^{commit}")
        except BuildError:
            raise BuildError(f"{self.root}: the repository has no commits yet; commit the content first") from None
        raise BuildError(
            f"{self.root}: there is no branch '{self.branch}' (nor origin/{self.branch}) to read the history of; "
            "fetch it (git fetch origin), or name another branch with --branch NAME"
        )

    def first_parent_history(self, tip: str = "HEAD") -> list[Commit]:
        """Every commit on the first-parent history of `tip`, newest first, in one git call."""
        try:
            out = self.git("log", "--first-parent", "--format=%H %ct", tip, "--")
        except BuildError:
            raise BuildError(f"{self.root}: the repository has no commits yet; commit the content first") from None
        commits = []
        for line in out.decode().splitlines():
            sha, stamp = line.split()
            commits.append(Commit(sha, dt.datetime.fromtimestamp(int(stamp), dt.timezone.utc)))
        return commits

    def commit_as_at(self, day: dt.date) -> Commit:
        """The commit the branch (main) stood at when day `day` ended in London (its first-parent history).

        A commit dated earlier than its first parent (a wrong clock, or a backdated commit) makes the
        answer depend on which date is believed; when that happens around `day` it is a BuildError naming
        the commit, never a silent choice.
        """
        if self.is_shallow():
            raise BuildError(
                f"{self.root}: this is a shallow clone, so history before its cut-off is missing; "
                "run `git fetch --unshallow` (or clone without --depth) and build again"
            )
        end_of_day = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), LONDON)
        tip = self.branch_tip()
        history = self.first_parent_history(tip)
        for index, commit in enumerate(history):
            if commit.committed_at < end_of_day:
                self._check_dates_after(history, index, end_of_day, tip)
                return commit
        earliest = min(c.committed_at for c in history).astimezone(LONDON).date()
        raise BuildError(
            f"nothing was committed by the end of {day.isoformat()}; the earliest commit is dated "
            f"{earliest.isoformat()}: use --as-at {earliest.isoformat()} or later"
        )

    def _check_dates_after(self, history: list[Commit], index: int, end_of_day: dt.datetime, tip: str) -> None:
        """Raise if a commit older than history[index] changed the content and is dated after end_of_day.

        Such a commit's content would be in a report as at a day before it was made: the dates are out of
        order. Out-of-order commits that do not touch the content folder change nothing and are let be.
        """
        later = [older.sha for older in history[index + 1 :] if older.committed_at >= end_of_day]
        if not later:
            return
        changed = set(self.git("log", "--first-parent", "--format=%H", tip, "--", self.prefix or ".").decode().split())
        if not changed.intersection(later):
            return
        for position in range(index, len(history) - 1):
            child, parent = history[position], history[position + 1]
            if child.committed_at < parent.committed_at:
                raise BuildError(
                    f"the history of {self.branch} is out of date order: commit {child.sha[:12]} is dated "
                    f"{_when(child)}, before its parent {parent.sha[:12]} ({_when(parent)}), so the content as at "
                    f"that day cannot be told from the dates; the commit's clock was wrong or it was backdated: "
                    "ask whoever maintains the repository to check that commit"
                )

    def has_uncommitted_changes(self, files: dict[str, bytes] | None = None) -> bool:
        """True when the content folder differs from HEAD's tree in any way (modified, untracked or ignored files).

        Compares blob ids computed here with `git ls-tree HEAD` instead of running `git status`, which
        would run the repository's own clean filters and fsmonitor command.
        """
        if files is None:
            files = WorkingTree(self.root / self.prefix if self.prefix else self.root, self.prefix).read_all()
        try:
            entries, refused = self.tree_entries("HEAD")
        except BuildError:
            return True
        committed = {rel: sha for rel, sha in entries}
        if set(files) != set(committed) | set(refused):
            return True
        return any(
            isinstance(data, RefusedFile) or committed.get(rel) != blob_sha(data) for rel, data in files.items()
        )

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


def _when(commit: Commit) -> str:
    return commit.committed_at.astimezone(LONDON).strftime("%d %B %Y %H:%M")


# Configuration a hostile repository could set to make git run a command of its choosing, switched off for
# every call; the build only runs rev-parse, log, ls-tree and cat-file, which apply no clean/smudge filters.
_SAFE_GIT_CONFIG = (
    "-c", "core.fsmonitor=false",
    "-c", "core.hooksPath=/dev/null",
    "-c", "log.showSignature=false",
    "-c", "core.pager=cat",
)


def _run_git(cwd: Path, *args: str, input: bytes | None = None) -> bytes:
    env = {**os.environ, "LC_ALL": "C", "GIT_OPTIONAL_LOCKS": "0", "GIT_NO_REPLACE_OBJECTS": "1",
           "GIT_TERMINAL_PROMPT": "0"}
    try:
        result = subprocess.run(
            ["git", *_SAFE_GIT_CONFIG, *args], cwd=cwd, input=input, capture_output=True, env=env, check=False
        )
    except FileNotFoundError:
        raise BuildError("git is not installed; install git (apt-get install git) and build again") from None
    if result.returncode != 0:
        raise BuildError(f"git {' '.join(args[:2])} failed in {cwd}: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout


class OpenedSource(NamedTuple):
    """The content to build: where to read it, the commit it is (None outside git) and whether it is a draft."""

    source: ContentSource
    commit: Commit | None
    draft: bool


def open_source(content_dir: Path, display_root: str, as_at: dt.date | None,
                branch: str = "main") -> OpenedSource:
    """Open the content: as committed on `branch` at the end of `as_at`, or the working tree (with its draft flag).

    The working tree's draft flag is computed here from the files as read now, so the flag and the
    content built are the same snapshot.
    """
    if as_at is not None:
        repo = dataclasses.replace(Repository.find(content_dir), branch=branch)
        commit = repo.commit_as_at(as_at)
        return OpenedSource(GitCommitTree(repo, commit, display_root), commit, draft=False)
    tree = WorkingTree(content_dir, display_root)
    try:
        repo = Repository.find(content_dir)
    except BuildError:
        return OpenedSource(tree, None, draft=True)
    try:
        head = repo.first_parent_history()[0]
    except BuildError:
        return OpenedSource(tree, None, draft=True)
    files = tree.read_all()
    return OpenedSource(_ReadOnce(tree.display_root, files), head, repo.has_uncommitted_changes(files))


@dataclass(frozen=True)
class _ReadOnce:
    """Files already read (to compare with the commit): the build uses exactly those bytes."""

    display_root: str
    files: dict[str, bytes]

    def read_all(self) -> dict[str, bytes]:
        """Return the files read when the source was opened."""
        return dict(self.files)


# --- many versions at once: the history of the content folder (audit trail, changes since) ----------

_NO_BLOB = "0" * 40
_REGULAR_MODES = (b"100644", b"100755")


@dataclass(frozen=True)
class FileChange:
    """One file changed by a commit; paths are relative to the content folder, None blob = absent."""

    path: str
    old_blob: str | None
    new_blob: str | None


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
    header: list[str] | None = None
    changes: list[FileChange] = []
    tokens = out.split(b"\0")
    index = 0

    def finish() -> None:
        if header is not None:
            sha, stamp, author, subject = ([*header, "", "", "", ""])[:4]
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


# --- one version named by a git ref: a pull request's base or head ----------------------------------


def read_content_at(content_dir: Path, display_root: str, ref: str) -> tuple[dict[str, bytes], Commit]:
    """Every file of the content folder in the commit a git ref names (a branch, tag, sha or 'HEAD~1').

    Used to compare a pull request's head with its base; two git calls besides finding the repository.
    """
    if not ref or ref.startswith("-") or any(ord(c) < 0x20 for c in ref):
        raise BuildError(f"'{ref}' is not a git ref; name a branch, tag or commit, e.g. origin/main")
    repo = Repository.find(content_dir)
    try:
        line = repo.git("log", "-1", "--format=%H %ct", f"{ref}^{{commit}}", "--").decode().split()
    except BuildError:
        raise BuildError(
            f"'{ref}' is not a commit in {repo.root}; fetch it (git fetch origin) or name another ref"
        ) from None
    commit = Commit(line[0], dt.datetime.fromtimestamp(int(line[1]), dt.timezone.utc))
    return GitCommitTree(repo, commit, display_root).read_all(), commit
