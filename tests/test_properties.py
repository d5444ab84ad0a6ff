"""Property: whatever bytes a content file holds, the build gives a report that reopens, or path:line errors.

Hypothesis generates content files (YAML and Markdown shapes, control characters, look-alike digits,
links, fences, odd file names, sizes) into a copy of the minimal fixture and runs the pipeline
in-process. The CI profile (tests/conftest.py) is derandomized with a bounded number of examples;
`python -m pytest tests/test_properties.py --hypothesis-profile=long` explores far more.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from conftest import FIXTURES
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from delivery_report import pipeline
from delivery_report.issues import BuildError, ContentErrors, Issue

# Hundreds of generated plans, each assembled and rendered.
pytestmark = pytest.mark.slow

TARGETS = (
    "business_areas/01-communications/1.3.md",
    "business_areas/01-communications/_area.md",
    "business_areas/02-partnerships/2.2.md",
    "kpis/domestic-violence.md",
    "recommendations/01-local-criminal-justice-board.md",
    "plan.md",
    "cover_report.md",
    "people.yaml",
    "priorities.yaml",
)
FIELDS = (
    "ref", "action", "priorities", "due", "sponsor", "lead", "rag", "status", "superseded_by",
    "carried_forward", "restricted", "title", "number", "current", "baseline", "target", "unit",
    "better", "period", "topic", "responses", "people", "initials", "executive_summary", "sponser",
)
# Pieces that have broken (or could break) a parser, a renderer or a message.
TRICKY = (
    "#", " #2", ": ", "'", '"', "\\", "\\ud800", "\\v", "\\x0b", "&a ", "*a", "[", "]", "{", "}", "|", ">",
    "---", ":::", "::: restricted", "::: note", "- ", "  - ", "1. ", "* ", "Action 1.2", "Action 9.99",
    "links to Action 2.1", "[x](file:///etc/passwd)", "[y](https://example.org)", "<smb://h/s>", "[z](#a)",
    "[m](mailto:a@b.c)", "<b>", "++u++", "^s^", "**b**", "{action_count}", "{rag_key}", "{nope}", "\x0b",
    "\x00", "\x1b", "\x7f", "\x85", "\ufffe", "\uffff", "\u2028", "\u2029", "\u200b", "\ufeff", "\t", "\r",
    "\r\n", "\u00a0", "\u0661", "\uff11", "\u201c1.3\u201d", ".nan", ".inf", "1e400", "9" * 40, "0x1F",
    "2018-03", "March", "TBC", "true", "false", "null", "~", "[1, 2]", "{label: x, value: 1}", "!!binary aGk=",
    "!!python/object:os.system", "? ", "| a | b |\n|---|---|\n| 1 | 2 |", "```", "    code", "\U0001f600",
    "é", "ß", "\u0301", "\ud7ff", "\ue000",
)

piece = st.one_of(st.sampled_from(TRICKY), st.text(max_size=12), st.characters().map(str))
line = st.lists(piece, max_size=6).map("".join)
field_line = st.tuples(st.sampled_from(("", "", " ", "  ", "\t")), st.sampled_from(FIELDS), line).map(
    lambda t: f"{t[0]}{t[1]}: {t[2]}"
)
# Printable text and Markdown that is allowed: most edits built from it should still build.
MARKDOWN = ("- ", "  - ", "1. ", "**", "*", "++", "^", "Action 1.2", "[site](https://example.org/a?b=c&d)",
            "[mail](mailto:a@example.org)", "::: restricted\nhidden\n:::", "\u201cquoted\u201d", "&amp;", "<", ">",
            "{as_at}", "\U0001f600", "\u0301", "\u00a0", "'", '"', "#", "`code`", "\\", "_", "~")
benign_piece = st.one_of(
    st.sampled_from(MARKDOWN),
    st.text(alphabet=st.characters(categories=["L", "M", "N", "P", "S", "Zs"]), max_size=12),
)
benign_line = st.lists(benign_piece, max_size=6).map("".join)
front_matter = st.lists(st.one_of(field_line, field_line, line), max_size=8)
body = st.lists(line, max_size=10)


@st.composite
def edits(draw: st.DrawFn, original: str) -> str:
    """The fixture file with a few lines of Markdown added to its body, or a field set to a quoted text:
    mostly still valid content, so that the renderers see the odd text too."""
    lines = original.split("\n")
    closing = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), len(lines) - 1)
    text_fields = [i for i in range(1, closing) if re.match(r"^\s*(- )?(action|title|topic|period|name|heading|text):", lines[i])]
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        if draw(st.booleans()) or not text_fields:
            at = draw(st.integers(min_value=closing + 1, max_value=len(lines)))
            lines.insert(at, draw(st.one_of(benign_line, benign_line, line)))
        else:
            # a text field's value replaced by a double-quoted string (JSON is valid YAML): any character can be
            # written, escaped, as an officer could
            at = draw(st.sampled_from(text_fields))
            key = lines[at].split(":", 1)[0]
            lines[at] = f"{key}: {json.dumps(draw(st.one_of(benign_line, line)))}"
    return "\n".join(lines)


@st.composite
def documents(draw: st.DrawFn, original: str) -> bytes:
    """A content file: an edit of the fixture's, front matter and a body, raw bytes, or repeated to size."""
    shape = draw(st.sampled_from(("edit",) * 6 + ("document", "document", "yaml", "bytes", "repeated")))
    if shape == "edit" and original:
        return draw(edits(original)).encode("utf-8", "surrogatepass")
    if shape == "bytes":
        return draw(st.binary(max_size=300))
    fields = "\n".join(draw(front_matter))
    if shape == "yaml":
        text = fields
    else:
        closed = draw(st.booleans()) or draw(st.booleans())
        text = "---\n" + fields + ("\n---\n" if closed else "\n") + "\n".join(draw(body))
    if shape == "repeated":
        text = text * draw(st.integers(min_value=2, max_value=3000))
    # surrogatepass: a lone surrogate in the text becomes bytes that are not UTF-8, as a broken editor writes
    return text.encode("utf-8", "surrogatepass")


