"""Every file the product writes is written here: never through a link, and a set all at once or not at all.

The reports (--out), the sign-off records (content/reports/<date>.yaml), .github/CODEOWNERS, an imported
content folder and a new action's file all come through `write_files`. A symbolic link committed to a
repository (or planted in a shared output folder) could otherwise send the bytes to a file outside it
(~/.ssh/..., /etc/...), so a link anywhere from the folder the command names down to the file is refused
before anything is written, as is a pipe, a device or a folder where a file should go.

A set is written in three steps: every file to a temporary '.<name>.<random>.partial' beside it; the
previous files kept aside (a hard link, so they stay in place meanwhile); then every temporary moved
over its file, with SIGINT, SIGTERM and SIGHUP held back until the moves are done. Any failure during the
moves puts every previous file back, so the folder holds the whole previous set or the whole new one.
Only a kill that cannot be held back (kill -9, the machine stopping) in the moves themselves can leave a
mix; the next write removes what such a kill left (see `remove_stale`).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path, PurePosixPath
from types import FrameType

from .issues import BuildError, printable

TEMP_SUFFIX = ".partial"
# '.<name>.<random>.partial': the temporaries this module makes. Earlier versions of the build left
# '.<name>.<random>' (mkstemp's eight characters), which only the build's own pattern also removes.
_RANDOM = r"\.[A-Za-z0-9_]+\.partial"
_RANDOM_OR_LEGACY = r"\.(?:[A-Za-z0-9_]+\.partial|[a-z0-9_]{8})"
_HELD_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


def refuse_unsafe_path(root: Path, rel: str) -> Path:
    """`root / rel`, or a BuildError unless it can be written without following a link.

    `root` (the folder the person running the command named) and every folder from it down to the file
    must be real folders or not exist yet, and the file an ordinary file or not exist yet. Folders above
    `root` are the user's own choice and are not looked at (/tmp is a link on macOS)."""
    parts = PurePosixPath(rel).parts
    if not parts or PurePosixPath(rel).is_absolute() or ".." in parts:
        raise ValueError(f"{rel!r} is not a path inside the folder")  # the product's own names: a bug
    _refuse_link(root, folder=True, named=True)
    current = root
    for part in parts[:-1]:
        current = current / part
        _refuse_link(current, folder=True)
    target = current / parts[-1]
    _refuse_link(target, folder=False)
    return target


def _refuse_link(path: Path, folder: bool, named: bool = False) -> None:
    try:
        info = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return  # written afresh (a file in the way of a folder is refused at that folder)
    except OSError as exc:
        raise BuildError(f"{path}: cannot be checked before writing ({exc.strerror}); nothing was written") from None
    wanted = "folder" if folder else "file"
    if stat.S_ISLNK(info.st_mode):
        try:
            to = f" to {printable(os.readlink(path))}"
        except OSError:
            to = ""
        fix = ("give the real folder instead" if named else
               f"replace it with a real {wanted} (or remove it) and run again")
        raise BuildError(f"{path} is a symbolic link{to}; nothing is ever written through a link, which could "
                         f"lead anywhere: {fix}; nothing was written")
    if folder and not stat.S_ISDIR(info.st_mode):
        raise BuildError(f"{path} is {_kind(info.st_mode)}, not a folder: move it away or choose another "
                         "folder; nothing was written")
    if not folder and not stat.S_ISREG(info.st_mode):
        raise BuildError(f"{path} is {_kind(info.st_mode)}, not an ordinary file, so it is not replaced: "
                         "move it away and run again; nothing was written")


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "an ordinary file"


def write_files(root: Path, files: Mapping[str, bytes], what: str,
                stale: re.Pattern[str] | None = None) -> list[Path]:
    """Write every file (path inside `root` -> bytes): all of them, or none; return their paths.

    `what` names them in messages ('the report', 'the sign-off record'). Before writing, the temporaries
    that a killed earlier write left are removed: those of these files, and in `root` any name that
    `stale` matches in full (the caller's own temporaries, never other files)."""
    targets = {rel: refuse_unsafe_path(root, rel) for rel in files}
    try:
        for target in targets.values():
            target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(f"{root}: cannot create the folder for {what} ({exc.strerror}); nothing was written") from None
    with _folder_lock(root), contextlib.ExitStack() as held:
        remove_stale(root, targets.values(), stale)
        staged: list[tuple[str, Path]] = []
        kept: dict[Path, str] = {}
        try:
            mode = _file_mode()
            for rel, data in files.items():
                target = targets[rel]
                handle, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent)
                staged.append((tmp, target))
                with os.fdopen(handle, "wb") as stream:
                    stream.write(data)
                # mkstemp makes files only their owner can read; a report is meant to be served and shared
                os.chmod(tmp, mode)
            for _, target in staged:
                if target.exists():
                    kept[target] = _keep_aside(target)
            # Held from the first move until the leftovers below are gone: a signal then ends a tidy folder.
            held.enter_context(_signals_held())
            _move_into_place(staged, kept, root, what)
        except OSError as exc:
            raise BuildError(f"{root}: cannot write {what} ({exc.strerror}); nothing was written and the previous "
                             "files are kept") from None
        finally:
            # Whatever stopped the write (a full disk, Ctrl-C), no temporary and no kept-aside copy stays.
            for leftover in [tmp for tmp, _ in staged] + list(kept.values()):
                with contextlib.suppress(OSError):
                    os.unlink(leftover)
    return list(targets.values())


