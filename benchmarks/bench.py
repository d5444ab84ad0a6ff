#!/usr/bin/env python3
"""Time the build by phase, and pandoc (pypandoc-binary) converting the same tables, in one run.

    python benchmarks/bench.py                       # the shipped plan, as at 2018-04-11
    python benchmarks/bench.py --scale 500 2000 5000 # also synthetic plans of that many actions
    python benchmarks/bench.py --process --scale 5000 --history 500   # what a user waits for

--process times what a user waits for: the whole command (`python scripts/build.py --as-at DATE
--content DIR --out DIR`, start-up included, its bytecode compiled once as an installed package's is: see
--no-bytecode-cache) in a new process each run, with its peak memory (the
kernel's maximum resident set size of the child, as `/usr/bin/time -v` prints it), against the pandoc
executable converting the same tables, the two run in turn (A B A B ...). The synthetic repository
then has `--history` commits made with git fast-import and a report record half-way along, so the
build also compares with the last report (the change summary), as every real build does. With
LibreOffice installed a build lays the DOCX out with it for the Contents' page numbers, as a user's
does; --no-page-numbers times the build without that run.

Not a test: it prints figures to quote, it asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from delivery_report import assemble as assemble_module
from delivery_report import richtext
from delivery_report.assemble import assemble
from delivery_report.commands.build import tune_garbage_collector
from delivery_report.layout import build_layout
from delivery_report.layout.wording import due_words, lifecycle_wording, people_words, priorities_display, rag_word
from delivery_report.model import Plan, Snapshot, plain_text
from delivery_report.pipeline import BuildRequest, read_changes, write_outputs
from delivery_report.render.docx import render_docx
from delivery_report.render.html import render_html
from delivery_report.sources import open_source
from delivery_report.validate import validate

ROOT = Path(__file__).resolve().parents[1]
T = TypeVar("T")


def timed(fn: Callable[..., T], *args: Any, **kwargs: Any) -> tuple[T, float]:
    """fn's value and the seconds it took."""
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return value, time.perf_counter() - start


def build_phases(content: Path, as_at: dt.date | None, out: Path) -> tuple[dict[str, float], Plan]:
    """Run the pipeline stage by stage and return seconds per phase."""
    phases: dict[str, float] = {}
    richtext._PARSED.clear()  # each build starts cold, as a new process would
    assemble_module.forget_readings()
    opened, phases["git: resolve"] = timed(open_source, content, "content", as_at)
    source, commit, draft = opened.source, opened.commit, opened.draft
    files, phases["git: read tree"] = timed(source.read_all)
    snapshot = Snapshot(as_at or dt.date.today(), commit.sha if commit else None, commit.committed_at if commit else None, draft)
    (plan, issues), phases["load + model"] = timed(assemble, files, "content", snapshot)
    if plan is None:
        raise SystemExit("content has problems: run scripts/build.py --check")
    more, phases["validate"] = timed(validate, plan)
    if [i for i in issues + more if not i.is_warning]:
        raise SystemExit("content has problems: run scripts/build.py --check")
    # What changed since the last report (its record in content/reports), as every build works out.
    request = BuildRequest(content_dir=content, out_dir=out, as_at=as_at)
    (_, changes), phases["changes since report"] = timed(read_changes, request, plan, opened)
    public = plan.public()
    report, phases["layout"] = timed(build_layout, public, changes)
    docx_bytes, phases["render docx"] = timed(render_docx, report, public.snapshot)
    html_text, phases["render html"] = timed(render_html, report)
    _, phases["write"] = timed(write_outputs, out, {"bench.docx": docx_bytes, "bench.html": html_text.encode()})
    return phases, public


def tables_as_html(plan: Plan) -> str:
    """The delivery-plan tables as plain HTML: the same work handed to pandoc."""
    parts = ["<html><body>"]
    for area in plan.areas:
        parts.append(f"<h2>Business Area {area.number}: {area.title}</h2><table><tr>")
        parts += [f"<th>{h}</th>" for h in ("Ref.", "Actions", "Links to Strategic Priority", "Due Date", "Sponsor", "Lead Officer", "Current Status", "R/A/G")]
        parts.append("</tr>")
        for a in area.actions:
            status = "".join(f"<li>{line}</li>" for line in plain_text(a.status).split("\n") if line)
            cells = (a.ref, plain_text(a.text), priorities_display(a), due_words(a.due) if a.due else "",
                     people_words(a.sponsor), people_words(a.lead),
                     f"<b>{lifecycle_wording(a, plan)}</b><ul>{status}</ul>", rag_word(a.rag, plan.ratings) if a.rag else "")
            parts.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)


