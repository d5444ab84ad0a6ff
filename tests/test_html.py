"""Tests of the HTML report: structure and wording (html.parser) and behaviour in Chromium (Playwright)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from delivery_report import model
from delivery_report.assemble import default_words
from delivery_report.layout import build_layout, wording
from delivery_report.model import (
    DEFAULT_SCALE,
    Action,
    BusinessArea,
    ChiefOfficerApproval,
    CoverReport,
    Due,
    Kpi,
    Measurement,
    Person,
    Plan,
    PlanInfo,
    Priority,
    Recommendation,
    Response,
    SignOff,
    Snapshot,
)
from delivery_report.render import html as html_renderer
from delivery_report.richtext import parse


def render_html(plan: Plan) -> str:
    """The page for a plan, drawn from its layout as the pipeline does."""
    return html_renderer.render_html(build_layout(plan))


CHROMIUM = os.environ.get("DELIVERY_REPORT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# --- a plan built directly from the model, with wording from the seed documents ----------------


def _action(ref: str, text: str, status: str = "", **fields) -> Action:
    """An action of area <ref's first number>, with Markdown text and status."""
    area = int(ref.split(".")[0])
    return Action(ref=ref, area_number=area, text=parse(text), status=parse(status), **fields)


SECTIONS = """\
## 1 Introduction and background

- 1.1 The PCC published his four year Police and Crime Plan 2017–2021 in March 2017.
- 1.4 Attached at Appendix 1 is a copy of the OPCC Strategic Delivery Plan for 2017/18. The Plan comprises {business_area_count} separate business areas, namely:

  {business_area_list}

- 1.5 The Plan uses the following 'Red/Amber/Green' (RAG) traffic light system:

{rag_key}

## 2 Issues for consideration

- 2.1 The plan holds {action_count} actions as at {as_at}.

## 3 Financial comments

- 3.1 There are no specific financial implications arising from this report.
"""