def _move_into_place(staged: list[tuple[str, Path]], kept: dict[Path, str], root: Path, what: str) -> None:
    """Move every temporary over its file; on any failure put every previous file back (or remove a new one)."""
    moved: list[Path] = []
    try:
        for tmp, target in staged:
            os.replace(tmp, target)
            moved.append(target)
    except BaseException:
        try:
            for target in reversed(moved):
                if target in kept:
                    os.replace(kept[target], target)
                else:
                    os.unlink(target)
        except OSError as exc:
            raise BuildError(
                f"{root}: writing {what} failed and the previous files could not all be put back "
                f"({exc.strerror}): the folder may now hold new files beside old ones; run the command again"
            ) from None
        raise


def _keep_aside(target: Path) -> str:
    """A second name for the current file, to put it back if the new set cannot be completed."""
    for _ in range(100):
        aside = target.parent / f".{target.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
        try:
            os.link(target, aside)
            return str(aside)
        except FileExistsError:
            continue
        except OSError:
            # A file system without hard links (FAT, some network shares): a copy does as well.
            handle, copy = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent)
            os.close(handle)
            shutil.copy2(target, copy)
            return copy
    raise FileExistsError(f"no free temporary name beside {target}")


def remove_stale(root: Path, targets: Iterable[Path], stale: re.Pattern[str] | None) -> None:
    """Remove temporaries a killed write left: '.<name>.<random>.partial' of each target, and in `root`
    every name `stale` matches in full. Only files and links are removed (a link itself, never what it
    points to), never a folder; a file that cannot be removed is left (it never stops the write)."""
    patterns: dict[Path, list[re.Pattern[str]]] = {}
    for target in targets:
        patterns.setdefault(target.parent, []).append(temporary_pattern(re.escape(target.name)))
    if stale is not None:
        patterns.setdefault(root, []).append(stale)
    for folder, wanted in patterns.items():
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if not entry.name.startswith(".") or not any(p.fullmatch(entry.name) for p in wanted):
                continue
            with contextlib.suppress(OSError):
                if not entry.is_dir(follow_symlinks=False):
                    os.unlink(entry.path)


def temporary_pattern(names: str, legacy: bool = False) -> re.Pattern[str]:
    """The temporaries of the files whose names the regular expression `names` matches in full (with
    `legacy`, also the suffix-less ones of builds before '.partial')."""
    return re.compile(rf"\.(?:{names}){_RANDOM_OR_LEGACY if legacy else _RANDOM}")


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold back SIGINT, SIGTERM and SIGHUP: each one that arrives is raised again when the block ends.

    By a Python handler for the while, not a signal mask: a mask is per thread, and a library's thread
    (openpyxl starts one) would take the signal instead. Handlers can only be set in the main thread."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    arrived: list[int] = []

    def hold(signum: int, _frame: FrameType | None) -> None:
        arrived.append(signum)

    previous = {}
    for signum in _HELD_SIGNALS:
        if signal.getsignal(signum) not in (signal.SIG_IGN, None):  # None: set outside Python, left alone
            previous[signum] = signal.signal(signum, hold)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        for signum in dict.fromkeys(arrived):
            signal.raise_signal(signum)


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """One writer at a time in a folder (an advisory lock on the folder itself, no lock file), so the
    temporaries found there are a killed writer's, never a running one's, and two sets never interleave."""
    if sys.platform == "win32":
        yield
        return
    import fcntl

    try:
        handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        yield
        return
    try:
        with contextlib.suppress(OSError):  # a file system without locks: write unlocked, as before
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def _file_mode() -> int:
    """The mode a newly created file gets under the current umask (what open() would give)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask
