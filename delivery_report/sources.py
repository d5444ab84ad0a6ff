"""Where content is read from: the working tree, or a commit of git history. The only code that runs git."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import re
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

    def origin_url(self) -> str | None:
        """The repository's web address on GitHub, https://github.com/OWNER/NAME, from its 'origin' remote; None
        when there is no origin or it is on another host (github_web_url)."""
        try:
            remote = self.git("remote", "get-url", "origin")
        except BuildError:
            return None
        return github_web_url(remote.decode("utf-8", errors="replace").strip())

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

    def refuse_shallow(self, why: str = "history before its cut-off is missing") -> None:
        """A shallow clone's oldest commit would look as if it added everything: say how to get the history."""
        if self.is_shallow():
            raise BuildError(
                f"{self.root}: this is a shallow clone, so {why}; "
                "run `git fetch --unshallow` (or clone without --depth) and build again"
            )

    def branch_paths(self) -> set[str] | None:
        """The content folder's files at the tip of the branch (main), or None when there is no such branch to
        compare with (a detached checkout that fetched only one commit, a repository without commits)."""
        try:
            entries, refused = self.tree_entries(self.branch_tip())
        except BuildError:
            return None
        return {rel for rel, _ in entries} | set(refused)

    def branch_file(self, rel: str) -> bytes | None:
        """One file of the content folder at the tip of the branch (main), or None when the branch or the file
        is not there (read as committed: no filter runs)."""
        path = f"{self.prefix}/{rel}" if self.prefix else rel
        try:
            return self.git("cat-file", "blob", f"{self.branch_tip()}:{path}")
        except BuildError:
            return None

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


# A remote on github.com: scp-like (git@github.com:OWNER/NAME.git), or a URL (https, ssh, git) with or without a
# user (and a token: it is never kept) and a port. GitHub's owner and repository names use only these characters.
_GITHUB_REMOTE = re.compile(
    r"(?:(?:https?|ssh|git)://(?:[^@/]*@)?github\.com(?::[0-9]+)?/|(?:[^@/:]+@)?github\.com:/?)"
    r"(?P<owner>[A-Za-z0-9][A-Za-z0-9-]{0,38})/(?P<name>[A-Za-z0-9._-]{1,100}?)(?:\.git)?/?",
    re.IGNORECASE,
)


def github_web_url(remote: str) -> str | None:
    """https://github.com/OWNER/NAME for a remote URL on github.com (git@github.com:o/r.git, https://github.com/o/r,
    ssh://git@github.com/o/r.git); None for any other host or anything else. Credentials are dropped."""
    match = _GITHUB_REMOTE.fullmatch(remote)
    if match is None or match.group("name") in (".", ".."):
        return None
    return f"https://github.com/{match.group('owner')}/{match.group('name')}"


def _when(commit: Commit | LoggedCommit) -> str:
    return commit.committed_at.astimezone(LONDON).strftime("%d %B %Y %H:%M")


