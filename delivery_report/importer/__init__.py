"""Import a Word delivery plan (.docx) into a content folder that builds.

python-docx reads the table structure, merges and shading; cells become Markdown with the importer's
own converter (run properties and list styles/numbering), which is exact and fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .mapping import ImportedPlan, read_plan
from .tables import UnreadableDocument, read_document
from .write import FolderNotEmpty, content_files, write_folder

__all__ = ["FolderNotEmpty", "ImportFailed", "ImportResult", "import_docx", "write_folder"]


class ImportFailed(Exception):
    """The document cannot be imported at all (not a .docx, damaged, or no delivery-plan table)."""


@dataclass
class ImportResult:
    """The content folder's files (relative path -> text), the plan read, and every problem to check."""

    files: dict[str, str]
    plan: ImportedPlan
    problems: list[str] = field(default_factory=list)

    @property
    def action_count(self) -> int:
        """How many actions were imported."""
        return sum(len(area.actions) for area in self.plan.areas)


def import_docx(path: Path) -> ImportResult:
    """Read a Word delivery plan; raise ImportFailed with a plain reason when it cannot be read."""
    name = path.name
    if not path.is_file():
        raise ImportFailed(f"{path}: no such file; give the Word plan's path")
    try:
        document = read_document(path)
    except UnreadableDocument as exc:
        raise ImportFailed(f"{name} {exc}") from None
    plan = read_plan(document, name)
    if not plan.areas:
        raise ImportFailed(f"{name}: no delivery-plan table found (a table whose first row names at least "
                           "'Ref' and 'Actions' columns); is this the delivery plan?")
    return ImportResult(files=content_files(plan, name), plan=plan, problems=list(plan.problems))