def sample_plan(**overrides) -> Plan:
    """A small public plan: three business areas, lifecycles, RAGs, recommendations, a KPI, a cover."""
    area1 = BusinessArea(
        number=1,
        title="Communications, PR & Engagement",
        slug="communications-pr-engagement",
        actions=(
            _action("1.1", "Develop and implement a calendar of communications activities.",
                    lifecycle="superseded", superseded_by=("1.12",)),
            _action("1.2", "Develop and implement a calendar of engagement events.",
                    lifecycle="superseded", superseded_by=("1.12",)),
            _action("1.3", "Continue to develop and promote the 'Victims First Portal'.",
                    "- The VF Portal has been redesigned\n- There have been nearly 8,000 visits to the website",
                    priorities=(2,), due=Due("2018-03", 2018, 3), sponsor=("SM",), lead=("CH",), rag="complete"),
            _action("1.5", "Implement fraud awareness initiatives with elderly and other vulnerable groups.",
                    "- OPCC Comms Support Officer now recruited",
                    priorities=(2,), due=Due("2018-03", 2018, 3), sponsor=("SM",), lead=("CH",),
                    carried_forward="1.2"),
            _action("1.9", "Develop and implement engagement to inform PCC policy development.",
                    "due to being superseded by other on-going work (links to Action 1.12)",
                    priorities=(2,), due=Due("2018-03", 2018, 3), sponsor=("SM",), lead=("CH",),
                    lifecycle="deleted"),
            _action("1.10", "Develop and communicate, with police and partners, public awareness of Cybercrime.",
                    "- PCC's 10% CSF top-slice supports cybercrime (links to Action 3.10).\n"
                    "- See also Action 9.99, which is not in this plan.\n"
                    "- Read the [national guidance](https://www.gov.uk/cyber) and *ask* **us**, 31^st^ ++March++.",
                    priorities=(1, 2), due=Due("2018-03", 2018, 3), sponsor=("SM",), lead=("CH",), rag="green"),
            _action("1.12", "Implement the 2017 Communication Strategy.",
                    "- OPCC is actively promoting a range of priorities",
                    priorities=(2,), due=Due("2018-03", 2018, 3), sponsor=("PCC", "DPCC"), lead=("CH",), rag="green"),
        ),
    )
    area2 = BusinessArea(
        number=2,
        title="Partnerships",
        slug="partnerships",
        actions=(
            _action("2.1", "Ensure TVP develop new automated victim referral pathways.",
                    "- As yet no date provided by TVP ICT (links to Action 3.1)",
                    due=Due("2018-03", 2018, 3), sponsor=("PCC",), lead=("SM",), rag="red"),
            _action("2.2", "Review and agree new Community Safety Fund formula.",
                    "- The Home Office has deferred further work",
                    due=Due("2017-10", 2017, 10), sponsor=("PH",), lead=("IT", "CM"), rag="amber"),
            _action("2.3", "Improve accountability of Local Authorities' CSF allocations.",
                    "- Not yet started", due=Due("Ongoing"), sponsor=("PH",), lead=("JK",), rag="white"),
        ),
    )
    area3 = BusinessArea(
        number=3,
        title="Commissioning and Contract Management",
        slug="commissioning",
        actions=(
            _action("3.1", "Plan a co-located 'Victims First/Witness Care Unit Hub'.",
                    "- Completion is subject to a database security issue (links to Action 2.1).",
                    priorities=(1,), due=Due("2018-03", 2018, 3), sponsor=("PCC",), lead=("SM",), rag="complete"),
            _action("3.10", "Agree, procure and manage projects funded by PCC's retained 10% CSF top-slice budget.",
                    "- Evaluation contract awarded to Centre for Public Innovation.",
                    priorities=(1, 2, 3, 4, 5), due=Due("2017-06", 2017, 6), sponsor=("PH",), lead=("SM",),
                    rag="green"),
        ),
    )
    cover = CoverReport(
        heading="Office of the Police & Crime Commissioner for Thames Valley",
        report_type="Report for Information",
        meeting="Level 1 public meeting on",
        title="OPCC Strategic Delivery Plan 2017/18",
        executive_summary=parse(
            "Attached at Appendix 1 is a copy of the OPCC Strategic Delivery Plan for 2017/18. The plan "
            "comprises {business_area_count} separate business areas, each containing a number of different "
            "activities and actions."
        ),
        recommendation=parse("1. That the PCC notes progress with the OPCC Strategic Delivery Plan 2017/18"),
        sections=parse(SECTIONS),
        sign_off=(
            SignOff("Head of Unit", parse("The Strategic Delivery Plan explains how the OPCC will monitor delivery."),
                    "Chief Executive"),
            SignOff("Legal Advice", parse("There is no statutory requirement to produce a strategic delivery plan."),
                    "Monitoring Officer"),
        ),
        chief_officers=(
            ChiefOfficerApproval("Chief Executive", ""),
            ChiefOfficerApproval("Chief Finance Officer", "24th March 2017"),
        ),
        publication_deferred=False,
        background_papers=parse("Police and Crime Plan 2017-2021"),
    )
    recommendations = (
        Recommendation(
            number=1,
            topic="Local Criminal Justice Board",
            recommendation=parse("1. That the PCC, in consultation with the LCJB may wish to consider the "
                                 "performance monitoring suggested by the Crest Report."),
            responses=(Response("pcc", parse("1. That would be a decision for the LCJB not the PCC.")),),
        ),
        Recommendation(
            number=5,
            topic="Unauthorised encampments",
            recommendation=parse("That the PCC provides reassurance that the unauthorised encampment policy is "
                                 "being consistently applied"),
            responses=(
                Response("panel", parse("An update from Members would be helpful at the November meeting.")),
                Response("pcc", parse("I have raised this issue with the Chief Constable.")),
                Response("chief_constable", parse("- The Chief Superintendent is very happy to work with "
                                                  "Authorities across the Thames Valley.")),
            ),
            assessment=parse("Progress made; keep under review."),
        ),
    )
    kpis = (
        Kpi(slug="domestic-violence", title="Reduce the level of violence – Domestic Violence",
            period="2017/18 (1 April – 30 September 2017)", unit="count", better="lower", owner="TVP",
            current=Measurement("2017/18 (April – Sept)", 5009), baseline=Measurement("2016/17 Comparison", 5041),
            commentary=parse("Down 32 offences (0.6%) to 5,009 offences.")),
        Kpi(slug="satisfaction", title="Victim satisfaction", period="2017/18 Q2", unit="percent", better="higher",
            current=Measurement("Q2", 78.5), baseline=Measurement("Q1", 80)),
    )
    plan = Plan(
        info=PlanInfo(
            title="Thames Valley OPCC Strategic Delivery Plan 2017/18",
            organisation="Office of the Police & Crime Commissioner for Thames Valley",
            period="2017/18",
            police_and_crime_plan="Police and Crime Plan 2017-2021",
            next_plan="2018/19 OPCC SDP",
            words=default_words({"organisation": "Office of the Police & Crime Commissioner for Thames Valley",
                                 "police_and_crime_plan": "Police and Crime Plan 2017-2021"}),
            intro=parse("**Business Areas:** This Office of the Police and Crime Commissioner (OPCC) Strategic "
                        "Delivery Plan update captures the activities and progress of the OPCC."),
        ),
        snapshot=Snapshot(as_at=dt.date(2018, 4, 11), commit="0123456789abcdef0123456789abcdef01234567"),
        people=(
            Person("PH", "Paul Hammond", "Chief Executive"),
            Person("PCC", "", "Police and Crime Commissioner"),
            Person("DPCC", "", "Deputy Police and Crime Commissioner"),
            Person("SM"), Person("CH"), Person("IT"), Person("CM"), Person("JK"),
        ),
        priorities=(Priority(1, "Vulnerability"), Priority(2, "Prevention and early intervention")),
        areas=(area1, area2, area3),
        recommendations=recommendations,
        kpis=kpis,
        cover=cover,
        has_restricted=True,
    )
    return dataclasses.replace(plan, **overrides) if overrides else plan


