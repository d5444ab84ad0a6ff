"""Restricted, one rule, no near-misses (issue 16, part 2).

A '::: restricted' fence is read in one form only; every line that looks like one but is not is a content
error at its line, never public text. Every mention of a restricted action in public text is refused,
however it is written. Each case runs the real build on the minimal content (tests/fixtures/minimal), with a
canary string that must never reach a public output.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from conftest import run_build

from delivery_report.pipeline import BuildRequest, read_plan, render_outputs

ACTION = "content/business_areas/01-communications/1.3.md"
CANARY = "CANARY-NEAR-MISS-TEXT"
HEAD = '---\nref: "1.3"\naction: Promote the portal.\n---\nPublic progress.\n\n'
FIRST = 7  # the line of 1.3.md where a case's text starts, after HEAD
FORMATS = ("docx", "html", "csv", "xlsx", "json")


def _fence_error(line: int, fault: str) -> str:
    return (f"{ACTION}:{line}: this line looks like a '::: restricted' fence but is not one: {fault}; write it "
            "exactly '::: restricted' (three colons, a space, lower case, not indented 4 spaces or more) and end "
            "the block with a line ':::', so that its text is never published")


def _check(content: Path) -> tuple[int, list[str]]:
    result = run_build("--check", "--content", "content", cwd=content.parent)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stderr.splitlines()


# --- lines that look like a fence but are not read as one ---------------------------------------------------

# (case, text after HEAD, line of the error counted from FIRST, what the message says is wrong)
NEAR_MISSES = [
    ("no-break space", f":::\u00a0restricted\n{CANARY}\n:::\n", 0,
     "U+00A0 (NO-BREAK SPACE) stands where an ordinary space belongs"),
    ("no space", f":::restricted\n{CANARY}\n:::\n", 0, "there is no space between ':::' and 'restricted'"),
    ("capital", f"::: Restricted\n{CANARY}\n:::\n", 0, "'Restricted' is not 'restricted' in lower case"),
    ("upper case", f"::: RESTRICTED\n{CANARY}\n:::\n", 0, "'RESTRICTED' is not 'restricted' in lower case"),
    ("tab", f":::\trestricted\n{CANARY}\n:::\n", 0, "a tab stands where an ordinary space belongs"),
    ("zero-width space", f"::: \u200brestricted\n{CANARY}\n:::\n", 0,
     "U+200B (ZERO WIDTH SPACE) stands where an ordinary space belongs"),
    ("two colons", f":: restricted\n{CANARY}\n::\n", 0, "it has two colons, not three"),
    ("full-width colons", f"\uff1a\uff1a\uff1a restricted\n{CANARY}\n:::\n", 0,
     "its colons include U+FF1A (FULLWIDTH COLON), not ':'"),
    ("misspelt", f"::: restriced\n{CANARY}\n:::\n", 0, "'restriced' is not 'restricted'"),
    ("words after", f"::: restricted until 2019\n{CANARY}\n:::\n", 0, "there is more after 'restricted' on the line"),
    ("starts with a no-break space", f"\u00a0::: restricted\n{CANARY}\n:::\n", 0,
     "the line starts with U+00A0 (NO-BREAK SPACE)"),
    ("indented 4 spaces: code", f"    ::: restricted\n    {CANARY}\n    :::\n", 0,
     "it is indented 4 spaces or more, so it is printed as typed"),
    ("indented 4 spaces after a paragraph line: text", f"More progress.\n    ::: restricted\n    {CANARY}\n    :::\n", 1,
     "it is indented 4 spaces or more, so it is printed as typed"),
    ("indented with a tab: code", f"\t::: restricted\n\t{CANARY}\n\t:::\n", 0,
     "it is indented 4 spaces or more, so it is printed as typed"),
    ("inside a code block", f"```\n::: restricted\n{CANARY}\n:::\n```\n", 1,
     "here it is code (inside a code block or indented 4 spaces or more), printed as typed"),
    ("in a list item, indented as code", f"- public item\n\n      ::: restricted\n      {CANARY}\n      :::\n", 2,
     "it is indented 4 spaces or more, so it is printed as typed"),
    ("in a quote, indented as code", f">     ::: restricted\n>     {CANARY}\n>     :::\n", 0,
     "here it is code (inside a code block or indented 4 spaces or more), printed as typed"),
    ("in a list item, no space", f"- public item\n- :::restricted\n  {CANARY}\n  :::\n", 1,
     "there is no space between ':::' and 'restricted'"),
    ("in a quote, capital", f"> ::: Restricted\n> {CANARY}\n> :::\n", 0,
     "'Restricted' is not 'restricted' in lower case"),
]


@pytest.mark.parametrize(("text", "offset", "fault"), [case[1:] for case in NEAR_MISSES],
                         ids=[case[0] for case in NEAR_MISSES])
def test_a_line_that_looks_like_a_fence_is_an_error_at_its_line(content_copy: Path, text: str, offset: int,
                                                                  fault: str):
    (content_copy / "business_areas/01-communications/1.3.md").write_text(HEAD + text, encoding="utf-8")
    code, lines = _check(content_copy)
    assert code == 1
    assert _fence_error(FIRST + offset, fault) in lines, "\n".join(lines)


def test_a_near_miss_in_a_field_is_reported_at_its_line_in_the_file(content_copy: Path):
    (content_copy / "business_areas/01-communications/1.3.md").write_text(
        f'---\nref: "1.3"\naction: |\n  Promote the portal.\n\n  ::: Restricted\n  {CANARY}\n  :::\n---\n',
        encoding="utf-8")
    code, lines = _check(content_copy)
    assert code == 1
    assert _fence_error(6, "'Restricted' is not 'restricted' in lower case") in lines, "\n".join(lines)


@pytest.mark.parametrize(("text", "line"), [
    (f"::: restricted\n{CANARY}\n", FIRST),
    (f"- public item\n\n  ::: restricted\n  {CANARY}\n- next public item\n", FIRST + 2),
    (f"> ::: restricted\n> {CANARY}\n\nPublic again.\n", FIRST),
], ids=["at the end of the text", "in a list item", "in a quote"])
def test_an_unclosed_fence_is_an_error_at_its_line(content_copy: Path, text: str, line: int):
    (content_copy / "business_areas/01-communications/1.3.md").write_text(HEAD + text, encoding="utf-8")
    code, lines = _check(content_copy)
    assert code == 1
    assert (f"{ACTION}:{line}: the '::: restricted' block is not closed; add a line ':::' where the restricted "
            "text ends") in lines, "\n".join(lines)


def test_a_build_with_a_near_miss_writes_nothing(content_copy: Path, tmp_path: Path):
    (content_copy / "business_areas/01-communications/1.3.md").write_text(
        HEAD + f":::\u00a0restricted\n{CANARY}\n:::\n", encoding="utf-8")
    for restricted in ((), ("--restricted",)):
        result = run_build(*restricted, "--format", ",".join(FORMATS), "--content", "content", "--out", "out",
                           cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        assert not (tmp_path / "out").exists()


# --- the canonical fence, wherever markdown-it reads it: hidden from every public output --------------------

def _docx_text(data: bytes) -> str:
    """Every word of a DOCX as python-docx reads it (body, tables, headers, footers) and every part's XML."""
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts.extend(cell.text for row in table.rows for cell in row.cells)
    for section in document.sections:
        texts.extend(p.text for part in (section.header, section.footer) for p in part.paragraphs)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        texts.extend(package.read(name).decode("utf-8", "replace") for name in package.namelist())
    return "\n".join(texts)