def pandoc_seconds(html: str, out: Path) -> dict[str, float]:
    import pypandoc

    result = {}
    _, result["pandoc html->docx"] = timed(pypandoc.convert_text, html, "docx", "html", outputfile=str(out / "pandoc.docx"))
    _, result["pandoc html->html"] = timed(pypandoc.convert_text, html, "html", "html")
    return result


def synthetic_repo(root: Path, actions: int, commits: int) -> Path:
    """A git repository with `actions` actions over 10 areas and `commits` dated status updates."""
    content = root / "content"
    shutil_copy = __import__("shutil").copytree
    shutil_copy(ROOT / "tests" / "fixtures" / "minimal" / "content", content)
    areas = content / "business_areas"
    for old in list(areas.iterdir()):
        __import__("shutil").rmtree(old)
    per_area = max(1, actions // 10)
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "b@x", "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "b@x"}

    def write_all(round_no: int) -> None:
        for area in range(1, 11):
            folder = areas / f"{area:02d}-area-{area}"
            folder.mkdir(exist_ok=True)
            (folder / "_area.md").write_text(f"---\nnumber: {area}\ntitle: Area {area}\n---\n")
            for n in range(1, per_area + 1):
                rag = ("red", "amber", "green", "complete")[(n + round_no) % 4]
                (folder / f"{area}.{n}.md").write_text(
                    f"---\nref: \"{area}.{n}\"\naction: Deliver outcome {n} of area {area}, with partners.\n"
                    f"priorities: [1]\ndue: 2018-03\nsponsor: SM\nlead: CH\nrag: {rag}\n---\n"
                    # Every status is its own text, as in a real plan (identical texts would be parsed once).
                    f"- Update {round_no} on {area}.{n}: progress is **on track** (links to Action {area}.1)\n"
                    f"  - detail for round {round_no} of action {area}.{n}\n- Second point about {area}.{n}\n"
                )

    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True, env=env)
    for round_no in range(commits):
        write_all(round_no)
        day = dt.date(2017, 4, 1) + dt.timedelta(days=7 * round_no)
        stamp = f"{day.isoformat()}T12:00:00+00:00"
        subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
        subprocess.run(["git", "commit", "-q", "-m", f"update {round_no}"], cwd=root, check=True,
                       env={**env, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp})
    return content


def history_repo(root: Path, actions: int, commits: int) -> tuple[Path, dt.date]:
    """A repository of `actions` actions over 10 areas and `commits` daily commits, made with git fast-import.

    The first commit adds the plan; each later one is a status update of 1% of the actions (in turn, so
    every action changes about commits/100 times); the commit half-way along also adds the report record
    reports/<its date>.yaml, so a build as at the last day compares with that report. Returns the content
    folder and the last commit's day."""
    fixture = ROOT / "tests" / "fixtures" / "minimal" / "content"
    base = {p.relative_to(fixture).as_posix(): p.read_bytes() for p in sorted(fixture.rglob("*"))
            if p.is_file() and not p.relative_to(fixture).as_posix().startswith("business_areas/")}
    per_area = max(1, actions // 10)
    total = per_area * 10
    per_commit = max(1, total // 100)
    start = dt.datetime(2017, 4, 1, 12, 0, tzinfo=dt.timezone.utc)
    stream: list[bytes] = []

    def blob(path: str, data: bytes) -> None:
        stream.append(f"M 100644 inline content/{path}\ndata {len(data)}\n".encode() + data + b"\n")

    def action(area: int, n: int, version: int) -> bytes:
        rag = ("red", "amber", "green", "complete")[(n + version) % 4]
        return (f"---\nref: \"{area}.{n}\"\naction: Deliver outcome {n} of area {area}, with partners.\n"
                f"priorities: [1]\ndue: 2018-03\nsponsor: SM\nlead: CH\nrag: {rag}\n---\n"
                f"- Update {version} on {area}.{n}: progress is **on track** (links to Action {area}.1)\n"
                f"  - detail for round {version} of action {area}.{n}\n- Second point about {area}.{n}\n").encode()

    for number in range(commits):
        when = start + dt.timedelta(days=number)
        stamp = int(when.timestamp())
        message = f"update {number}".encode()
        stream.append(f"commit refs/heads/main\nmark :{number + 1}\nauthor Officer <o@example.invalid> {stamp} +0000\n"
                      f"committer Officer <o@example.invalid> {stamp} +0000\ndata {len(message)}\n".encode()
                      + message + b"\n")
        if number == 0:
            for path, data in base.items():
                blob(path, data)
            for area in range(1, 11):
                blob(f"business_areas/{area:02d}-area-{area}/_area.md", f"---\nnumber: {area}\ntitle: Area {area}\n---\n".encode())
                for n in range(1, per_area + 1):
                    blob(f"business_areas/{area:02d}-area-{area}/{area}.{n}.md", action(area, n, 0))
            continue
        stream.append(f"from :{number}\n".encode())
        for k in range(per_commit):
            index = ((number - 1) * per_commit + k) % total
            area, n = index // per_area + 1, index % per_area + 1
            blob(f"business_areas/{area:02d}-area-{area}/{area}.{n}.md", action(area, n, number))
        if number == commits // 2:
            blob(f"reports/{when.date().isoformat()}.yaml",
                 f"as_at: {when.date().isoformat()}\nmeeting: \"Synthetic board\"\n".encode())
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(root)}
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True, env=env)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=b"".join(stream), check=True, env=env)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=root, check=True, env=env)
    return root / "content", (start + dt.timedelta(days=commits - 1)).date()