# --- a tiny DOM from html.parser ------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclasses.dataclass
class Node:
    """An element of the parsed page."""

    tag: str
    attrs: dict
    attr_order: list
    children: list = dataclasses.field(default_factory=list)
    parent: Node | None = None

    def text(self) -> str:
        """All text inside."""
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        """Descendant elements in document order."""
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag: str, **attrs) -> list[Node]:
        """Descendants with this tag and attributes (class_ matches one class)."""
        cls = attrs.pop("class_", None)
        return [
            n for n in self.iter()
            if n.tag == tag
            and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
            and (cls is None or cls in n.attrs.get("class", "").split())
        ]

    def find(self, tag: str, **attrs) -> Node | None:
        """The first match of find_all, or None."""
        found = self.find_all(tag, **attrs)
        return found[0] if found else None

    def by_id(self, ident: str) -> Node | None:
        """The element with this id, or None."""
        return next((n for n in self.iter() if n.attrs.get("id") == ident), None)

    def cells(self) -> list[Node]:
        """The td/th children of a row."""
        return [c for c in self.children if isinstance(c, Node) and c.tag in ("td", "th")]


class _TreeBuilder(HTMLParser):
    """Builds a Node tree from html.parser events, checking tags are balanced."""

    def __init__(self):
        """Start with an empty root."""
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, [])
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        """Open an element (void elements close at once)."""
        node = Node(tag, dict(attrs), [k for k, _ in attrs], parent=self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag):
        """Close the innermost open element with this tag."""
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        assert node is not self.root, f"stray </{tag}>"
        self.current = node.parent

    def handle_data(self, data):
        """Keep text."""
        self.current.children.append(data)


