"""An accessible PDF and honest DOCX metadata (issue 19, parts 2-4): the PDF tagged (PDF/UA), titled and
in British English with every hyperlink of the DOCX kept; the DOCX in en-GB throughout, its app.xml
naming this product without made-up counts, no proof-state claim; the restricted copy marked in its
title and subject. The PDF is LibreOffice's, read back with poppler (pdfinfo, pdftotext) and pypdf."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import docx
import pytest
from conftest import FIXTURES, ROOT, GitRepo, run_build, run_build_process
from docx.oxml.ns import qn
from lxml import etree
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from delivery_report.layout.wording import RESTRICTED_MARK
from delivery_report.render.docx.package import british_english, without_proof_state
from delivery_report.render.docx.reference import build_reference

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
AS_AT = "2017-03-31"

# The PDFs are LibreOffice's.
pytestmark = pytest.mark.slow
EXTERNAL_URL = "https://www.gov.uk/guidance/accessible-communication-formats"


# --- the minimal plan with an external link, built public and restricted ---------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal fixture plan in git (one action body given a web link), built as at 31 March 2017:
    the public DOCX and PDF, and the restricted copy's."""
    root = tmp_path_factory.mktemp("accessible")
    repo = GitRepo(root / "repo")
    shutil.copytree(FIXTURES / "minimal" / "content", repo.root / "content")
    action = repo.root / "content" / "business_areas" / "01-communications" / "1.3.md"
    action.write_text(action.read_text(encoding="utf-8")
                      + f"- See the [guidance on accessible formats]({EXTERNAL_URL})\n", encoding="utf-8")
    repo.commit_all("Plan as approved", "2017-03-24T12:00:00+00:00")
    for extra in ((), ("--restricted",)):
        result = run_build("--as-at", AS_AT, "--content", "content", "--out", "out", "--format", "docx,pdf",
                           *extra, cwd=repo.root)
        assert result.returncode == 0, result.stderr
    return repo.root / "out"


def public_pdf(built: Path) -> Path:
    return built / f"report-{AS_AT}.pdf"


def public_docx(built: Path) -> Path:
    return built / f"report-{AS_AT}.docx"


def pdfinfo(pdf: Path) -> dict[str, str]:
    """pdfinfo's fields: 'Tagged', 'Title', 'Subject', ..."""
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in out.splitlines())}