# The environment of the processes timed (set by process_mode): the interpreter's own, or with its compiled
# bytecode kept between runs (see --no-bytecode-cache).
CHILD_ENV: dict[str, str] | None = None


def run_process(command: list[str]) -> tuple[float, float, float]:
    """Wall-clock and CPU seconds (user + system) of one whole process, and its peak memory in MiB (the
    child's maximum resident set, as /usr/bin/time -v reports it)."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=CHILD_ENV)
    assert child.stderr is not None
    errors = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({child.returncode}): {errors.decode(errors='replace')}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # Linux reports kilobytes


def _spread(values: list[float], unit: str, digits: int = 2) -> str:
    return f"{statistics.median(values):.{digits}f}{unit} ({min(values):.{digits}f}-{max(values):.{digits}f})"


def process_figures(label: str, build: list[str], pandoc: list[list[str]], runs: int) -> None:
    """Run the build and pandoc in turn, `runs` times after one unmeasured warm-up each; print medians."""
    run_process(build)
    for command in pandoc:
        run_process(command)
    ours: list[tuple[float, float, float]] = []
    theirs: list[tuple[float, float]] = []
    for _ in range(runs):
        ours.append(run_process(build))
        both = [run_process(command) for command in pandoc]
        theirs.append((sum(wall for wall, _, _ in both), sum(cpu for _, cpu, _ in both)))
    print(f"\n{label}\n  whole processes, median of {runs} runs (min-max), the two run in turn")
    print(f"  build.py  wall {_spread([w for w, _, _ in ours], ' s')}  CPU {_spread([c for _, c, _ in ours], ' s')}  "
          f"peak {_spread([m for _, _, m in ours], ' MiB', 0)}")
    print(f"  pandoc    wall {_spread([w for w, _ in theirs], ' s')}  CPU {_spread([c for _, c in theirs], ' s')}  "
          "(html->docx and html->html)")
    wall_ratios = [o[0] / t[0] for o, t in zip(ours, theirs)]
    cpu_ratios = [o[1] / t[1] for o, t in zip(ours, theirs)]
    print(f"  build / pandoc = {_spread(wall_ratios, '', 3)} wall, {_spread(cpu_ratios, '', 3)} CPU (pair by pair)")
    print(f"  load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")


def write_tables(content: Path, as_at: str, out: Path) -> None:
    """--tables-html: the plan's delivery-plan tables as plain HTML for pandoc, and the number of actions."""
    plan = build_phases(content, dt.date.fromisoformat(as_at), out.parent / "tables-build")[1]
    out.write_text(tables_as_html(plan), encoding="utf-8")
    print(len(plan.actions))


def process_mode(args: argparse.Namespace, tmp: Path) -> None:
    """--process: the shipped plan and each --scale, as a user runs them. Nothing is built in this process:
    a child's peak memory counts its parent's at the moment it was started, so this one stays small."""
    import pypandoc

    global CHILD_ENV
    if not args.no_bytecode_cache:
        # A user's installed package has its bytecode compiled (pip compiles it; Python keeps it in __pycache__).
        # With PYTHONDONTWRITEBYTECODE set (as in some containers) every build would compile the package's
        # modules from source again, about 0.1 s of each start-up; the untimed first run compiles them here.
        CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        CHILD_ENV["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    print("Bytecode " + ("compiled by each process (--no-bytecode-cache)" if CHILD_ENV is None
                         else "compiled once, by the untimed first run, and kept (as an installed package's is)"))
    pandoc_exe = pypandoc.get_pandoc_path()
    out = tmp / "out"
    build_py = str(ROOT / "scripts" / "build.py")

    def case(content: Path, as_at: str, name: str, label: str) -> None:
        tables = tmp / f"{name}.html"
        made = subprocess.run([sys.executable, __file__, "--tables-html", str(content), as_at, str(tables)],
                              check=True, capture_output=True, text=True)
        pandoc = [[pandoc_exe, "-f", "html", "-t", "docx", "-o", str(tmp / "pandoc.docx"), str(tables)],
                  [pandoc_exe, "-f", "html", "-t", "html", "-o", str(tmp / "pandoc.html"), str(tables)]]
        build = [sys.executable, build_py, "--as-at", as_at, "--content", str(content), "--out", str(out),
                 *(["--no-page-numbers"] if args.no_page_numbers else [])]
        process_figures(label.format(actions=int(made.stdout.split()[-1])), build, pandoc, args.runs)

    from delivery_report.render.pdf import libreoffice_installed

    numbered = libreoffice_installed() and not args.no_page_numbers
    print("Contents page numbers " + ("from LibreOffice's layout (one more LibreOffice run per DOCX)" if numbered
                                      else "left to Word (--no-page-numbers, or no LibreOffice)"))
    case(ROOT / "content", args.as_at, "shipped", f"Shipped plan as at {args.as_at}: {{actions}} actions")
    for size in args.scale:
        repo = tmp / f"history-{size}"
        repo.mkdir()
        started = time.perf_counter()
        content, last = history_repo(repo, size, args.history)
        print(f"\n(synthetic repository made in {time.perf_counter() - started:.1f} s)")
        case(content, last.isoformat(), f"synthetic-{size}",
             f"Synthetic plan: {{actions}} actions, {args.history} commits, as at {last} (with the change summary "
             "since the report record)")
        if args.keep:
            import shutil

            shutil.copytree(repo, Path(args.keep) / f"history-{size}", dirs_exist_ok=True)