def dom(html: str) -> Node:
    """Parse a page into a Node tree (fails on unbalanced tags)."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    assert builder.current is builder.root, f"unclosed <{builder.current.tag}>"
    return builder.root


def squash(text: str) -> str:
    """Collapse runs of whitespace."""
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def html() -> str:
    """The sample plan rendered once for the module."""
    return render_html(sample_plan())


@pytest.fixture(scope="module")
def doc(html) -> Node:
    """The sample page as a Node tree."""
    return dom(html)


def row(doc: Node, ref: str) -> Node:
    """The <tr> of an action."""
    node = doc.by_id(f"action-{ref}")
    assert node is not None and node.tag == "tr", f"no row for action {ref}"
    return node


def area_table(doc: Node, number: int) -> Node:
    """The table of a business area."""
    section = doc.by_id(f"business-area-{number}")
    assert section is not None
    table = section.find("table")
    assert table is not None
    return table


def header_texts(table: Node) -> list[str]:
    """The column headings of a table."""
    return [squash(th.text()) for th in table.find("thead").find_all("th")]


def status_cell(doc: Node, ref: str) -> Node:
    """The Current Status cell of an action."""
    return row(doc, ref).find("td", class_="status")


# --- structure and wording -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ref, rag, lifecycle",
    [
        ("1.1", "none", "superseded"),
        ("1.3", "complete", "active"),
        ("1.5", "none", "active"),
        ("1.9", "none", "deleted"),
        ("1.10", "green", "active"),
        ("2.1", "red", "active"),
        ("2.2", "amber", "active"),
        ("2.3", "white", "active"),
    ],
)
def test_action_rows_have_the_fixed_attributes(html, doc, ref, rag, lifecycle):
    assert f'<tr id="action-{ref}" data-ref="{ref}" data-rag="{rag}" data-lifecycle="{lifecycle}"' in html
    tr = row(doc, ref)
    # The fixed attributes first, in this order; then what the filters match.
    assert tr.attr_order == ["id", "data-ref", "data-rag", "data-lifecycle", "data-area", "data-lead",
                             "data-priorities"]


def test_every_action_has_exactly_one_row_in_order(doc):
    rows = [tr.attrs["data-ref"] for tr in doc.find_all("tr") if "data-ref" in tr.attrs]
    assert rows == [a.ref for a in sample_plan().actions]


def test_rag_cell_shows_the_word_and_hides_not_assessed(doc):
    for ref, word in [("1.3", "Complete"), ("1.10", "Green"), ("2.1", "Red"), ("2.2", "Amber"), ("2.3", "White")]:
        cell = row(doc, ref).cells()[-1]
        assert squash(cell.text()) == word
        assert f"rag-{row(doc, ref).attrs['data-rag']}" in cell.attrs["class"].split()
    cell = row(doc, "1.5").cells()[-1]
    hidden = cell.find("span", class_="visually-hidden")
    assert hidden is not None and hidden.text() == "Not assessed"
    assert [c for c in cell.children if isinstance(c, str) and c.strip()] == []


def test_priority_column_only_where_the_area_uses_priorities(doc):
    full = ["Ref.", "Actions", "Links to Strategic Priority", "Due Date", "Sponsor", "Lead Officer",
            "Current Status", "R/A/G"]
    assert header_texts(area_table(doc, 1)) == full
    assert header_texts(area_table(doc, 2)) == [h for h in full if h != "Links to Strategic Priority"]
    assert all(th.attrs.get("scope") == "col" for th in area_table(doc, 1).find("thead").find_all("th"))
    assert len(row(doc, "1.10").cells()) == 8
    assert len(row(doc, "2.1").cells()) == 7
    plan = sample_plan()
    for ref in ("1.3", "1.10", "3.10"):
        assert squash(row(doc, ref).cells()[2].text()) == wording.priorities_display(plan.action(ref))
    assert squash(row(doc, "1.3").cells()[2].text()) == "2"


def test_due_sponsor_and_lead_cells(doc):
    cells = row(doc, "1.12").cells()
    # Green, but due March 2018 and not complete as at 11 April 2018: overdue, with no earlier report needed.
    assert squash(cells[3].text()) == "Mar 2018 Overdue"
    assert squash(cells[4].text()) == "PCC/DPCC"
    abbrs = cells[4].find_all("abbr")
    assert [a.attrs["title"] for a in abbrs] == ["Police and Crime Commissioner", "Deputy Police and Crime Commissioner"]
    assert squash(row(doc, "2.3").cells()[2].text()) == "Ongoing"
    assert squash(row(doc, "2.2").cells()[4].text()) == "IT/CM"
    assert row(doc, "2.2").cells()[4].find("abbr") is None  # register gives neither name nor role
    assert row(doc, "2.2").cells()[3].find("abbr").attrs["title"] == "Paul Hammond, Chief Executive"
    assert squash(row(doc, "1.1").cells()[3].text()) == ""  # no due date: empty cell


def test_lifecycle_wording_leads_the_current_status_cell(doc):
    plan = sample_plan()
    for ref, expected in [
        ("1.1", "Actions 1.1 & 1.2 now merged and superseded by a new replacement Action 1.12, below"),
        ("1.2", "Actions 1.1 & 1.2 now merged and superseded by a new replacement Action 1.12, below"),
        ("1.9", "Action 1.9 now deleted"),
    ]:
        assert wording.lifecycle_wording(plan.action(ref), plan) == expected
        cell = status_cell(doc, ref)
        first = next(c for c in cell.children if isinstance(c, Node))
        strong = first.find("strong")
        assert strong is not None and squash(strong.text()) == expected
        assert expected not in squash(row(doc, ref).find("td", class_="action").text())
    # the replacement is linked; the deleted action's reason follows the wording
    assert status_cell(doc, "1.1").find("a").attrs["href"] == "#action-1.12"
    assert squash(status_cell(doc, "1.9").text()).startswith("Action 1.9 now deleted due to being superseded")
    assert status_cell(doc, "1.10").find("p", class_="lifecycle") is None


def test_carried_forward_wording_ends_the_current_status_cell(doc):
    cell = status_cell(doc, "1.5")
    last = [c for c in cell.children if isinstance(c, Node)][-1]
    assert last.tag == "p" and last.find("em") is not None
    assert squash(last.text()) == "(Ongoing - links to Action 1.2, 2018/19 OPCC SDP)"
    assert squash(cell.text()).startswith("OPCC Comms Support Officer now recruited")
    assert "Ongoing - links" not in squash(status_cell(doc, "1.3").text())
    assert last.find("a") is None  # next year's action is not a link into this plan


def test_internal_links_only_to_actions_in_the_plan(doc):
    links = [a.attrs["href"] for a in doc.find_all("a") if a.attrs.get("href", "").startswith("#action-")]
    assert "#action-3.10" in links and "#action-2.1" in links and "#action-1.12" in links
    assert "#action-9.99" not in links
    for href in links:
        assert doc.by_id(href[1:]) is not None, f"{href} points nowhere"
    cell = status_cell(doc, "1.10")
    assert "Action 9.99" in cell.text()
    assert all("9.99" not in a.text() for a in cell.find_all("a"))


def test_inline_formatting_and_external_links(doc):
    cell = status_cell(doc, "1.10")
    link = next(a for a in cell.find_all("a") if a.attrs["href"] == "https://www.gov.uk/cyber")
    assert link.text() == "national guidance"
    assert cell.find("em").text() == "ask"
    assert cell.find("strong").text() == "us"
    assert cell.find("sup").text() == "st"
    assert cell.find("u").text() == "March"


def test_unsafe_link_targets_are_not_links():
    plan = sample_plan()
    bad = dataclasses.replace(plan.areas[1].actions[0], status=(model.Paragraph((
        model.Span("click me", href="javascript:alert(1)"), model.Span(" and "),
        model.Span("data", href="data:text/html,<b>x</b>"),)),))
    area = dataclasses.replace(plan.areas[1], actions=(bad, *plan.areas[1].actions[1:]))
    html = render_html(dataclasses.replace(plan, areas=(plan.areas[0], area, plan.areas[2])))
    assert "javascript:" not in html and "data:text" not in html
    assert "click me and data" in squash(dom(html).by_id("action-2.1").text())


def test_placeholders_are_filled(doc, html):
    cover = doc.by_id("cover")
    text = squash(cover.text())
    assert "comprises three separate business areas" in text
    assert "The Plan comprises three separate business areas, namely" in text
    assert "The plan holds 12 actions as at 11 April 2018" in text
    assert not re.search(r"\{(business_area_count|action_count|as_at|business_area_list|rag_key)\}", html)
    area_list = next(ol for ol in cover.find_all("ol") if "Partnerships" in ol.text())
    assert [squash(li.text()) for li in area_list.find_all("li")] == [
        "Communications, PR & Engagement", "Partnerships", "Commissioning and Contract Management"]
    key = cover.find("table", class_="rag-key")
    assert squash(key.find("caption").text()) == "RAG key"
    words = [squash(tr.cells()[0].text()) for tr in key.find("tbody").find_all("tr")]
    assert words == ["Green", "Amber", "Red", "White", "Complete"]
    meanings = [squash(tr.cells()[1].text()) for tr in key.find("tbody").find_all("tr")]
    assert meanings == [rating.meaning for rating in DEFAULT_SCALE.key_order]
    assert meanings[0] == "Action on track or Action successfully completed"


def test_placeholders_outside_the_cover_show_as_typed():
    plan = sample_plan()
    area = dataclasses.replace(plan.areas[1], intro=parse("{rag_key}\n\nWe have {action_count} things."))
    doc = dom(render_html(dataclasses.replace(plan, areas=(plan.areas[0], area, plan.areas[2]))))
    text = squash(doc.by_id("business-area-2").text())
    assert "{rag_key}" in text and "{action_count}" in text


def test_cover_report_blocks(doc):
    cover = doc.by_id("cover")
    text = squash(cover.text())
    order = [
        "OFFICE OF THE POLICE & CRIME COMMISSIONER FOR THAMES VALLEY",
        "Report for Information",
        "Level 1 public meeting on ________",
        "Title: OPCC Strategic Delivery Plan 2017/18",
        "Executive Summary:",
        "Recommendation:",
        "That the PCC notes progress",
        "Police and Crime Commissioner",
        "I hereby approve the recommendation above.",
        "Signature ________",
        "Date ________",
        "PART 1 – NON-CONFIDENTIAL",
        "1 Introduction and background",
        "2 Issues for consideration",
        "3 Financial comments",
        "4 Background papers",
        "Police and Crime Plan 2017-2021",
        "Public access to information",
        "Freedom of Information Act 2000 (FOIA)",
        "Is the publication of this form to be deferred? No",
        "Is there a Part 2 form? Yes",
        "Head of Unit The Strategic Delivery Plan explains",
        "Chief Executive",
        "Legal Advice",
        "Monitoring Officer",
        "PCC STATUTORY CHIEF OFFICERS' APPROVAL",
        "We have been consulted about the report and confirm that appropriate financial and legal advice have been taken into account.",
        "We are satisfied that this is an appropriate request to be submitted to the Police and Crime Commissioner.",
        "Chief Executive Date ________",
        "Chief Finance Officer Date 24th March 2017",
    ]
    pos = 0
    for piece in order:
        found = text.find(piece, pos)
        assert found >= 0, f"{piece!r} missing or out of order"
        pos = found + len(piece)
    assert cover.find("ol").find("li") is not None  # recommendation "1." stays a numbered list
    assert cover.find("ul", class_="numbered-paragraphs") is not None
    sign_off = cover.find("table", class_="sign-off")
    assert header_texts(sign_off) == ["Name & Role", "Officer"]
    first = sign_off.find("tbody").find("tr").cells()
    assert first[0].find("strong").text() == "Head of Unit"
    assert squash(first[1].text()) == "Chief Executive"


def test_meeting_line_blank_only_when_not_filled_in():
    for meeting, expected in [
        ("Level 1 public meeting on", "Level 1 public meeting on ________"),
        ("", "________"),
        ("Level 1 public meeting on 31 March 2017", "Level 1 public meeting on 31 March 2017"),
    ]:
        plan = sample_plan()
        plan = dataclasses.replace(plan, cover=dataclasses.replace(plan.cover, meeting=meeting))
        line = dom(render_html(plan)).find("p", class_="meeting")
        shown = squash("".join(c if isinstance(c, str) else ("" if "visually-hidden" in c.attrs.get("class", "")
                                                              else c.text()) for c in line.children))
        assert shown == expected.replace("________", wording.BLANK)
        assert ("________" in shown) == (expected.endswith("________"))


def test_without_a_cover_the_page_starts_with_the_plan():
    doc = dom(render_html(sample_plan(cover=None)))
    assert doc.by_id("cover") is None
    assert [squash(h.text()) for h in doc.find_all("h1")] == ["Thames Valley OPCC Strategic Delivery Plan 2017/18"]
    assert doc.by_id("action-1.1") is not None


def test_appendix_1_heading_and_area_headings(doc):
    appendix = doc.by_id("appendix-1")
    assert squash(appendix.find("h2").text()) == (
        "Appendix 1: Thames Valley OPCC Strategic Delivery Plan 2017/18 (as at 11.4.2018)")
    assert [squash(h.text()) for h in appendix.find_all("h3")] == [
        "Business Area 1: Communications, PR & Engagement", "Business Area 2: Partnerships",
        "Business Area 3: Commissioning and Contract Management"]
    assert [squash(h.text()) for h in appendix.find_all("h4")] == ["OPCC activity & progress update"] * 3
    assert "Business Areas: This Office of the Police" in squash(appendix.text())
    for number in (1, 2, 3):
        table = area_table(doc, number)
        assert table.find("caption") is not None
        region = table.parent
        assert region.attrs.get("role") == "region" and region.attrs.get("tabindex") == "0"
        assert region.attrs.get("aria-label", "").startswith(f"Business Area {number}:")


def test_recommendations_show_labels_and_colour_classes(doc):
    appendix = doc.by_id("appendix-2")
    table = appendix.find("table")
    assert header_texts(table) == ["Panel Recommendations", "Progress Update", "Committee Assessment of Progress"]
    assert squash(table.find("caption").text()) == "Panel Recommendation Monitoring"
    rows = table.find("tbody").find_all("tr")
    assert rows[0].cells()[0].find("strong").text() == "Local Criminal Justice Board"
    responses = rows[1].cells()[1].find_all("div", class_="response")
    assert [r.attrs["class"].split()[1] for r in responses] == [
        "response-panel", "response-pcc", "response-chief_constable"]
    labels = [squash(r.find("span", class_="response-label").text()) for r in responses]
    assert labels == ["Panel:", "PCC:", "Chief Constable:"]
    assert squash(responses[1].text()) == "PCC: I have raised this issue with the Chief Constable."
    assert "Chief Superintendent is very happy" in squash(responses[2].find("ul").text())
    assert squash(rows[1].cells()[2].text()) == "Progress made; keep under review."
    key = squash(appendix.find("div", class_="responder-key").text())
    for label, colour in [("Panel:", "blue"), ("PCC:", "black"), ("Chief Constable:", "red")]:
        assert label in key and colour in key
    text = squash(appendix.text())
    assert text.index("Key to progress updates") < text.index("Panel Recommendations")


def test_kpi_appendix_only_with_kpis(doc):
    appendix = doc.by_id("appendix-3")
    assert squash(appendix.find("h2").text()) == "Appendix 3: Performance measures"
    rows = appendix.find("tbody").find_all("tr")
    dv = squash(rows[0].text())
    assert "5,041" in dv and "5,009" in dv and "↓ Down – improving" in dv
    assert "78.5%" in squash(rows[1].text()) and "↑" not in squash(rows[1].text())
    assert "↓ Down – worsening" in squash(rows[1].text())
    # Without measures, the next appendix (the progress summary the cover points to) takes number 3.
    without = dom(render_html(sample_plan(kpis=()))).by_id("appendix-3")
    assert without is not None and squash(without.find("h2").text()) == "Appendix 3: Progress summary"


def test_content_is_escaped_never_interpreted():
    evil = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">"
    plan = _evil_plan(evil)
    html = render_html(plan)
    assert html.lower().count("<script") == 1  # the page's own filter script, after the content
    assert html.lower().index("<script") > html.index("</footer>")
    assert "<img" not in html.lower()
    assert "&lt;script&gt;" in html
    doc = dom(html)
    assert evil in doc.by_id("action-2.1").text()
    assert evil in squash(doc.find("title").text())


def _evil_plan(evil: str) -> Plan:
    """The sample plan with typed HTML in titles, text, names and responses."""
    plan = sample_plan()
    area = dataclasses.replace(
        plan.areas[1],
        title="Partnerships " + evil,
        actions=(dataclasses.replace(plan.areas[1].actions[0], text=parse("Act " + evil), status=parse("- " + evil)), *plan.areas[1].actions[1:]),
    )
    rec = dataclasses.replace(plan.recommendations[0], topic=evil, responses=(Response("pcc", parse(evil)),))
    return dataclasses.replace(
        plan,
        areas=(plan.areas[0], area, plan.areas[2]),
        recommendations=(rec, *plan.recommendations[1:]),
        people=(*plan.people, Person("XX", evil, evil)),
        cover=dataclasses.replace(plan.cover, title=evil, meeting=evil),
    )


def test_render_is_deterministic():
    first = render_html(sample_plan())
    second = render_html(sample_plan())
    assert first == second
    assert render_html(sample_plan()) == first
    # The commit: in full for machines (meta), short for people (header and footer).
    assert first.count("0123456789abcdef0123456789abcdef01234567") == 1
    assert '<meta name="source-commit" content="0123456789abcdef0123456789abcdef01234567">' in first
    assert "Built from commit 0123456 as at 11 April 2018." in first


def test_snapshot_and_draft_banner():
    clean = dom(render_html(sample_plan()))
    assert "As at 11 April 2018" in squash(clean.find("header").text())
    assert "DRAFT" not in squash(clean.find("header").text())
    draft_plan = sample_plan(snapshot=Snapshot(as_at=dt.date(2018, 4, 11), draft=True))
    draft = dom(render_html(draft_plan))
    banner = draft.find("div", class_="draft-banner")
    assert banner is not None and "DRAFT – built from uncommitted changes" in squash(banner.text())
    assert squash(draft.find("title").text()).startswith("DRAFT")
    assert draft.find("header").find("code") is None  # no commit to show for the working tree
    assert clean.find("header").find("code").text() == "0123456789ab"


def test_page_structure_and_headings(doc, html):
    assert html.startswith("<!DOCTYPE html>")
    assert doc.find("html").attrs["lang"] == "en-GB"
    assert squash(doc.find("title").text()) == "OPCC Strategic Delivery Plan 2017/18 (as at 11 April 2018)"
    body = doc.find("body")
    first_link = body.find("a")
    assert first_link.attrs["href"] == "#main" and "skip-link" in first_link.attrs["class"]
    assert doc.by_id("main").tag == "main"
    assert doc.find("nav") is not None and doc.find("header") is not None
    levels = [int(n.tag[1]) for n in doc.iter() if re.fullmatch(r"h[1-6]", n.tag)]
    assert levels[0] == 1 and levels.count(1) == 1
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"heading level jumps from h{before} to h{after}"
    for table in doc.find_all("table"):
        assert table.find("caption") is not None
        assert all(th.attrs.get("scope") == "col" for th in table.find("thead").find_all("th"))
    # Self-contained: one inline script (the filters), an empty data: icon, nothing fetched.
    assert html.count("<script") == 1 and "<script>" in html and "http://" not in html.split("<body>")[0]
    assert re.findall(r'<link\b[^>]*>', html) == ['<link rel="icon" href="data:,">']
    assert not re.search(r'src="', html)
    ids = [n.attrs["id"] for n in doc.iter() if "id" in n.attrs]
    assert len(ids) == len(set(ids)), "duplicate ids"


# --- in Chromium -------------------------------------------------------------------------------------

RGB = {
    "red": "rgb(192, 0, 0)",
    "amber": "rgb(255, 192, 0)",
    "green": "rgb(0, 176, 80)",
    "complete": "rgb(0, 176, 80)",
    "white": "rgb(255, 255, 255)",
}

CONTRAST_JS = """
(el) => {
  const parse = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); const p = m[1].split(',').map(Number);
                         return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
                       return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  let bg = null;
  for (let n = el; n; n = n.parentElement) {
    const c = parse(getComputedStyle(n).backgroundColor);
    if (c.a > 0) { bg = c; break; }
  }
  if (!bg) bg = {r: 255, g: 255, b: 255, a: 1};
  const fg = parse(getComputedStyle(el).color);
  const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
