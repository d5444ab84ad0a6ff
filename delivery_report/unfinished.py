"""The product's own placeholders: the text its templates write for an officer to replace, defined once here so
that the writers (newaction.py, importer/write.py) and the check (`find_unfinished`) cannot drift apart.

Left in a file, such text would be published as typed ("TO FILL IN: the plan's title", "Write the action
here: ...") or would leave a field out without a word (a new action's '# due: 2018-09'). Each is an issue of
severity `issues.UNFINISHED`: an error for `--check` and for a dated build, while a working-tree build shows
the text and marks the report DRAFT (pipeline), so that an imported plan can be previewed as it is filled in.
"""

from __future__ import annotations

from .issues import UNFINISHED, Issue

# The importer's mark on a value it could not read from the Word document ("TO FILL IN: the plan's title").
TO_FILL_IN = "TO FILL IN"
# The importer's note on an action it read with a doubt, a comment line in the front matter.
IMPORT_NOTE = "# import:"
# The new-action template's action text, and the lines it leaves commented out when no value was given.
NEW_ACTION_PROMPT = "Write the action here"
NEW_ACTION_TEXT = f"{NEW_ACTION_PROMPT}: what will be done, by whom and by when, in a sentence or two."
NEW_ACTION_NOTE = ("# To fill in a line below, remove its '#'. due is YYYY-MM or a word such as Ongoing; "
                   "sponsor and lead are initials from people.yaml.")
# field -> (the example the template writes after '# <field>: ', what to write instead)
NEW_ACTION_EXAMPLES = {
    "due": ("2018-09", "the month it is due as 'due: YYYY-MM' (or a word such as Ongoing)"),
    "sponsor": ("PCC", "'sponsor: ' and the sponsor's initials from people.yaml"),
    "lead": ("SM", "'lead: ' and the lead officer's initials from people.yaml"),
}


def commented_example(key: str) -> str:
    """The template's commented-out line for a field it was given no value for: '# due: 2018-09'."""
    return f"# {key}: {NEW_ACTION_EXAMPLES[key][0]}"


_COMMENTED = {commented_example(key): key for key in NEW_ACTION_EXAMPLES}
# Bytes any placeholder starts with: most files hold none, and are passed over without being decoded.
_MARKERS = (TO_FILL_IN.encode(), IMPORT_NOTE.encode(), NEW_ACTION_PROMPT.encode(),
            *(line.encode() for line in _COMMENTED))


def find_unfinished(path: str, raw: bytes) -> list[Issue]:
    """Every placeholder of the product's templates left in a content file, at its line."""
    if not any(marker in raw for marker in _MARKERS):
        return []
    text = raw.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")
    issues = []
    for number, line in enumerate(text.split("\n"), start=1):
        message = _placeholder(line)
        if message:
            issues.append(Issue(path, number, message, UNFINISHED))
    return issues


def _placeholder(line: str) -> str:
    """What to do about a line holding one of the placeholders ('' for none)."""
    stripped = line.strip()
    if stripped in _COMMENTED:
        key = _COMMENTED[stripped]
        return (f"the new-action template's line '{stripped}' is still here (a comment, which gives the action no "
                f"{key}): replace the line with {NEW_ACTION_EXAMPLES[key][1]}, without the '#'")
    if stripped.startswith(IMPORT_NOTE):
        note = stripped if len(stripped) <= 80 else stripped[:77] + "..."
        return f"the import left a note here ('{note}'): check what it says, correct what is wrong, then delete the line"
    if TO_FILL_IN in line:
        shown = line[line.index(TO_FILL_IN):].strip().strip("'\"")
        return f"'{shown[:70]}' is still to be written: replace it with the text itself"
    if NEW_ACTION_PROMPT in line:
        return f"the new action still has the template's text '{NEW_ACTION_PROMPT}...': write the action in its place"
    return ""
