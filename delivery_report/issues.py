"""Problems found in content, reported together as `path:line: message`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Issue:
    """A mistake in a content file: where it is, what is wrong and how to fix it."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class BuildError(Exception):
    """A reason the build cannot run as asked (not a content mistake): bad repository, date or output."""


class ContentErrors(Exception):
    """Raised by the pipeline when content has mistakes; carries every issue found."""

    def __init__(self, issues: list[Issue]):
        super().__init__(f"{len(issues)} problem(s) in the content")
        self.issues = sorted(set(issues))
