"""Problems found in content, reported together as `path:line: message`."""

from __future__ import annotations

import re
from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"
# A placeholder of the product's own templates left in (unfinished.py): an error, except in a working-tree
# build, which shows it and marks the report DRAFT (pipeline.BuildRequest.unfinished_allowed).
UNFINISHED = "unfinished"

# The largest content file the build reads. Real ones are a few KB; markdown-it needs up to about 10 µs
# a character on pathological Markdown (a line of 250,000 '['), so this keeps any file to seconds.
MAX_FILE_BYTES = 250_000


def file_too_large(size: int) -> str:
    """The message for a content file over MAX_FILE_BYTES."""
    return (f"the file is {size / 1000:,.0f} KB; content files may be at most {MAX_FILE_BYTES // 1000} KB: "
            "shorten it or split it")


@dataclass(frozen=True, order=True, slots=True)
class Issue:
    """A mistake in a content file: where it is, what is wrong and how to fix it.

    `severity` is "error" (the build stops), "warning" (printed; the build goes on unless --strict) or
    "unfinished" (an error, but a working-tree build goes on and marks the report DRAFT).
    """

    path: str
    line: int
    message: str
    severity: str = ERROR

    def __post_init__(self) -> None:
        # A message quotes what the author typed, which may hold a newline, a control character or half a
        # surrogate pair: escaped here, every issue prints as one line that any terminal or log can take.
        object.__setattr__(self, "path", printable(self.path))
        object.__setattr__(self, "message", printable(self.message))

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"

    @property
    def is_warning(self) -> bool:
        """True for something that may be intended: reported, but does not stop the build."""
        return self.severity == WARNING

    @property
    def is_unfinished(self) -> bool:
        """True for a template's placeholder still to be replaced (unfinished.py)."""
        return self.severity == UNFINISHED


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def printable(text: str) -> str:
    """Text with control characters, line separators and lone surrogates written as escapes (\\n, \\u000b)."""
    if _UNPRINTABLE.search(text) is None:
        return text
    named = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
    return _UNPRINTABLE.sub(lambda m: named.get(m.group(0), f"\\u{ord(m.group(0)):04x}"), text)


def shown(issue: Issue) -> str:
    """path:line: message, with 'warning: ' before the message of a warning (as every command prints it)."""
    if issue.is_warning:
        return f"{issue.path}:{issue.line}: warning: {issue.message}"
    return str(issue)


def problems_report(problems: list[Issue], nothing_done: str, again: str = "try again") -> str:
    """What a command prints when the content stops it: each problem on its line, then the count and what was
    not done ('nothing was written'), in the same words for every command."""
    count = len(problems)
    lines = [shown(issue) for issue in problems]
    lines.append(f"{count} problem{'s' if count != 1 else ''} found; {nothing_done}. Fix them and {again}.")
    return "\n".join(lines)


def warning(path: str, line: int, message: str) -> Issue:
    """A warning at path:line."""
    return Issue(path, line, message, WARNING)


class BuildError(Exception):
    """A reason the build cannot run as asked (not a content mistake): bad repository, date or output."""


class ContentErrors(Exception):
    """Raised by the pipeline when content has mistakes; carries every issue found (errors, and warnings too)."""

    def __init__(self, issues: list[Issue]):
        super().__init__(f"{len(issues)} problem(s) in the content")
        self.issues = sorted(set(issues))
