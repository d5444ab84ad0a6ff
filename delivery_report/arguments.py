"""Command-line values shared by the commands (build, sign-off, update round): checked before anything runs."""

from __future__ import annotations

import argparse
import datetime as dt
import unicodedata

# Invisible characters that a name or a meeting never needs: controls (a tab, a line break, BEL), format
# characters (bidirectional overrides that make text read differently from what it holds, a soft hyphen),
# unpaired surrogates (bytes of the command line that were not UTF-8), private-use and unassigned code
# points, and the line and paragraph separators.
_REFUSED_CATEGORIES = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
# Format characters that scripts need inside names (Persian, Indic scripts and emoji sequences join with them).
_JOINERS = ("\u200c", "\u200d")


def date_argument(text: str) -> dt.date:
    """An argparse type: YYYY-MM-DD, or a message saying how to write it."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write it as YYYY-MM-DD, e.g. 2018-04-11") from None


def _described(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        return f"the byte 0x{code - 0xDC00:02X}, which is not UTF-8 text"
    if char in "\n\r\u2028\u2029\x85\x0b\x0c":
        return f"a line break (U+{code:04X})"
    if unicodedata.category(char) == "Cc":  # control characters have no Unicode names
        return f"the invisible control character U+{code:04X}"
    try:
        return f"the invisible character U+{code:04X} ({unicodedata.name(char)})"
    except ValueError:
        return f"the invisible character U+{code:04X}"


def one_line_problem(option: str, text: str, limit: int) -> str | None:
    """Why `text` cannot be kept as one printable line of at most `limit` characters, or None when it can.

    Checked before anything is written, so a value that a record could not hold as typed (or that would
    print differently from what it holds) never reaches one. Spaces around and between words do not count."""
    for char in text:
        if unicodedata.category(char) in _REFUSED_CATEGORIES and char not in _JOINERS:
            return (f"{option} holds {_described(char)}; type it again as one line of plain text "
                    "(nothing pasted with hidden characters)")
    kept = one_line(text)
    if not kept:
        return f"{option} is empty; give the text in quotes"
    if len(kept) > limit:
        return f"{option} is {len(kept):,} characters long; at most {limit:,} fit on the record's line: shorten it"
    return None


def one_line(text: str) -> str:
    """The text as kept: words separated by single spaces, none around them."""
    return " ".join(text.split())