def _xlsx_text(data: bytes) -> str:
    """Every cell of every sheet, and every part's XML."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    texts = [str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
             if cell is not None]
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        texts.extend(package.read(name).decode("utf-8", "replace") for name in package.namelist())
    return "\n".join(texts)


def _texts(outputs: dict[str, bytes]) -> dict[str, str]:
    """Each output's text, by format."""
    out = {}
    for name, data in outputs.items():
        suffix = name.rsplit(".", 1)[1]
        if suffix == "docx":
            out[suffix] = _docx_text(data)
        elif suffix == "xlsx":
            out[suffix] = _xlsx_text(data)
        elif suffix == "json":
            out[suffix] = json.dumps(json.loads(data), ensure_ascii=False)
        else:
            out[suffix] = data.decode("utf-8")
    assert sorted(out) == sorted(FORMATS)
    return out


def _public_and_restricted(content: Path) -> tuple[dict[str, str], dict[str, str]]:
    """The texts of the public outputs and of the restricted copy, built as the build builds them."""
    request = BuildRequest(content_dir=content, out_dir=content.parent / "out")
    plan = read_plan(request)
    assert not [w for w in request.warnings if "restrict" in w.message or "fence" in w.message], request.warnings
    return _texts(render_outputs(plan, formats=FORMATS)), _texts(render_outputs(plan, restricted=True, formats=FORMATS))


