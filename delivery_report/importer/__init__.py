"""Import a Word delivery plan (.docx) into a content folder that builds.

python-docx reads the table structure, merges and shading; cells become Markdown with the importer's
own converter (run properties and list styles/numbering), which is exact and fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .columns import FIELD_MEANINGS, parse_overrides
from .mapping import ImportedPlan, read_plan
from .summary import mapping_lines, summary_lines
from .tables import UnreadableDocument, read_document
from .write import FolderNotEmpty, content_files, write_folder

__all__ = ["FIELD_MEANINGS", "FolderNotEmpty", "ImportFailed", "ImportResult", "import_docx", "parse_overrides",
           "write_folder"]


class ImportFailed(Exception):
    """The document cannot be imported at all (not a .docx, damaged, too large, or no delivery-plan table)."""


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

    def mapping(self) -> list[str]:
        """What each table was taken to be and which column is which field (what --dry-run prints)."""
        return mapping_lines(self.plan)

    def summary(self) -> list[str]:
        """The areas, the rating scale found and every follow-up, each named."""
        return summary_lines(self.plan, self.files, self.problems)


def import_docx(path: Path, columns: dict[str, str] | None = None) -> ImportResult:
    """Read a Word delivery plan; raise ImportFailed with a plain reason when it cannot be read.

    `columns` names fields for headings the importer cannot tell (parse_overrides("Owner=lead"))."""
    name = path.name
    if not path.is_file():
        raise ImportFailed(f"{path}: no such file; give the Word plan's path")
    try:
        document = read_document(path)
    except UnreadableDocument as exc:
        raise ImportFailed(f"{name} {exc}") from None
    plan = read_plan(document, name, columns)
    if not any(table.kind == "plan" for table in plan.tables):
        raise ImportFailed(f"{name}: no delivery-plan table found (a table whose header row names an action column, "
                           "such as Actions, Objective or Commitment, and at least two others, such as Ref, Lead, Due "
                           "date, Progress or R/A/G); is this the delivery plan? If its headings are other words, "
                           "name them with --columns \"Heading=field,...\"")
    return ImportResult(files=content_files(plan, name), plan=plan, problems=list(plan.problems))
