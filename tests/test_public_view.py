"""The public view of rich text and of the plan: restricted blocks out, everything else kept as it was."""

from __future__ import annotations

from delivery_report import richtext
from delivery_report.model import ListBlock, ListItem, Paragraph, Span, without_restricted


def test_text_with_nothing_restricted_is_kept_as_it_is() -> None:
    blocks = richtext.parse("- one\n  - two, see Action 1.2\n- three\n")
    assert without_restricted(blocks, {"1.2"}) is blocks


def test_restricted_blocks_and_the_items_they_empty_are_taken_out() -> None:
    blocks = richtext.parse("- kept\n- ::: restricted\n  secret\n  :::\n- also kept\n")
    public = without_restricted(blocks, set())
    assert public == (ListBlock(False, (ListItem((Paragraph((Span("kept"),)),)),
                                        ListItem((Paragraph((Span("also kept"),)),)))),)
    assert "secret" not in repr(public)


def test_an_empty_item_is_dropped_as_before() -> None:
    blocks = (ListBlock(False, (ListItem(()), ListItem((Paragraph((Span("kept"),)),)))),)
    assert without_restricted(blocks, set()) == (ListBlock(False, (ListItem((Paragraph((Span("kept"),)),)),)),)


def test_a_link_to_an_action_that_is_not_public_becomes_text() -> None:
    blocks = richtext.parse("See Action 9.9 and Action 1.2")
    public = without_restricted(blocks, {"1.2"})
    assert [s.action_ref for s in public[0].spans if s.action_ref] == ["1.2"]  # type: ignore[union-attr]
