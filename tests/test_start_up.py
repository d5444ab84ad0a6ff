"""What a build imports: nothing it does not use (each module costs start-up time on every command)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import quoteattr as sax_quoteattr

from hypothesis import example, given
from hypothesis import strategies as st

from delivery_report.render.docx.picture import quoteattr

ROOT = Path(__file__).resolve().parents[1]


@given(st.text(alphabet=st.sampled_from("ab \"'&<>\n\r\t;#é\u2028"), max_size=20))
@example("a \"quoted\" and 'single' <name> & co\n")
def test_quoteattr_is_saxutils_own(text: str) -> None:
    assert quoteattr(text) == sax_quoteattr(text)


def test_a_build_does_not_import_the_web_client(tmp_path: Path) -> None:
    # xml.sax.saxutils brought in urllib.request, http.client and email: 20 ms of start-up, never used.
    code = ("import sys, runpy; sys.argv = ['build.py', '--as-at', '2018-04-11', '--out', sys.argv[1]]\n"
            "try:\n    runpy.run_path('scripts/build.py', run_name='__main__')\nexcept SystemExit as stop:\n"
            "    assert not stop.code, stop.code\n"
            "print(sorted(m for m in ('urllib.request', 'http.client', 'email.message', 'xml.sax.saxutils') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "out")], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
