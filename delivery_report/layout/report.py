"""The whole pack: its parts in order, and what every page carries (title, running header, marks, footer)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Plan
from .colours import rating_fills
from .contents import contents_part
from .cover import cover_part
from .measures import kpi_part
from .nodes import DocumentProperties, Part, Report
from .plan_tables import delivery_plan_part
from .progress import progress_part
from .recommendations import recommendations_part
from .update_round import update_round_part
from .wording import DRAFT_MARK, RESTRICTED_MARK, UNFINISHED_MARK, as_at_words, dotted_date, restricted_marked

if TYPE_CHECKING:
    from ..changes import ChangeSummary
    from ..rounds import UpdateRound


def build_layout(plan: Plan, changes: ChangeSummary | None = None, history_page: str = "",
                 update_round: UpdateRound | None = None) -> Report:
    """Turn a plan into the report every renderer draws (pass `plan.public()` for public outputs).

    With `changes` (compared with the last report), R/A/G cells show their movement, rows carry
    data-rag-previous, overdue actions are flagged and a 'Changes since' section is added. With
    `history_page` (the audit page built beside the report), each action row links to its history. With
    `update_round`, the restricted copy ends with who has not yet updated which action (it names people: a
    copy that is not the restricted one never shows it)."""
    snap = plan.snapshot
    parts: list[Part] = []
    appendices = [delivery_plan_part(plan, first=plan.cover is None, changes=changes, history_page=history_page),
                  recommendations_part(plan)]
    if plan.kpis:
        appendices.append(kpi_part(plan))
    if plan.cover is not None:
        # The summaries have their own appendix after the others; the cover report points to it.
        progress_number = len(appendices) + 1
        parts.append(cover_part(plan, plan.cover, changes, progress_number))
        appendices.append(progress_part(plan, changes, progress_number))
    if update_round is not None and snap.restricted_copy:
        appendices.append(update_round_part(update_round, len(appendices) + 1))
    parts.append(contents_part(appendices))
    parts.extend(appendices)
    # Not for sign-off: built from uncommitted changes, or from content still holding a template's placeholders.
    draft = snap.draft or snap.unfinished
    banner = RESTRICTED_MARK if snap.restricted_copy else (
        UNFINISHED_MARK if snap.unfinished else DRAFT_MARK if snap.draft else "")
    page_title = plan.cover.title if plan.cover is not None else plan.info.title
    prefix = "RESTRICTED – " if snap.restricted_copy else ("DRAFT – " if draft else "")
    commit = snap.commit or ""
    if commit:
        footer = f"Built from commit {commit[:7]} as at {as_at_words(snap)}"
        if snap.draft:
            footer += ", with uncommitted changes (DRAFT)"
    else:
        footer = f"Built from the working tree (not in git) on {as_at_words(snap)}"
    identifier = commit + ("-dirty" if commit and snap.draft else "")
    return Report(
        page_title=f"{prefix}{page_title} (as at {as_at_words(snap)})",
        organisation=plan.info.organisation,
        as_at_words=as_at_words(snap),
        commit=commit,
        short_commit=commit[:12],
        banner=banner,
        restricted_copy=snap.restricted_copy,
        draft=draft,
        parts=tuple(parts),
        footer=footer + ".",
        identifier=identifier,
        running_header=f"{plan.info.title} – as at {as_at_words(snap)}",
        page_mark=RESTRICTED_MARK if snap.restricted_copy else ("DRAFT" if draft else ""),
        properties=DocumentProperties(
            title=restricted_marked(f"{plan.info.title} (as at {dotted_date(snap.as_at)})", snap.restricted_copy),
            subject=restricted_marked("Level 1 report pack", snap.restricted_copy),
            author=plan.info.organisation,
            comments=f"Built from commit {commit}" if commit else "Built from the working tree",
        ),
        link_targets=frozenset(a.ref for a in plan.actions),
        rating_fills=rating_fills(plan.ratings),
    )