"""


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright; fails (never skips) when it is missing."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: the browser tests need it. Install it with "
            "'apt-get install chromium' (CI does) or set DELIVERY_REPORT_CHROMIUM to its path.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def page_file(tmp_path_factory, html) -> str:
    """The sample page written to a file:// URL."""
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(html, encoding="utf-8")
    return path.as_uri()


@pytest.fixture()
def page(browser, page_file):
    """A fresh page on the sample report that may not fetch anything from the network."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=True)
    context.route(re.compile(r"^(?!file:).*"), lambda route: route.abort())  # nothing leaves the machine
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if not r.url.startswith("file:") else None)
    page.goto(page_file)
    yield page
    assert requests == [], f"page tried to fetch {requests}"
    context.close()


@pytest.mark.slow  # Chromium
def test_rag_cells_have_colour_and_word_in_the_browser(page):
    cells = page.eval_on_selector_all(
        "tr[data-rag] > td.rag",
        """cells => cells.map(td => ({rag: td.parentElement.dataset.rag, bg: getComputedStyle(td).backgroundColor,
               colour: getComputedStyle(td).color, text: td.innerText.trim(), shadow: getComputedStyle(td).boxShadow,
               visible: Array.from(td.childNodes).filter(n => !(n.classList && n.classList.contains('visually-hidden')))
                             .map(n => n.textContent).join('').trim(),
               hiddenBox: (() => { const h = td.querySelector('.visually-hidden');
                                   if (!h) return null; const r = h.getBoundingClientRect(); return [r.width, r.height]; })()}))""",
    )
    assert len(cells) == len(sample_plan().actions)
    seen = set()
    for cell in cells:
        rag = cell["rag"]
        seen.add(rag)
        if rag == "none":
            assert cell["visible"] == "" and cell["hiddenBox"] is not None and max(cell["hiddenBox"]) <= 1
            continue
        assert cell["bg"] == RGB[rag], (rag, cell)
        assert cell["text"] == wording.rag_word(rag, DEFAULT_SCALE)
        assert cell["colour"] == ("rgb(255, 255, 255)" if rag == "red" else "rgb(0, 0, 0)")
        if rag == "white":
            assert cell["shadow"] != "none", "white RAG cell needs a visible border"
    assert seen == {"none", "red", "amber", "green", "white", "complete"}


@pytest.mark.slow  # Chromium
def test_text_contrast_is_at_least_4_5(page):
    selectors = ["td.rag:not(.rag-none)", ".response", ".response-label", ".responder-key li", "a", "th",
                 "td", "p", ".snapshot", "caption", "h1, h2, h3, h4"]
    for selector in selectors:
        for handle in page.query_selector_all(selector):
            if not handle.is_visible():
                continue
            ratio = handle.evaluate(CONTRAST_JS)
            assert ratio >= 4.5, f"{selector}: contrast {ratio:.2f} for {handle.inner_text()[:60]!r}"
    # the responders really are told apart by colour as well as by label
    colours = page.eval_on_selector_all(
        "td.progress .response", "els => els.map(e => [e.className, getComputedStyle(e).color])")
    by_class = {cls.split()[1]: colour for cls, colour in colours}
    assert by_class["response-chief_constable"] == "rgb(192, 0, 0)"
    assert by_class["response-pcc"] == "rgb(0, 0, 0)"
    assert by_class["response-panel"] == "rgb(31, 78, 158)"


@pytest.mark.slow  # Chromium
def test_skip_link_moves_focus_to_main(page):
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.className, document.activeElement.getAttribute('href')]")
    assert focused == ["skip-link", "#main"]
    box = page.locator("a.skip-link").bounding_box()
    assert box is not None and box["y"] >= 0 and box["width"] > 10, "skip link must be visible when focused"
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focused element needs a visible focus style"
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.hash === '#main'")
    assert page.evaluate("() => document.activeElement.id") == "main"


@pytest.mark.slow  # Chromium
def test_internal_link_moves_to_the_target_row(page):
    page.set_viewport_size({"width": 1280, "height": 600})
    link = page.locator("#action-1\\.10 td.status a[href='#action-3.10']")
    link.scroll_into_view_if_needed()
    link.click()
    page.wait_for_function("() => location.hash === '#action-3.10'")
    state = page.evaluate(
        """() => { const row = document.getElementById('action-3.10'); const r = row.getBoundingClientRect();
                   return {target: row.matches(':target'), top: r.top, bottom: r.bottom, h: innerHeight}; }""")
    assert state["target"]
    assert 0 <= state["top"] < state["h"], f"target row not scrolled into view: {state}"
    # the replacement action named in a lifecycle wording is reachable too
    page.locator("#action-1\\.1 td.status a").click()
    page.wait_for_function("() => location.hash === '#action-1.12'")


@pytest.mark.slow  # Chromium
def test_no_horizontal_page_scroll_at_320px(page):
    page.set_viewport_size({"width": 320, "height": 640})
    page.reload()
    sizes = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert sizes[0] <= sizes[1], f"page scrolls horizontally at 320px: {sizes}"
    regions = page.eval_on_selector_all(
        ".table-scroll",
        "els => els.map(e => [e.getAttribute('role'), e.getAttribute('tabindex'), e.getAttribute('aria-label'),"
        " e.scrollWidth > e.clientWidth, e.getBoundingClientRect().right <= document.documentElement.clientWidth])")
    assert regions
    for role, tabindex, label, _, inside in regions:
        assert role == "region" and tabindex == "0" and label and inside
    # The plan's tables are stacked blocks on a phone (test_phone.py): they never scroll sideways.
    plan_regions = page.eval_on_selector_all(".table-scroll:has(> .plan-table)", "els => els.map(e => e.scrollWidth > e.clientWidth)")
    assert plan_regions and not any(plan_regions)
    assert any(scrolls for *_, scrolls, _ in regions), "other wide tables should scroll inside their own region"
    # a region can be scrolled from the keyboard once focused
    region = page.locator(".table-scroll:not(:has(> .plan-table))").filter(
        has=page.locator("table")).nth(0)
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")
    region.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    # Chromium animates keyboard scrolling, so the offset grows over a few frames
    page.wait_for_function("e => e.scrollLeft > 0", arg=region.element_handle(), timeout=3000)


@pytest.mark.slow  # Chromium
def test_typed_html_is_not_executed_in_the_browser(browser, tmp_path):
    evil = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">"
    path = tmp_path / "evil.html"
    path.write_text(render_html(_evil_plan(evil)), encoding="utf-8")
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(path.as_uri())
        assert page.evaluate("() => window.__pwned === undefined")
        assert page.locator("main script").count() == 0 and page.locator("main img").count() == 0
        assert evil in page.locator("#action-2\\.1 td.action").inner_text()
    finally:
        context.close()


@pytest.mark.slow  # Chromium
def test_print_layout_puts_appendices_on_landscape_pages(page):
    page.emulate_media(media="print")
    styles = page.eval_on_selector_all(".appendix", "els => els.map(e => [getComputedStyle(e).page, "
                                       "getComputedStyle(e).breakBefore])")
    assert styles and all(s == ["appendix", "page"] for s in styles)
    assert page.locator("nav.contents").is_hidden()
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    assert pdf.startswith(b"%PDF")


def test_bullets_pasted_from_word_are_lists(content_copy: Path, tmp_path: Path):
    """A progress update pasted from Word into GitHub's editor (Word's '•', its tab-indented 'o', and a
    numbered list continued from item 2) is drawn as the lists the officer saw, through the whole build."""
    from conftest import run_build

    action = content_copy / "business_areas/02-partnerships/2.1.md"
    pasted = ("Progress since the last report:\n•\tPathway agreed with TVP ICT\n\to\tFunding confirmed by the PCC\n"
              "•\tGo-live planned for May\nNext steps:\n2)\tTrain the victims' services staff\n3)\tReview in June\n"
              "The Board will be told in July.\n")
    action.write_text(action.read_text(encoding="utf-8").split("---\n- ")[0] + "---\n" + pasted, encoding="utf-8")
    result = run_build("--content", "content", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = dom(next((tmp_path / "out").glob("report-*.html")).read_text(encoding="utf-8"))
    cell = status_cell(page, "2.1")
    assert [child.tag for child in cell.children if isinstance(child, Node)] == ["p", "ul", "p", "ol", "p"]
    bullets = cell.find("ul")
    items = [child for child in bullets.children if isinstance(child, Node)]
    assert [squash(item.children[0] if isinstance(item.children[0], str) else item.children[0].text())
            for item in items] == ["Pathway agreed with TVP ICT", "Go-live planned for May"]
    assert [squash(li.text()) for li in items[0].find("ul").find_all("li")] == ["Funding confirmed by the PCC"]
    numbered = cell.find("ol")
    assert numbered.attrs.get("start") == "2"
    assert [squash(li.text()) for li in numbered.find_all("li")] == ["Train the victims' services staff", "Review in June"]
    assert squash(cell.find_all("p")[-1].text()) == "The Board will be told in July."
    assert "•" not in cell.text() and "\to" not in cell.text()