def _assert_hidden(content: Path, canary: str = CANARY) -> None:
    code, lines = _check(content)
    assert code == 0, "\n".join(lines)
    public, restricted = _public_and_restricted(content)
    for kind, text in public.items():
        assert canary not in text, f"{canary} leaked into the public {kind}"
        assert "Public progress" in text, f"the public {kind} lacks the action's public text"
    for kind, text in restricted.items():
        assert canary in text, f"{canary} is missing from the restricted copy's {kind}"


CANONICAL = [
    ("three colons", f"::: restricted\n{CANARY}\n:::\n"),
    ("more colons and spaces", f"::::  restricted\n{CANARY}\n::::\n"),
    ("closed by a longer line with trailing spaces", f"::: restricted  \n{CANARY}\n:::::   \n"),
    ("indented 3 spaces", f"   ::: restricted\n   {CANARY}\n   :::\n"),
    ("in a list item", f"- public item\n\n  ::: restricted\n  {CANARY}\n  :::\n"),
    ("as a list item", f"1. ::: restricted\n   {CANARY}\n   :::\n2. public step\n"),
    ("in a quote", f"> ::: restricted\n> {CANARY}\n> :::\n"),
    ("after a paragraph line", f"More progress.\n::: restricted\n{CANARY}\n:::\n"),
    ("after a quote line", f"> Quoted progress.\n::: restricted\n{CANARY}\n:::\n"),
    ("in a quote in a list item", f"- public item\n\n  > ::: restricted\n  > {CANARY}\n  > :::\n"),
]


@pytest.mark.parametrize("text", [case[1] for case in CANONICAL], ids=[case[0] for case in CANONICAL])
def test_the_canonical_fence_hides_its_text_from_every_public_output(content_copy: Path, text: str):
    (content_copy / "business_areas/01-communications/1.3.md").write_text(HEAD + text, encoding="utf-8")
    _assert_hidden(content_copy)


def test_a_fence_in_a_field_hides_its_text(content_copy: Path):
    (content_copy / "business_areas/01-communications/1.3.md").write_text(
        f'---\nref: "1.3"\naction: |\n  Promote the portal.\n\n  ::: restricted\n  {CANARY}\n  :::\n---\n'
        "Public progress.\n", encoding="utf-8")
    _assert_hidden(content_copy)


def test_old_mac_line_ends_are_read_as_lines_for_fences_and_restricted_files(content_copy: Path):
    """A file saved with a lone CR at each line end: the fence and 'restricted: true' are read as written."""
    area = content_copy / "business_areas/01-communications"
    (area / "1.3.md").write_bytes((HEAD + f"::: restricted\n{CANARY}\n:::\n").replace("\n", "\r").encode())
    (area / "1.5.md").write_bytes(
        '---\nref: "1.5"\naction: CANARY-CR-RESTRICTED-ACTION\nrestricted: true\n---\n- CANARY-CR-STATUS\n'
        .replace("\n", "\r").encode())
    assert b"\n" not in (area / "1.5.md").read_bytes()
    _assert_hidden(content_copy)
    public, restricted = _public_and_restricted(content_copy)
    for canary in ("CANARY-CR-RESTRICTED-ACTION", "CANARY-CR-STATUS"):
        assert not any(canary in text for text in public.values()), canary
        assert all(canary in text for text in restricted.values()), canary


