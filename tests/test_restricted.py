"""Part 2 / exempt content (restricted: true) never reaches a public output, DOCX or HTML."""

from __future__ import annotations

import zipfile
from pathlib import Path

from conftest import run_build

SECRETS = ("SECRET-PART-2-TEXT", "Confidential review", "SECRET-AREA", "SECRET-TOPIC", "SECRET-KPI")


def _add_restricted_items(content: Path) -> None:
    area = content / "business_areas" / "03-exempt"
    area.mkdir()
    (area / "_area.md").write_text("---\nnumber: 3\ntitle: SECRET-AREA title\nrestricted: true\n---\n")
    (area / "3.1.md").write_text("---\nref: \"3.1\"\naction: SECRET-AREA action\n---\n- SECRET-AREA status\n")
    (content / "recommendations" / "02-exempt-topic.md").write_text(
        "---\nnumber: 2\ntopic: SECRET-TOPIC\nrestricted: true\n---\nSECRET-TOPIC recommendation\n"
    )
    (content / "kpis" / "exempt.md").write_text(
        "---\ntitle: SECRET-KPI\nperiod: 2017/18\nunit: count\nbetter: lower\ncurrent: {label: now, value: 1}\nrestricted: true\n---\n"
    )


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return "".join(package.read(name).decode("utf-8", "replace") for name in package.namelist())


