"""`delivery-report`: one installed command, with a subcommand for each thing the product does (as git's and mkdocs').

    delivery-report COMMAND [options]       delivery-report COMMAND --help       delivery-report --help

Each subcommand is a module's `main(argv, prog) -> exit code`: commands/ (build and check, new-action,
pr-summary, codeowners, reference-docx), importer/command.py, signoff.py, update_round_cli.py and
rollover_cli.py (new-year). They and this dispatcher are the only code that prints and exits; nothing imports
this module, so there is no cycle.
A command's module is imported only when it runs: `--help` and a small command do not load the whole build.

With an option first, or nothing at all, the command is `build`, so `delivery-report --as-at 2018-04-11`
and the pre-commit hook's `delivery-report --check` work as they did before there were subcommands.
scripts/*.py are shims: each calls `run` with its subcommand and its own name for the usage lines.
"""

from __future__ import annotations

import difflib
import gc
import importlib
import os
import shutil
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from .issues import printable

EXIT_USAGE = 2
CommandMain = Callable[[list[str], str], int]


@dataclass(frozen=True)
class Command:
    """A subcommand: what it does (for the overview), and where its `main(argv, prog)` is."""

    summary: str
    module: str  # relative to this package
    function: str = "main"

    def load(self) -> CommandMain:
        """The command's main function (its module imported now)."""
        return cast(CommandMain, getattr(importlib.import_module(self.module, __package__), self.function))


# In the order a plan's year uses them: build and check it, bring it in, change it, report on it.
COMMANDS: dict[str, Command] = {
    "build": Command("build the report pack as at a date: DOCX and HTML (PDF, CSV, XLSX, JSON with --format)",
                     ".commands.build"),
    "check": Command("check the content as the build reads it and list every problem as path:line; write nothing",
                     ".commands.build", "check_main"),
    "import": Command("read a Word delivery plan (.docx) into a new content folder that builds", ".importer.command"),
    "new-action": Command("write a new action's file, with the next free ref of a business area",
                          ".commands.new_action"),
    "update-round": Command("before a report: each sponsor's and lead officer's active actions, and which were "
                            "updated since the last report", ".update_round_cli"),
    "signoff": Command("build a report and record its sign-off (who, when, the DOCX's SHA-256); or --verify a DOCX",
                       ".signoff"),
    "new-year": Command("the year end: prepare the pull request that closes the plan year (unfinished actions "
                        "carried forward), then the one that opens the next", ".rollover_cli"),
    "pr-summary": Command("what a pull request changes in the public report, as Markdown for the workflow's summary",
                          ".commands.pr_summary"),
    "codeowners": Command("write .github/CODEOWNERS: each business area reviewed by its sponsors and leads",
                          ".commands.codeowners"),
    "reference-docx": Command("write reference.docx (the Word styles of the report) afresh",
                              ".commands.reference_docx"),
}
DEFAULT_COMMAND = "build"
USAGE = "usage: delivery-report [COMMAND] [options]"


def overview() -> str:
    """What `delivery-report --help` prints: every command and what it does."""
    # Wrapped to the terminal as argparse wraps each command's --help.
    columns = max(shutil.get_terminal_size().columns - 2, 40)
    indent = " " * (2 + max(map(len, COMMANDS)) + 2)
    lines = [USAGE, "", "Reports on a strategic delivery plan kept as Markdown in git.", "", "commands:"]
    lines += [textwrap.fill(summary, columns, initial_indent=f"  {name}".ljust(len(indent)), subsequent_indent=indent)
              for name, summary in ((name, command.summary) for name, command in COMMANDS.items())]
    lines += ["", "'delivery-report COMMAND --help' lists a command's options.",
              "With options and no command (or nothing at all), the command is build:",
              "  delivery-report --as-at 2018-04-11  =  delivery-report build --as-at 2018-04-11"]
    return "\n".join(lines)


def run(name: str, argv: list[str], prog: str | None = None) -> int:
    """Run the command `name` with its arguments; `prog` is the name its usage lines show (a script's own)."""
    return _before_exit(_until_the_reader_leaves(lambda: COMMANDS[name].load()(argv, prog or f"delivery-report {name}")))


def _before_exit(code: int) -> int:
    """The command is done and the process exits with `code`: every object left is moved out of the cycle
    collector's reach (gc.freeze), or the interpreter's last full collection would walk every object the
    command made (0.6 s after a 5,000-action build) only to free memory the exit frees anyway. Whatever
    the command writes is written, flushed and closed by then."""
    gc.freeze()
    return code


def _until_the_reader_leaves(command: Callable[[], int]) -> int:
    """Run the command; if what reads its output stops first (`delivery-report --help | head -3`), stop
    quietly with exit 1, as Python's documentation advises, rather than end in a traceback."""
    try:
        try:
            return command()
        finally:  # also after argparse's --help (SystemExit): a closed pipe is found here, not at exit
            sys.stdout.flush()
    except BrokenPipeError:
        # Nothing more can reach the reader; point stdout at /dev/null so the flush at exit is silent.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def main(argv: list[str] | None = None) -> int:
    """The `delivery-report` console command: run the command named first; return its exit code."""
    return _before_exit(_until_the_reader_leaves(lambda: _dispatch(sys.argv[1:] if argv is None else argv)))


def _dispatch(args: list[str]) -> int:
    first = args[0] if args else ""
    if first in ("-h", "--help"):
        print(overview())
        return 0
    if not first or first.startswith("-"):
        return run(DEFAULT_COMMAND, args)
    if first not in COMMANDS:
        close = difflib.get_close_matches(first, COMMANDS, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        print(USAGE, file=sys.stderr)
        print(f"delivery-report: error: '{printable(first)}' is not a command; {hint}the commands are "
              f"{', '.join(COMMANDS)} ('delivery-report --help' says what each does)", file=sys.stderr)
        return EXIT_USAGE
    return run(first, args[1:])