def end_of_uk_day(day: dt.date) -> dt.datetime:
    """Midnight at the end of `day` in London: commits before it belong to that day (BST or GMT)."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), LONDON)


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
    """The content to build: where to read it, the commit it is (None outside git), whether it is a draft, and
    (for a commit of history) the log it was chosen from, so every later use of history reads the same stream."""

    source: ContentSource
    commit: Commit | None
    draft: bool
    log: CommitLog | None = None
    repo: Repository | None = None


def commit_as_at(repo: Repository, day: dt.date) -> tuple[LoggedCommit, CommitLog]:
    """The commit `repo`'s branch stood at when `day` ended in London, and the log it was read from.

    A shallow clone, a branch with no commits, or nothing committed by that day is a BuildError.
    """
    repo.refuse_shallow()
    log = log_content_history(repo, repo.branch_tip())
    commit = log.commit_as_at(day)
    if commit is None:
        if not log.first_parent:
            raise BuildError(f"{repo.root}: the repository has no commits yet; commit the content first")
        earliest = min(c.committed_at for c in log.first_parent).astimezone(LONDON).date()
        raise BuildError(
            f"nothing was committed by the end of {day.isoformat()}; the earliest commit is dated "
            f"{earliest.isoformat()}: use --as-at {earliest.isoformat()} or later"
        )
    return commit, log


def open_source(content_dir: Path, display_root: str, as_at: dt.date | None,
                branch: str = "main") -> OpenedSource:
    """Open the content: as committed on `branch` at the end of `as_at`, or the working tree (with its draft flag).

    The working tree's draft flag is computed here from the files as read now, so the flag and the
    content built are the same snapshot.
    """
    if as_at is not None:
        repo = dataclasses.replace(Repository.find(content_dir), branch=branch)
        logged, log = commit_as_at(repo, as_at)
        commit = Commit(logged.sha, logged.committed_at)
        return OpenedSource(GitCommitTree(repo, commit, display_root), commit, False, log, repo)
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
    return OpenedSource(_ReadOnce(tree.display_root, files), head, repo.has_uncommitted_changes(files), None, repo)


@dataclass(frozen=True)
class _ReadOnce:
    """Files already read (to compare with the commit): the build uses exactly those bytes."""

    display_root: str
    files: dict[str, bytes]

    def read_all(self) -> dict[str, bytes]:
        """Return the files read when the source was opened."""
        return dict(self.files)


# --- many versions at once: the history of the content folder (as-at, changes since, audit trail) ----

_NO_BLOB = "0" * 40
_REGULAR_MODES = (b"100644", b"100755")
# Each commit's header in the log stream: this marker, then _HEADER_FIELDS fields, every one ended by NUL.
# Names and messages cannot hold NUL, so no author name or message can shift a field (a control
# character such as 0x02 in a name stays inside the name).
_COMMIT_MARKER = b"\x01commit"
_LOG_FORMAT = "%x00%x01commit%x00%H%x00%P%x00%ct%x00%an%x00%cn%x00%B%x00"
_HEADER_FIELDS = 6


@dataclass(frozen=True, slots=True)
class FileChange:
    """One file changed by a commit; paths are relative to the content folder, None blob = absent."""

    path: str
    old_blob: str | None
    new_blob: str | None


@dataclass(frozen=True, slots=True)
class LoggedCommit:
    """A commit with its parents, who made it, who committed it, its message and the content files it changed
    (against its first parent, so a merge lists what it brought onto the line it was merged into)."""

    sha: str
    parents: tuple[str, ...]
    committed_at: dt.datetime
    author: str
    committer: str
    message: str
    changes: tuple[FileChange, ...]

    @property
    def subject(self) -> str:
        """The message's first line."""
        return self.message.strip().split("\n", 1)[0].strip()

    @property
    def is_merge(self) -> bool:
        """True for a merge commit (two or more parents)."""
        return len(self.parents) > 1


@dataclass(frozen=True)
class CommitLog:
    """Every commit reachable from the tip of main, from ONE `git log` stream.

    `first_parent` is main's own line, oldest first: the commits main stood at, one after another. The
    commits of merged branches are in `by_sha`, so a merge's changes can be traced to who made them.
    """

    first_parent: tuple[LoggedCommit, ...]
    by_sha: dict[str, LoggedCommit]
    branch: str = "main"

    def commit_as_at(self, day: dt.date) -> LoggedCommit | None:
        """The commit main stood at when `day` ended in London, or None when nothing was committed by then.

        The one rule for "as at": the newest commit of main's first-parent line dated before the end of the
        day. When a commit that changes the content is dated before its parent anywhere from that commit
        to the tip, its true time is unknown, so which content stood on main that day cannot be told:
        a BuildError names the commit rather than silently choosing.
        """
        end = end_of_uk_day(day)
        line = self.first_parent
        chosen = next((i for i in range(len(line) - 1, -1, -1) if line[i].committed_at < end), None)
        if chosen is None:
            return None
        # A parent that held no content yet (a plan's history imported with its own dates into a repository
        # begun later) leaves nothing to be ambiguous about: before the child there was no content either way.
        first_content = next((i for i, commit in enumerate(line) if commit.changes), len(line))
        for index in range(max(chosen, first_content + 1, 1), len(line)):
            child, parent = line[index], line[index - 1]
            if child.changes and child.committed_at < parent.committed_at:
                raise BuildError(
                    f"the history of {self.branch} is out of date order: commit {child.sha[:12]} is dated "
                    f"{_when(child)}, before its parent {parent.sha[:12]} ({_when(parent)}), so the content as at "
                    f"{day.isoformat()} cannot be told from the dates; the commit's clock was wrong or it was "
                    "backdated: ask whoever maintains the repository to check that commit"
                )
        return line[chosen]

    def merged_commits(self) -> dict[str, tuple[LoggedCommit, ...]]:
        """For each merge on main's line, the commits it brought in (reachable from its other parents and
        not from main before it), parents before children."""
        integrated: set[str] = set()
        merged: dict[str, tuple[LoggedCommit, ...]] = {}
        for commit in self.first_parent:
            integrated.add(commit.sha)
            if not commit.is_merge:
                continue
            found: list[str] = []
            pending = [p for p in commit.parents[1:] if p in self.by_sha and p not in integrated]
            while pending:
                sha = pending.pop()
                if sha in integrated:
                    continue
                integrated.add(sha)
                found.append(sha)
                pending.extend(p for p in self.by_sha[sha].parents if p in self.by_sha and p not in integrated)
            merged[commit.sha] = _parents_first(found, self.by_sha)
        return merged


