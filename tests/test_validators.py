"""Independent validators on what the build writes (issue 19, part 10): the Nu Html Checker (vnu.jar, the W3C's
HTML validator, from npm's vnu-jar at the version .ci/node/package-lock.json pins, run with Java) on the
report's HTML, public and restricted, and on the audit page; and LibreOffice Calc opening the CSV as a
person would, read back with openpyxl. The PDF's validators (pdfinfo's Tagged, the link count) are in
tests/test_pdf_accessibility.py. A validator that is missing fails the test: install-test-deps.sh
installs every one of them."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import ROOT, run_build

VNU_JAR = ROOT / ".ci" / "node" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AS_AT = "2018-04-11"
INSTALL = "run scripts/install-test-deps.sh"
pytestmark = pytest.mark.slow  # Java, LibreOffice


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped plan as at 11 April 2018: the report's HTML, CSV and JSON, the audit page, and the
    restricted copy's HTML."""
    out = tmp_path_factory.mktemp("validators")
    public = run_build("--as-at", AS_AT, "--out", str(out), "--format", "html,csv,json", "--audit")
    assert public.returncode == 0, public.stderr
    restricted = run_build("--as-at", AS_AT, "--out", str(out), "--format", "html", "--restricted")
    assert restricted.returncode == 0, restricted.stderr
    return out


def nu_html_checker(*pages: Path) -> dict[str, list[dict[str, Any]]]:
    """The Nu Html Checker's messages for each page (its CSS included), by file name."""
    java = shutil.which("java")
    assert java, f"Java is missing: {INSTALL} (it installs default-jre-headless)"
    assert VNU_JAR.is_file(), f"the Nu Html Checker is missing: {INSTALL} (npm ci --prefix .ci/node)"
    result = subprocess.run([java, "-jar", str(VNU_JAR), "--format", "json", "--stdout", "--exit-zero-always",
                             "--also-check-css", *map(str, pages)], capture_output=True, text=True, check=True,
                            timeout=600)
    messages: dict[str, list[dict[str, Any]]] = {page.name: [] for page in pages}
    for message in json.loads(result.stdout)["messages"]:
        messages[Path(message["url"].removeprefix("file:")).name].append(message)
    return messages


def errors(messages: list[dict[str, Any]]) -> list[str]:
    """Errors, and files the checker could not read, as 'line N: message'."""
    return [f"line {m.get('lastLine', '?')}: {m['message']}" for m in messages
            if m["type"] in ("error", "non-document-error")]


def test_the_report_and_audit_pages_are_valid_html(real: Path, tmp_path: Path) -> None:
    pages = [real / f"report-{AS_AT}.html", real / f"report-{AS_AT}-restricted.html", real / f"audit-{AS_AT}.html"]
    # The control, checked in the same run (the checker's start-up is most of its time): one misplaced
    # element in a copy of the report is an error the checker reports against that copy.
    broken = tmp_path / "broken.html"
    html = pages[0].read_text(encoding="utf-8")
    assert html.count("</h1>") >= 1
    broken.write_text(html.replace("</h1>", "</h1><span><div>a block inside a span</div></span>", 1),
                      encoding="utf-8")
    messages = nu_html_checker(*pages, broken)
    assert {page.name: errors(messages[page.name]) for page in pages} == {page.name: [] for page in pages}
    assert any("“div” not allowed as child of element “span”" in error for error in errors(messages[broken.name]))


def test_calc_opens_the_csv_with_every_ref_as_typed(real: Path, tmp_path: Path) -> None:
    """LibreOffice Calc opens the CSV with its Text Import defaults (comma-separated, UTF-8, standard
    columns) and saves it as XLSX; every ref reads back as the text the plan gives it ("1.10" stays
    "1.10", not the number 1.1, which is action 1.1's ref), and every cell of words as the CSV wrote it."""
    soffice = shutil.which("soffice")
    assert soffice, f"LibreOffice is missing: {INSTALL}"
    assert shutil.which("localc"), f"LibreOffice Calc is missing: {INSTALL} (it installs libreoffice-calc)"
    csv_file = real / f"report-{AS_AT}.csv"
    # 44,34,76,1: fields separated by commas, quoted by ", in UTF-8 (76), from line 1; the other options
    # are the dialog's defaults (standard column types, special numbers not detected).
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
                    "--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir", str(tmp_path), str(csv_file)],
                   capture_output=True, text=True, check=True, timeout=300)
    # data_only: the cell's value as Calc shows it (a ref is written ="1.10", whose value is the text 1.10)
    sheet = openpyxl.load_workbook(tmp_path / csv_file.with_suffix(".xlsx").name, data_only=True).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = rows[0]
    refs_in_calc = [row[header.index("Ref")] for row in rows[1:]]

    plan = json.loads((real / f"report-{AS_AT}.json").read_text(encoding="utf-8"))
    refs = [action["ref"] for area in plan["areas"] for action in area["actions"]]
    assert {"1.10", "3.10", "7.10"} <= set(refs) and len(set(refs)) == len(refs) == 67
    assert refs_in_calc == refs, [(calc, ref) for calc, ref in zip(refs_in_calc, refs) if calc != ref]

    # The words (areas, actions, statuses, names, ratings) arrive whole: encoding, quoting and line breaks
    # inside a cell survive. Due and Strategic priorities are left to Calc's reading (a month, a number).
    with csv_file.open(encoding="utf-8-sig", newline="") as opened:
        written = list(csv.reader(opened))
    assert written[0] == list(header)
    words = [column for column in header if column not in ("Ref", "Due", "Strategic priorities")]
    assert len(words) >= 7
    for column in words:
        index = header.index(column)
        assert [row[index] or "" for row in rows[1:]] == [row[index] for row in written[1:]], column