# Names a file system accepts: no '/', no NUL, not '.' or '..'.
file_names = st.text(min_size=1, max_size=40).filter(lambda n: "/" not in n and "\x00" not in n and n not in (".", ".."))
targets = st.one_of(
    st.sampled_from(TARGETS),
    st.sampled_from(TARGETS),
    st.sampled_from(TARGETS),
    st.tuples(st.sampled_from(("", "kpis/", "business_areas/01-communications/", "recommendations/")), file_names).map(
        "".join
    ),
)
ORIGINALS = {rel: (FIXTURES / "minimal" / "content" / rel).read_text(encoding="utf-8") for rel in TARGETS}


@st.composite
def changes_to_content(draw: st.DrawFn) -> tuple[str, bytes]:
    """A file of the content folder (existing or new) and the bytes it will hold."""
    rel = draw(targets)
    return rel, draw(documents(ORIGINALS.get(rel, "")))


class _StrictHTML(HTMLParser):
    """Parses the HTML fully; any parser exception fails the property."""


def _check_issue(issue: Issue) -> None:
    text = str(issue)
    assert issue.path.startswith("content/"), text
    assert issue.line >= 1, text
    assert "\n" not in text and "\r" not in text, f"a message spans lines: {text!r}"
    text.encode("utf-8")  # printable: no lone surrogates reach stderr


@pytest.fixture(scope="module")
def content_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One copy of the minimal fixture per module; each example restores what it changed."""
    root = tmp_path_factory.mktemp("property")
    shutil.copytree(FIXTURES / "minimal" / "content", root / "content")
    yield root


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(changes=st.lists(changes_to_content(), min_size=1, max_size=2))
# Found by the long profile: an escaped surrogate pair is two lone surrogates, which reached a message.
@example(changes=[(TARGETS[0], b'---\nref: "1.3"\naction: ":::\\ud83d\\ude00"\n---\n- status\n')])
def test_any_content_builds_cleanly_or_gives_path_line_errors(content_root: Path, changes: list[tuple[str, bytes]]) -> None:
    content = content_root / "content"
    saved: dict[Path, bytes | None] = {}
    try:
        for rel, data in changes:
            path = content / rel
            if path not in saved:
                saved[path] = path.read_bytes() if path.is_file() else None
            try:
                path.write_bytes(data)
            except OSError:
                continue  # a name this file system refuses (too long, say): nothing to build from
        _build_and_check(content)
    finally:
        for path, before in saved.items():
            if before is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(before)


def _build_and_check(content: Path) -> None:
    request = pipeline.BuildRequest(content_dir=content, out_dir=content.parent / "out", today=dt.date(2018, 4, 11))
    try:
        plan = pipeline.read_plan(request)
    except ContentErrors as errors:
        event("content errors")
        assert errors.issues, "ContentErrors without a single issue"
        for issue in errors.issues:
            _check_issue(issue)
        return
    except BuildError as error:
        raise AssertionError(f"content alone caused a BuildError: {error}") from None
    event("built")
    for issue in request.warnings:
        _check_issue(issue)
    for restricted in (False, True):
        outputs = pipeline.render_outputs(plan, restricted=restricted)
        for name, data in outputs.items():
            if name.endswith(".docx"):
                with zipfile.ZipFile(io.BytesIO(data)) as package:
                    assert package.testzip() is None
                docx.Document(io.BytesIO(data))
            else:
                parser = _StrictHTML()
                parser.feed(data.decode("utf-8"))
                parser.close()
