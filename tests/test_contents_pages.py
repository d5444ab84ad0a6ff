"""The DOCX's Contents carries its page numbers (issue 21, part 3): each entry's PAGEREF field has as its result
the page LibreOffice laid the heading out on, so Word shows the numbers without F9 and the signed bytes stay the
signed bytes; the field stays a field; the PDF shows the same numbers; without LibreOffice, the fields are left
empty as before. Builds run for real (LibreOffice and poppler), from real git repositories with fixed dates."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import FIXTURES, ROOT, GitRepo, run_build, run_script
from docx.oxml.ns import qn

from delivery_report.layout import build_layout
from delivery_report.pipeline import PAGE_NUMBERS_SETTING, BuildRequest, read_plan
from delivery_report.render.docx import contents_bookmarks, render_docx
from delivery_report.render.pdf import destination_name

AS_AT = "2018-04-11"
MINIMAL_AS_AT = "2017-03-31"


def contents_entries(path: Path | bytes) -> list[tuple[str, str, str]]:
    """Each Contents entry of a DOCX: (its text, its PAGEREF field's instruction, the field's result), checking
    on the way that the number is a complete field (begin, instruction, separate, result, end)."""
    document = docx.Document(str(path) if isinstance(path, Path) else io.BytesIO(path))
    entries = []
    for paragraph in document.paragraphs:
        if paragraph.style.name not in ("toc 1", "toc 2"):
            continue
        marks: list[str] = []
        instruction, result, text = "", "", ""
        for run in paragraph._p.iter(qn("w:r")):
            kind = run.find(qn("w:fldChar"))
            if kind is not None:
                marks.append(kind.get(qn("w:fldCharType")))
                continue
            instruction += "".join(t.text or "" for t in run.iter(qn("w:instrText")))
            shown = "".join(t.text or "" for t in run.iter(qn("w:t")))
            if marks == ["begin", "separate"]:
                result += shown
            elif not marks:
                text += shown
        assert marks == ["begin", "separate", "end"], (paragraph.text, marks)
        entries.append((text.rstrip("\t"), instruction.strip(), result))
    return entries


def pdf_pages(pdf: Path) -> list[str]:
    """The PDF's pages as poppler's pdftotext reads them."""
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout.split("\f")


def minimal_repo(root: Path) -> GitRepo:
    """The minimal fixture plan committed on 24 March 2017."""
    repo = GitRepo(root)
    shutil.copytree(FIXTURES / "minimal" / "content", repo.root / "content")
    repo.commit_all("Plan as approved", "2017-03-24T12:00:00+00:00")
    return repo


# --- the real plan, with LibreOffice ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped plan as at 11 April 2018, DOCX and PDF, built with the page numbers from LibreOffice."""
    out = tmp_path_factory.mktemp("contents-pages")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(PAGE_NUMBERS_SETTING)
        result = run_build("--as-at", AS_AT, "--out", str(out), "--format", "docx,pdf")
    assert result.returncode == 0, result.stderr
    return out


@pytest.mark.slow
def test_the_contents_numbers_are_in_the_docx_and_equal_to_the_pdfs(real: Path) -> None:
    entries = contents_entries(real / f"report-{AS_AT}.docx")
    assert len(entries) == 4 + 9  # four appendices, nine business areas
    pages = pdf_pages(real / f"report-{AS_AT}.pdf")
    contents_page = next(i for i, page in enumerate(pages) if re.search(r"(?m)^Contents$", page))
    numbers = []
    for text, instruction, result in entries:
        # Still a field Word can update (F9), pointing at its heading's bookmark; its result already filled in.
        assert re.fullmatch(r"PAGEREF _Toc_\w+ \\h", instruction), instruction
        assert result.isdigit(), (text, result)
        number = int(result)
        numbers.append(number)
        # The PDF's Contents page prints the same number for the entry ...
        printed = re.search(rf"{re.escape(text)}\.+\s*(\d+)\s*$", pages[contents_page], re.MULTILINE)
        assert printed and int(printed.group(1)) == number, (text, printed)
        # ... and the heading is on that page of the PDF, and on no page between the Contents and it.
        assert number - 1 > contents_page
        assert text in pages[number - 1], (text, number)
        assert not any(text in page for page in pages[contents_page + 1:number - 1]), (text, number)
    assert numbers == sorted(numbers) and len(set(numbers)) > 5
    # The first appendix starts on the page after the Contents (pages are counted from the cover, 1).
    assert numbers[0] == contents_page + 2