def _parents_first(shas: list[str], by_sha: dict[str, LoggedCommit]) -> tuple[LoggedCommit, ...]:
    """The commits in an order where every parent comes before its children (an explicit stack, no recursion)."""
    wanted = set(shas)
    done: set[str] = set()
    order: list[LoggedCommit] = []
    for start in sorted(shas):
        stack: list[tuple[str, bool]] = [(start, False)]
        while stack:
            sha, expanded = stack.pop()
            if sha in done:
                continue
            if expanded:
                done.add(sha)
                order.append(by_sha[sha])
                continue
            stack.append((sha, True))
            stack.extend((p, False) for p in by_sha[sha].parents if p in wanted and p not in done)
    return tuple(order)


def log_content_history(repo: Repository, tip: str = "main") -> CommitLog:
    """Every commit reachable from `tip` (falling back to HEAD) with the content files it changed, in ONE git call.

    --diff-merges=first-parent lists a merge's changes against main before it; --relative keeps only
    changes under the content folder while still listing every commit, so the commit main stood at on any
    day can be found from this one stream.
    """
    args = [
        "log", "--diff-merges=first-parent", "--raw", "-z", "--no-abbrev", "--no-renames", "--root",
        f"--format={_LOG_FORMAT}",
    ]
    if repo.prefix:
        args.append(f"--relative={repo.prefix}/")
    try:
        out = repo.git(*args, tip, "--")
    except BuildError:
        if tip == "HEAD":
            raise BuildError(f"{repo.root}: the repository has no commits yet; commit the content first") from None
        return log_content_history(repo, "HEAD")
    by_sha = _parse_log(out)
    try:
        head = repo.git("rev-parse", "--verify", "--quiet", f"{tip}^{{commit}}").decode().strip()
    except BuildError:
        head = ""
    return CommitLog(_first_parent_line(by_sha, head), by_sha, repo.branch)


def _first_parent_line(by_sha: dict[str, LoggedCommit], head: str) -> tuple[LoggedCommit, ...]:
    """Main's first-parent line from `head` back to the root (or a shallow clone's cut-off), oldest first."""
    line: list[LoggedCommit] = []
    sha: str | None = head
    while sha is not None and sha in by_sha:
        commit = by_sha[sha]
        line.append(commit)
        sha = commit.parents[0] if commit.parents else None
    return tuple(reversed(line))


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")


def _parse_log(out: bytes) -> dict[str, LoggedCommit]:
    """Parse the NUL-separated `git log --raw -z` stream: a marker, the header fields, then (':meta', path) pairs."""
    commits: dict[str, LoggedCommit] = {}
    tokens = out.split(b"\0")
    index = 0
    header: list[bytes] | None = None
    changes: list[FileChange] = []
    # Each path and blob id as one string, however many commits name it: a long history names the same
    # few thousand files tens of thousands of times, and a blob id once as a new version and once as the old.
    names: dict[bytes, str] = {}

    def finish() -> None:
        if header is None:
            return
        sha, parents, stamp, author, committer, message = header
        when = dt.datetime.fromtimestamp(int(stamp or b"0"), dt.timezone.utc)
        commits[sha.decode()] = LoggedCommit(sha.decode(), tuple(parents.decode().split()), when, _text(author),
                                             _text(committer), _text(message), tuple(changes))

    while index < len(tokens):
        token = tokens[index].lstrip(b"\n")
        index += 1
        if token == _COMMIT_MARKER and index + _HEADER_FIELDS <= len(tokens):
            finish()
            header = tokens[index : index + _HEADER_FIELDS]
            index += _HEADER_FIELDS
            changes = []
        elif token.startswith(b":") and index < len(tokens):
            meta = token.split()
            raw_path = tokens[index]
            path = names.get(raw_path) or names.setdefault(raw_path, _decode_name(raw_path))
            index += 1
            # Only ordinary files are content: a symlink's or submodule's entry is treated as absent.
            old_mode, new_mode = meta[0].lstrip(b":"), meta[1]
            old_blob = names.get(meta[2]) or names.setdefault(meta[2], meta[2].decode())
            new_blob = names.get(meta[3]) or names.setdefault(meta[3], meta[3].decode())
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