def test_restricted_items_are_in_neither_output(content_copy: Path, tmp_path: Path):
    _add_restricted_items(content_copy)
    result = run_build("--content", "content", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    html = next((tmp_path / "out").glob("*.html")).read_text(encoding="utf-8")
    docx_xml = _docx_text(next((tmp_path / "out").glob("*.docx")))
    for secret in SECRETS:
        assert secret not in html, f"{secret} leaked into the HTML"
        assert secret not in docx_xml, f"{secret} leaked into the DOCX"
    assert 'id="action-2.2"' not in html and 'id="action-3.1"' not in html
    assert "Is there a Part 2 form? Yes" in html
    # Counts in the cover come from the public plan: two public areas, six public actions.
    assert "two separate business areas and 6 actions" in html


def test_public_counts_do_not_reveal_restricted_areas(content_copy: Path, tmp_path: Path):
    _add_restricted_items(content_copy)
    result = run_build("--content", "content", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    docx_xml = _docx_text(next((tmp_path / "out").glob("*.docx")))
    assert "Business Area 3" not in docx_xml


# --- '::: restricted' fences in every kind of body (issue 8) ---------------------------------------------

FENCE_CANARIES = {
    "plan.md": "CANARY-PLAN-INTRO",
    "area": "CANARY-AREA-INTRO",
    "action": "CANARY-ACTION-TEXT",
    "status": "CANARY-STATUS-TOP",
    "nested": "CANARY-STATUS-NESTED",
    "ordered": "CANARY-ORDERED-ITEM",
    "cover": "CANARY-COVER-SECTION",
    "summary": "CANARY-EXEC-SUMMARY",
    "recommendation": "CANARY-REC-BODY",
    "response": "CANARY-REC-RESPONSE",
    "kpi": "CANARY-KPI-COMMENTARY",
    "link": "canary-link-target.example",
    "whole-item": "CANARY-WHOLE-ORDERED-ITEM",
}


def _fence(text: str, indent: str = "") -> str:
    return f"{indent}::: restricted\n{indent}{text}\n{indent}:::\n"


def _add_fenced_text(content: Path) -> None:
    c = FENCE_CANARIES

    def append(rel: str, text: str) -> None:
        path = content / rel
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + text, encoding="utf-8")

    append("plan.md", _fence(c["plan.md"]))
    append("business_areas/01-communications/_area.md", _fence(f"{c['area']} see [the file](https://{c['link']}/x)"))
    action = content / "business_areas/01-communications/1.4.md"
    action.write_text(
        '---\nref: "1.4"\naction: |\n  Develop a strategy.\n\n  ::: restricted\n  '
        + c["action"] + "\n  :::\npriorities: [1]\ndue: 2018-03\nsponsor: PCC\nlead: SM\nrag: green\n---\n"
        + "- Public progress.\n- Public second point, with a private note:\n\n" + _fence(c["nested"], "  ")
        + "\n" + _fence(c["status"]) + "\n1. first public step\n2. " + "secret step\n\n" + _fence(c["ordered"], "   ")
        + "3. third public step\n4. ::: restricted\n   " + c["whole-item"] + "\n   :::\n5. fifth public step\n",
        encoding="utf-8",
    )
    cover = content / "cover_report.md"
    text = cover.read_text(encoding="utf-8")
    text = text.replace(
        "executive_summary: |\n",
        "executive_summary: |\n  ::: restricted\n  " + c["summary"] + "\n  :::\n\n",
    )
    cover.write_text(text.rstrip("\n") + "\n\n" + _fence(c["cover"]), encoding="utf-8")
    rec = content / "recommendations/01-local-criminal-justice-board.md"
    text = rec.read_text(encoding="utf-8").replace(
        "  - by: chief_constable\n    text: The Chief Constable reported progress.\n",
        "  - by: chief_constable\n    text: The Chief Constable reported progress.\n"
        "  - by: panel\n    text: |\n      ::: restricted\n      " + c["response"] + "\n      :::\n",
    )
    rec.write_text(text.rstrip("\n") + "\n\n" + _fence(c["recommendation"]), encoding="utf-8")
    append("kpis/domestic-violence.md", _fence(c["kpi"]))


def _every_byte(paths: list[Path]) -> str:
    """Every byte written: HTML as text, DOCX parts unzipped."""
    out = []
    for path in paths:
        if path.suffix == ".docx":
            out.append(_docx_text(path))
        else:
            out.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(out)


def test_fenced_restricted_text_reaches_no_public_byte(content_copy: Path, tmp_path: Path):
    _add_fenced_text(content_copy)
    _add_restricted_items(content_copy)
    result = run_build("--content", "content", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = sorted((tmp_path / "out").iterdir())
    assert [p.name for p in written] == [f"report-{p.stem.split('report-')[1]}{p.suffix}" for p in written]
    public = _every_byte(written)
    for canary in [*FENCE_CANARIES.values(), *SECRETS]:
        assert canary not in public, f"{canary} leaked into a public output"
    assert "NOT FOR PUBLICATION" not in public
    assert "secret step" in public  # the item itself is public; only its fenced paragraph is restricted
    # the public plan keeps its own text around the fences
    assert "Public second point" in public and "third public step" in public


def test_restricted_copy_has_everything_and_only_it_is_written(content_copy: Path, tmp_path: Path):
    _add_fenced_text(content_copy)
    _add_restricted_items(content_copy)
    result = run_build("--restricted", "--content", "content", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert len(written) == 2 and all(name.endswith(("-restricted.docx", "-restricted.html")) for name in written)
    docx_xml = _docx_text(next((tmp_path / "out").glob("*-restricted.docx")))
    html = next((tmp_path / "out").glob("*-restricted.html")).read_text(encoding="utf-8")
    for canary in ("CANARY-STATUS-TOP", "CANARY-STATUS-NESTED", "CANARY-ACTION-TEXT", "SECRET-AREA"):
        assert canary in html, f"{canary} missing from the restricted HTML"
        assert canary in docx_xml, f"{canary} missing from the restricted DOCX"
    assert "NOT FOR PUBLICATION" in html and "NOT FOR PUBLICATION" in docx_xml


def test_public_plan_strips_fences_at_every_depth(content_copy: Path):
    from delivery_report.model import ListBlock, RestrictedBlock
    from delivery_report.pipeline import BuildRequest, read_plan

    _add_fenced_text(content_copy)
    plan = read_plan(BuildRequest(content_dir=content_copy, out_dir=content_copy.parent / "out"))
    assert plan.has_restricted

    def fenced(blocks) -> bool:
        for block in blocks:
            if isinstance(block, RestrictedBlock):
                return True
            if isinstance(block, ListBlock) and any(fenced(item.blocks) for item in block.items):
                return True
        return False

    full = plan.action("1.4")
    assert fenced(full.status) and fenced(full.text)
    public = plan.public()
    texts = [public.info.intro, public.cover.executive_summary, public.cover.sections,
             *(a.intro for a in public.areas), *(k.commentary for k in public.kpis),
             *(r.recommendation for r in public.recommendations),
             *(resp.text for r in public.recommendations for resp in r.responses),
             *(x for a in public.actions for x in (a.text, a.status))]
    assert not any(fenced(t) for t in texts)
    # an ordered item that was wholly restricted is gone: four items remain, numbered without a gap
    ordered = [b for b in public.action("1.4").status if isinstance(b, ListBlock) and b.ordered]
    assert len(ordered) == 1 and len(ordered[0].items) == 4 and ordered[0].start == 1
    # the response that was wholly restricted is gone, not left as an empty row
    assert len(public.recommendations[0].responses) == 3


def test_restricted_text_may_name_restricted_actions(content_copy: Path, tmp_path: Path):
    _add_restricted_items(content_copy)
    area = content_copy / "business_areas" / "03-exempt"
    (area / "3.2.md").write_text("---\nref: \"3.2\"\naction: SECRET-AREA second\n---\n- follows Action 3.1\n")
    status = content_copy / "business_areas/01-communications/1.4.md"
    status.write_text(status.read_text(encoding="utf-8").rstrip("\n") + "\n\n::: restricted\nsee Action 3.2\n:::\n",
                      encoding="utf-8")
    result = run_build("--content", "content", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    public = _every_byte(sorted((tmp_path / "out").iterdir()))
    assert "Action 3.2" not in public and "follows Action 3.1" not in public