@pytest.mark.slow
def test_the_filled_docx_is_the_same_bytes_every_build_and_signs_off(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Two builds of the same commit give the same DOCX, numbers filled; sign-off records that DOCX, and a DOCX
    built again from the commit verifies against the record."""
    monkeypatch.delenv(PAGE_NUMBERS_SETTING)
    repo = minimal_repo(tmp_path / "repo")
    content = repo.root / "content"
    for out in ("one", "two"):
        result = run_build("--as-at", MINIMAL_AS_AT, "--content", str(content), "--out", str(tmp_path / out))
        assert result.returncode == 0, result.stderr
    first = (tmp_path / "one" / f"report-{MINIMAL_AS_AT}.docx").read_bytes()
    assert (tmp_path / "two" / f"report-{MINIMAL_AS_AT}.docx").read_bytes() == first
    entries = contents_entries(first)
    assert entries and all(result.isdigit() for _, _, result in entries), entries

    signed = run_script(ROOT / "scripts" / "signoff.py", "--as-at", MINIMAL_AS_AT, "--by", "Paul Hammond, Chief Executive",
                        "--on", "2017-04-03", "--content", str(content), "--out", str(tmp_path / "signed"))
    assert signed.returncode == 0, signed.stderr
    signed_docx = (tmp_path / "signed" / f"report-{MINIMAL_AS_AT}.docx").read_bytes()
    assert signed_docx == first
    record = (content / "reports" / f"{MINIMAL_AS_AT}.yaml").read_text(encoding="utf-8")
    assert f"docx_sha256: {hashlib.sha256(first).hexdigest()}" in record
    verified = run_script(ROOT / "scripts" / "signoff.py", "--verify", str(tmp_path / "one" / f"report-{MINIMAL_AS_AT}.docx"),
                          "--content", str(content))
    assert verified.returncode == 0, verified.stderr


@pytest.mark.slow
def test_without_libreoffice_the_fields_are_left_for_word(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With no LibreOffice on the PATH (or with --no-page-numbers) the build still writes the DOCX, its Contents'
    page fields empty for Word to fill in: the same document as with LibreOffice but for the fields' results."""
    monkeypatch.delenv(PAGE_NUMBERS_SETTING)
    repo = minimal_repo(tmp_path / "repo")
    content = str(repo.root / "content")
    with_libreoffice = run_build("--as-at", MINIMAL_AS_AT, "--content", content, "--out", str(tmp_path / "with"),
                                 "--format", "docx")
    assert with_libreoffice.returncode == 0, with_libreoffice.stderr
    told_not_to = run_build("--as-at", MINIMAL_AS_AT, "--content", content, "--out", str(tmp_path / "told"),
                            "--format", "docx", "--no-page-numbers")
    assert told_not_to.returncode == 0, told_not_to.stderr
    # A PATH with git but no LibreOffice.
    tools = tmp_path / "bin"
    tools.mkdir()
    git = shutil.which("git")
    assert git is not None
    (tools / "git").symlink_to(git)
    monkeypatch.setenv("PATH", str(tools))
    without = run_build("--as-at", MINIMAL_AS_AT, "--content", content, "--out", str(tmp_path / "without"),
                        "--format", "docx")
    assert without.returncode == 0, without.stderr

    filled = contents_entries(tmp_path / "with" / f"report-{MINIMAL_AS_AT}.docx")
    empty = contents_entries(tmp_path / "without" / f"report-{MINIMAL_AS_AT}.docx")
    assert filled and all(result.isdigit() for _, _, result in filled)
    assert [(text, instruction) for text, instruction, _ in empty] == [(text, instruction) for text, instruction, _ in filled]
    assert all(result == "" for _, _, result in empty)
    unnumbered = (tmp_path / "without" / f"report-{MINIMAL_AS_AT}.docx").read_bytes()
    assert (tmp_path / "told" / f"report-{MINIMAL_AS_AT}.docx").read_bytes() == unnumbered
    # Nothing else differs: the numbers' text taken out of the fields' results, the two documents are the same.
    numbered = document_xml(tmp_path / "with" / f"report-{MINIMAL_AS_AT}.docx")
    taken_out, count = re.subn(r'(<w:fldChar w:fldCharType="separate"/></w:r><w:r>(?:<w:rPr>(?:(?!</w:r>).)*</w:rPr>)?)'
                               r'<w:t xml:space="preserve">\d+</w:t>', r"\1", numbered)
    assert count == len(filled)
    assert taken_out == document_xml(tmp_path / "without" / f"report-{MINIMAL_AS_AT}.docx")


def document_xml(path: Path) -> str:
    """word/document.xml of a DOCX, as text."""
    with zipfile.ZipFile(path) as package:
        return package.read("word/document.xml").decode("utf-8")


# --- without LibreOffice: the renderer and the destination names ---------------------------------------------------


def test_the_renderer_fills_each_field_with_the_page_given(monkeypatch: pytest.MonkeyPatch) -> None:
    plan = read_plan(BuildRequest(content_dir=FIXTURES / "minimal" / "content", out_dir=Path("unused")))
    report = build_layout(plan.public())
    bookmarks = contents_bookmarks(report)
    assert bookmarks and all(b.startswith("_Toc_") for b in bookmarks)
    pages = {bookmark: 3 + number for number, bookmark in enumerate(bookmarks)}
    filled = contents_entries(render_docx(report, plan.snapshot, pages))
    assert [result for _, _, result in filled] == [str(3 + n) for n in range(len(bookmarks))]
    assert [instruction for _, instruction, _ in filled] == [f"PAGEREF {b} \\h" for b in bookmarks]
    # A bookmark LibreOffice did not report keeps an empty field; none given, all empty (as before issue 21).
    partial = contents_entries(render_docx(report, plan.snapshot, {bookmarks[0]: 7}))
    assert [result for _, _, result in partial] == ["7"] + [""] * (len(bookmarks) - 1)
    assert [result for _, _, result in contents_entries(render_docx(report, plan.snapshot))] == [""] * len(bookmarks)


def test_destination_names_are_written_as_libreoffice_writes_them() -> None:
    assert destination_name("_Toc_business_area_1_title") == "5FToc5Fbusiness5Farea5F15Ftitle"
    assert destination_name("a-Z9") == "a-Z9"
    assert destination_name("é.") == "E92E"
    assert destination_name("Ā") == "0100"


def test_a_plan_too_large_for_the_layout_pass_keeps_the_fields_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    """Above PAGE_NUMBERS_MAX_ACTIONS the build never starts LibreOffice for the page numbers (50 s at 5,000)."""
    import datetime as dt

    from delivery_report import pipeline
    from delivery_report.render import pdf

    plan = read_plan(BuildRequest(content_dir=FIXTURES / "minimal" / "content", out_dir=ROOT / "build",
                                  today=dt.date(2018, 4, 11)))
    started: list[bool] = []
    monkeypatch.setattr(pdf, "libreoffice_installed", lambda: True)
    monkeypatch.setattr(pdf, "paginated_docx", lambda *args: started.append(True) or b"PK")
    monkeypatch.setattr(pipeline, "PAGE_NUMBERS_MAX_ACTIONS", len(plan.public().actions) - 1)
    outputs = pipeline.render_outputs(plan, formats=("docx",), page_numbers=True)
    assert not started and next(iter(outputs.values())).startswith(b"PK")
    monkeypatch.setattr(pipeline, "PAGE_NUMBERS_MAX_ACTIONS", len(plan.public().actions))
    pipeline.render_outputs(plan, formats=("docx",), page_numbers=True)
    assert started == [True]