# --- mentions of a restricted action (2.2 in the minimal content) in public text ----------------------------

def _mention_error(line: int) -> str:
    return (f"{ACTION}:{line}: the text names Action 2.2, which is restricted, so the public report would reveal "
            "it; put the sentence in a '::: restricted' block, or leave the ref out")


MENTIONS = [
    ("a list with 'and'", "Links to Actions 2.1, 2.2 and 1.3.\n", 0),
    ("a list with '&'", "Links to Actions 2.1 & 2.2.\n", 0),
    ("lower case", "links to actions 2.1 & 2.2\n", 0),
    ("action, singular", "see action 2.2\n", 0),
    ("upper case", "SEE ACTION 2.2\n", 0),
    ("a list over two lines", "See Actions 2.1,\n2.2 and 1.3.\n", 1),
    ("a range", "Actions 1.3\u20132.2 are linked.\n", 0),
    ("an anchor link", "See [the review](#action-2.2).\n", 0),
    ("an anchor link in capitals", "See [the review](#ACTION-2.2).\n", 0),
    ("an anchor in a full address", "See [the review](https://example.org/report.html#action-2.2).\n", 0),
    ("a link's text", "See [Action 2.2](https://example.org/).\n", 0),
    ("formatted", "See **Action** ^2.2^.\n", 0),
    ("an entity", "See Act&#105;on 2.2.\n", 0),
    ("code", "See `Action 2.2`.\n", 0),
    ("a code block", "```\nAction 2.2\n```\n", 1),
    ("a heading", "## Action 2.2\n", 0),
    ("next year's plan, which a reader cannot tell apart", "Action 2.2, 2018/19 continues it.\n", 0),
]


@pytest.mark.parametrize(("text", "offset"), [case[1:] for case in MENTIONS], ids=[case[0] for case in MENTIONS])
def test_public_text_naming_a_restricted_action_is_refused(content_copy: Path, text: str, offset: int):
    (content_copy / "business_areas/01-communications/1.3.md").write_text(HEAD + text, encoding="utf-8")
    code, lines = _check(content_copy)
    assert code == 1
    assert _mention_error(FIRST + offset) in lines, "\n".join(lines)


def test_a_restricted_action_named_in_a_field_is_refused_at_the_field(content_copy: Path):
    (content_copy / "business_areas/01-communications/1.3.md").write_text(
        '---\nref: "1.3"\naction: Follow up ACTIONS 2.1 AND 2.2.\n---\n', encoding="utf-8")
    code, lines = _check(content_copy)
    assert code == 1
    assert _mention_error(3) in lines, "\n".join(lines)


def test_restricted_actions_may_be_named_inside_a_fence(content_copy: Path):
    (content_copy / "business_areas/01-communications/1.3.md").write_text(
        HEAD + f"::: restricted\n{CANARY}: actions 2.1 & 2.2, [the review](#action-2.2)\n:::\n", encoding="utf-8")
    _assert_hidden(content_copy)


def test_refs_the_report_does_not_link_are_not_warned_about_when_unknown(content_copy: Path):
    """'actions 9.8 & 9.9' may name another plan's actions; only a linked 'Action 9.9' is worth a warning."""
    (content_copy / "business_areas/01-communications/1.3.md").write_text(
        HEAD + "Links to actions 9.7 & 9.8.\n\nThen Action 9.9.\n", encoding="utf-8")
    code, lines = _check(content_copy)
    assert code == 0, "\n".join(lines)
    named = [line for line in lines if "the text names Action" in line]
    assert named == [f"{ACTION}:{FIRST + 2}: warning: the text names Action 9.9, which is not in the plan; correct "
                     "the ref (it is printed without a link)"], named