def part(docx_path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(docx_path) as package:
        return etree.fromstring(package.read(name))


# --- the PDF ---------------------------------------------------------------------------------------


def test_pdf_is_tagged_pdf_ua_with_its_title_shown(built: Path) -> None:
    info = pdfinfo(public_pdf(built))
    assert info["Tagged"] == "yes"
    title = docx.Document(str(public_docx(built))).core_properties.title
    assert title == "Example OPCC Strategic Delivery Plan 2017/18 (as at 31.3.2017)"
    assert info["Title"] == title
    assert info["Metadata Stream"] == "yes"
    reader = PdfReader(public_pdf(built))
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])  # the title, not the file name
    metadata = catalog["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<pdfuaid:part>1</pdfuaid:part>" in metadata
    # The structure tree a screen reader follows: headings, a table with header cells, links.
    roles = Counter(re.findall(rb"/S\s*/(\w+)", public_pdf(built).read_bytes()))
    for role in (b"H1", b"H2", b"Table", b"TH", b"TD", b"Link"):
        assert roles[role], f"no {role.decode()} in the structure tree"


def test_charts_are_kept_lossless(built: Path) -> None:
    """The charts (flat colour and figures) are never JPEG-compressed, which blurs their edges."""
    listing = subprocess.run(["pdfimages", "-list", str(public_pdf(built))], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]
    encodings = [line.split()[8] for line in listing]
    assert encodings and set(encodings) == {"image"}, listing


def test_the_contents_links_are_drawn_as_plain_text(built: Path) -> None:
    """Every run of a Contents entry's link (text, leader tab, page number field) has the Hyperlink style,
    which LibreOffice needs to keep the link, but the text colour and no underline, as a contents list."""
    document = docx.Document(str(public_docx(built)))
    entries = [p for p in document.paragraphs if p.style.name in ("toc 1", "toc 2")]
    assert len(entries) == 6  # four appendices (the last the progress summary) and two business areas
    for paragraph in entries:
        runs = list(paragraph._p.iter(f"{W}r"))
        assert runs
        for run in runs:
            assert run.find(f"{W}rPr/{W}rStyle").get(f"{W}val") == "Hyperlink"
            assert run.find(f"{W}rPr/{W}color").get(f"{W}val") == "auto"
            assert run.find(f"{W}rPr/{W}u").get(f"{W}val") == "none"


def test_pdf_language_is_british_english(built: Path) -> None:
    catalog = PdfReader(public_pdf(built)).trailer["/Root"]
    assert catalog["/Lang"] == "en-GB"


def link_annotations(pdf: Path) -> list[tuple[int, DictionaryObject]]:
    """Every /Link annotation as (page index, annotation), in the order LibreOffice wrote them."""
    found = []
    for index, page in enumerate(PdfReader(pdf).pages):
        for reference in page.get("/Annots") or []:
            annotation = reference.get_object()
            if annotation.get("/Subtype") == "/Link":
                found.append((index, annotation))
    return found


def letters(text: str) -> str:
    """A text without spaces, dot leaders or the punctuation at its ends (a whole-point crop may take a
    bracket from beside a link), so a link split across lines, even inside a web address, joins up."""
    return "".join(re.sub(r"\.{3,}", "", text).split()).strip("().,;:")


def letters_under(pdf: Path, page: int, rect: ArrayObject, height: float) -> str:
    """What poppler reads inside an annotation's rectangle (PDF points, origin bottom left)."""
    left, bottom, right, top = (float(v) for v in rect)
    args = ["pdftotext", "-f", str(page + 1), "-l", str(page + 1), "-r", "72",
            "-x", str(int(left)), "-y", str(int(height - top)),
            "-W", str(int(right - left) + 1), "-H", str(int(top - bottom) + 1), str(pdf), "-"]
    return letters(subprocess.run(args, capture_output=True, text=True, check=True).stdout)


def pdf_links(pdf: Path) -> list[tuple[str, str | int]]:
    """The PDF's links as (link text, web address or 0-based target page). A link that wraps onto a
    second line has an annotation per line, each with the whole link text as /Contents: annotations in a
    row with the same text and target, each over a part of that text, are joined until they cover it."""
    reader = PdfReader(pdf)
    heights = [float(page.mediabox.height) for page in reader.pages]
    links: list[tuple[str, str | int]] = []
    covered = missing = 0
    for page, annotation in link_annotations(pdf):
        action = annotation.get("/A")
        if action is not None and action["/S"] == "/URI":
            target: str | int = str(action["/URI"])
        else:
            destination = annotation["/Dest"] if "/Dest" in annotation else action["/D"]
            target = reader.get_page_number(destination[0].get_object())
        text = str(annotation.get("/Contents", ""))
        wanted, under = letters(text), letters_under(pdf, page, annotation["/Rect"], heights[page])
        assert under and under in wanted, f"an annotation on page {page + 1} lies over {under!r}, not over {text!r}"
        if covered >= missing or links[-1] != (text, target):
            links.append((text, target))
            covered, missing = 0, len(wanted)
        covered += len(under)
    assert covered >= missing, "the last link's annotations do not cover its text"
    return links


def test_every_docx_hyperlink_is_a_working_link_in_the_pdf(built: Path) -> None:
    body = docx.Document(str(public_docx(built))).element.body
    hyperlinks = list(body.iter(f"{W}hyperlink"))
    anchors = Counter(h.get(f"{W}anchor") for h in hyperlinks if h.get(f"{W}anchor"))
    external = [h for h in hyperlinks if h.get(R_ID)]
    page_fields = sum("PAGEREF" in (t.text or "") and "\\h" in (t.text or "") for t in body.iter(f"{W}instrText"))
    assert sum(anchors.values()) >= 10 and len(external) == 1 and page_fields >= 5
    pdf = public_pdf(built)
    links = pdf_links(pdf)
    # Every hyperlink of the DOCX, plus the Contents' page numbers (PAGEREF \h fields, which LibreOffice
    # also links), and nothing else.
    assert [link for link in links if isinstance(link[1], str)] == [("guidance on accessible formats", EXTERNAL_URL)]
    internal = [link for link in links if isinstance(link[1], int)]
    assert len(internal) == sum(anchors.values()) + page_fields
    # Each link to an action ('Action 1.3', or '1.10' in a table) lands on the page where its row starts;
    # each Contents entry on the page its heading is on.
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    to_actions = 0
    for text, target in internal:
        assert isinstance(target, int)
        ref = re.fullmatch(r"(?:Action )?(\d+\.\d+)", text)
        if ref:
            to_actions += 1
            assert re.search(rf"(?m)^\s*{re.escape(ref.group(1))}\s", pages[target]), \
                f"the link {text!r} goes to page {target + 1}, where that action's row is not"
        elif not text.isdigit():  # a Contents entry ('Business Area 2: Partnerships\t4')
            heading = text.split("\t")[0]
            assert heading in " ".join(pages[target].split()), f"{heading!r} is not on page {target + 1}"
    assert to_actions == sum(n for anchor, n in anchors.items() if anchor.startswith("action_"))


def test_the_same_commit_gives_the_same_pdf_bytes(built: Path, tmp_path: Path) -> None:
    """LibreOffice stamps the clock in the info dictionary and the XMP metadata and a random /ID; all
    are fixed from the content, so a second build (seconds later, in a process of its own) is byte-identical."""
    repo = built.parent
    result = run_build_process("--as-at", AS_AT, "--content", "content", "--out", str(tmp_path), "--format", "pdf",
                       cwd=repo)
    assert result.returncode == 0, result.stderr
    again = (tmp_path / f"report-{AS_AT}.pdf").read_bytes()
    first = public_pdf(built).read_bytes()
    assert again == first
    assert b"<xmp:CreateDate>2017-03-31T00:00:00" in first


# --- the DOCX's metadata -----------------------------------------------------------------------------


def test_docx_is_british_english_throughout(built: Path) -> None:
    path = public_docx(built)
    styles = part(path, "word/styles.xml")
    default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert default is not None
    assert {default.get(f"{W}{name}") for name in ("val", "eastAsia", "bidi")} == {"en-GB"}
    languages = set()
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if name.startswith("word/") and name.endswith(".xml"):
                root = etree.fromstring(package.read(name))
                for lang in root.iter(f"{W}lang", f"{W}themeFontLang"):
                    languages.update(value for key, value in lang.attrib.items() if key.startswith(W))
    assert languages == {"en-GB"}
    assert docx.Document(str(path)).core_properties.language == "en-GB"


def test_app_xml_names_this_product_and_claims_no_counts(built: Path) -> None:
    app = part(public_docx(built), "docProps/app.xml")
    fields = {etree.QName(child).localname: child.text for child in app}
    assert fields == {"Application": "delivery-report"}  # no Pages, Words, Lines... and no Microsoft Word


def test_no_proof_state_claim(built: Path) -> None:
    settings = part(public_docx(built), "word/settings.xml")
    assert settings.find(f"{W}proofState") is None


def test_a_reference_restyled_in_word_still_gives_british_english_unchecked_text() -> None:
    """python-docx's own template stands for a reference saved by Word: en-US default, proof state
    'clean'. What the renderer does to whatever reference it opens makes it en-GB without the claim."""
    doc = docx.Document()
    assert doc.settings.element.find(qn("w:proofState")) is not None
    british_english(doc)
    without_proof_state(doc)
    langs = list(doc.styles.element.iter(qn("w:lang")))
    assert langs and all(lang.get(qn("w:val")) == "en-GB" for lang in langs)
    assert doc.settings.element.find(qn("w:proofState")) is None


def test_the_shipped_reference_is_what_the_script_makes() -> None:
    """templates/reference.docx and scripts/make_reference_docx.py agree (the file is made by it)."""
    assert (ROOT / "templates" / "reference.docx").read_bytes() == build_reference()


# --- the restricted copy ---------------------------------------------------------------------------


def test_restricted_copy_is_marked_in_its_title_and_subject(built: Path) -> None:
    restricted = docx.Document(str(built / f"report-{AS_AT}-restricted.docx")).core_properties
    assert restricted.title == f"{RESTRICTED_MARK}: Example OPCC Strategic Delivery Plan 2017/18 (as at 31.3.2017)"
    assert restricted.subject == f"{RESTRICTED_MARK}: Level 1 report pack"
    info = pdfinfo(built / f"report-{AS_AT}-restricted.pdf")
    assert info["Title"] == restricted.title and info["Subject"] == restricted.subject
    public = docx.Document(str(public_docx(built))).core_properties
    assert "RESTRICTED" not in public.title + public.subject
    assert "RESTRICTED" not in pdfinfo(public_pdf(built))["Title"]
