"""What the reader made of a git blob, kept between runs.

A git blob id names its bytes for ever, so what this version of the reader makes of a blob at a path
never changes: the audit keeps it here and reads each old version once per machine instead of once per
build. The file's name carries a fingerprint of the package's own code and of the parsers it uses,
so any change to the reader starts a new cache. The cache is only a speed-up: a missing, damaged or
foreign file is ignored, and failing to save it never fails a build.

Where: $DELIVERY_REPORT_CACHE (a folder; 'off' switches the cache off), else $XDG_CACHE_HOME or
~/.cache, under delivery-report/.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from .issues import BuildError
from .writing import write_files

# A cache past this many entries starts again (a few hundred bytes each: tens of MB at most).
MAX_ENTRIES = 200_000
_PACKAGE = Path(__file__).resolve().parent


def cache_folder() -> Path | None:
    """The folder the caches live in, or None when switched off."""
    chosen = os.environ.get("DELIVERY_REPORT_CACHE")
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "no") else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "delivery-report"


@lru_cache(maxsize=1)
def reader_fingerprint() -> str:
    """A hash of the package's code and schemas and the versions of the parsers it reads with."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")) + sorted((_PACKAGE.parent / "schemas").glob("*.json")):
        with contextlib.suppress(OSError):
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for name in ("markdown-it-py", "mdit-py-plugins", "PyYAML"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            digest.update(f"{name}={metadata.version(name)}\0".encode())
    return digest.hexdigest()[:20]


class BlobCache:
    """One named cache: key (a path and a blob id) -> a JSON value."""

    def __init__(self, name: str):
        self.folder = cache_folder()
        self.file = f"{name}-{reader_fingerprint()}.json"
        self.entries: dict[str, Any] = {}
        self.added = 0
        if self.folder is not None:
            self.entries = _load(self.folder / self.file)

    def get(self, key: str) -> Any:
        """The value kept for key, or None."""
        return self.entries.get(key)

    def put(self, key: str, value: Any) -> None:
        """Keep a value (saved by save())."""
        if len(self.entries) >= MAX_ENTRIES:
            self.entries = {}
        self.entries[key] = value
        self.added += 1

    def save(self) -> None:
        """Write the cache when something was added; any failure is ignored (it is only a speed-up)."""
        if self.folder is None or not self.added:
            return
        data = json.dumps(self.entries, separators=(",", ":"), sort_keys=True).encode("utf-8")
        with contextlib.suppress(BuildError, OSError, ValueError):
            self.folder.mkdir(parents=True, exist_ok=True)
            write_files(self.folder, {self.file: data}, "the cache")
        self.added = 0


def _load(path: Path) -> dict[str, Any]:
    """The cache file's entries, or none when it is missing, a link, damaged or not the cache's shape."""
    try:
        if path.is_symlink():
            return {}
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