def report(label: str, phases: dict[str, float], pandoc: dict[str, float]) -> None:
    ours = sum(phases.values())
    theirs = sum(pandoc.values())
    print(f"\n{label}")
    for name, seconds in list(phases.items()) + list(pandoc.items()):
        print(f"  {name:<22} {seconds * 1000:9.1f} ms")
    print(f"  {'build total':<22} {ours * 1000:9.1f} ms")
    print(f"  {'pandoc total':<22} {theirs * 1000:9.1f} ms")
    print(f"  build / pandoc = {ours / theirs:.2f}  ({'faster' if ours < theirs else 'SLOWER'} than pandoc)")


def best_of(runs: int, fn: Callable[[], tuple[dict[str, float], Plan]]) -> tuple[dict[str, float], Plan]:
    """The median of each phase over `runs` runs, and the plan of the first."""
    results = [fn() for _ in range(runs)]
    keys = results[0][0].keys()
    return {k: statistics.median(r[0][k] for r in results) for k in keys}, results[0][1]


def main() -> None:
    """Print the figures."""
    tune_garbage_collector()  # as the command line does
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--as-at", default="2018-04-11")
    parser.add_argument("--runs", type=int, default=3, help="median of this many runs (default 3)")
    parser.add_argument("--scale", type=int, nargs="*", default=[], help="synthetic plan sizes to time too")
    parser.add_argument("--history", type=int, default=50, help="commits of history in synthetic repos")
    parser.add_argument("--process", action="store_true",
                        help="time whole processes (the command a user runs, with history) against pandoc's")
    parser.add_argument("--keep", metavar="DIR", help="with --process: copy the synthetic repositories here")
    parser.add_argument("--no-page-numbers", action="store_true",
                        help="with --process: build with --no-page-numbers (no LibreOffice layout for the Contents' "
                             "page numbers; without LibreOffice installed, every build is so)")
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="with --process: let each build compile its modules as this environment says (with "
                             "PYTHONDONTWRITEBYTECODE set, from source every time) instead of keeping the bytecode "
                             "its first, untimed run compiled")
    parser.add_argument("--tables-html", nargs=3, metavar=("CONTENT", "AS_AT", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.tables_html:
        write_tables(Path(args.tables_html[0]), args.tables_html[1], Path(args.tables_html[2]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        if args.process:
            process_mode(args, Path(tmp))
            return
        out = Path(tmp) / "out"
        as_at = dt.date.fromisoformat(args.as_at)
        phases, plan = best_of(args.runs, lambda: build_phases(ROOT / "content", as_at, out))
        html = tables_as_html(plan)
        pandoc_runs = [pandoc_seconds(html, Path(tmp)) for _ in range(args.runs)]
        pandoc = {k: statistics.median(run[k] for run in pandoc_runs) for k in pandoc_runs[0]}
        report(f"Shipped plan as at {args.as_at}: {len(plan.actions)} actions", phases, pandoc)
        for size in args.scale:
            repo = Path(tmp) / f"synthetic-{size}"
            repo.mkdir()
            content = synthetic_repo(repo, size, args.history)
            phases, plan = best_of(1, functools.partial(build_phases, content, dt.date(2030, 1, 1), out))
            pandoc = pandoc_seconds(tables_as_html(plan), Path(tmp))
            report(f"Synthetic plan: {len(plan.actions)} actions, {args.history} commits of history", phases, pandoc)


if __name__ == "__main__":
    main()
