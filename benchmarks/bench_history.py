#!/usr/bin/env python3
"""What --since and --audit cost on a long history, in seconds and in git processes.

    python benchmarks/bench_history.py                          # 500 actions, 2,000 commits
    python benchmarks/bench_history.py --actions 500 --commits 2000 --runs 3

Builds a synthetic repository (with git fast-import, in seconds), then times, in-process, the
plain as-at build (changes off) and the same build with --since and --audit, counting every git
process the package starts. Target (issue 9): the extra time is at most the plain build's time,
and the whole build with --since and --audit starts at most 12 git processes.
Not a test: it prints figures to quote, it asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from bench import pandoc_seconds, tables_as_html

from delivery_report import assemble, richtext, sources
from delivery_report.pipeline import BuildRequest, build, read_plan

ROOT = Path(__file__).resolve().parents[1]

AREAS = 10
START = dt.datetime(2017, 4, 1, 9, 0, tzinfo=dt.timezone.utc)
STEP = dt.timedelta(hours=4)


def action_text(area: int, n: int, version: int) -> bytes:
    """One action file; `version` changes its RAG, due date and status text."""
    rag = ("red", "amber", "green", "white")[(n + version) % 4]
    due = f"2018-{(n + version) % 12 + 1:02d}"
    return (
        f'---\nref: "{area}.{n}"\naction: Deliver outcome {n} of area {area}, with partners.\n'
        f"priorities: [1]\ndue: {due}\nsponsor: SM\nlead: CH\nrag: {rag}\n---\n"
        f"- Update {version}: progress is **on track** with the partners (links to Action {area}.1)\n"
        f"  - detail for version {version} of this action\n- Second point, unchanged\n"
    ).encode()


def synthetic_repo(root: Path, actions: int, commits: int) -> tuple[Path, dt.date]:
    """A repository of `actions` actions and `commits` commits, each changing three actions; returns content, last day."""
    fixture = ROOT / "tests" / "fixtures" / "minimal" / "content"
    base = {p.relative_to(fixture).as_posix(): p.read_bytes() for p in sorted(fixture.rglob("*"))
            if p.is_file() and not p.relative_to(fixture).as_posix().startswith("business_areas/")}
    per_area = max(1, actions // AREAS)
    stream: list[bytes] = []

    def blob(path: str, data: bytes) -> None:
        stream.append(f"M 100644 inline content/{path}\ndata {len(data)}\n".encode() + data + b"\n")

    for number in range(commits):
        when = int((START + STEP * number).timestamp())
        message = f"update {number}".encode()
        stream.append(
            f"commit refs/heads/main\nmark :{number + 1}\nauthor Officer <o@example.invalid> {when} +0000\n"
            f"committer Officer <o@example.invalid> {when} +0000\ndata {len(message)}\n".encode() + message + b"\n"
        )
        if number == 0:
            for path, data in base.items():
                blob(path, data)
            for area in range(1, AREAS + 1):
                blob(f"business_areas/{area:02d}-area-{area}/_area.md", f"---\nnumber: {area}\ntitle: Area {area}\n---\n".encode())
                for n in range(1, per_area + 1):
                    blob(f"business_areas/{area:02d}-area-{area}/{area}.{n}.md", action_text(area, n, 0))
            continue
        stream.append(f"from :{number}\n".encode())
        for k in range(3):
            index = (number * 7 + k * 131) % (per_area * AREAS)
            area, n = index // per_area + 1, index % per_area + 1
            blob(f"business_areas/{area:02d}-area-{area}/{area}.{n}.md", action_text(area, n, number))
    root.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(root)}
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True, env=env)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=b"".join(stream), check=True, env=env)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=root, check=True, env=env)
    last = (START + STEP * (commits - 1)).date()
    return root / "content", last


def _cpu_seconds() -> float:
    """CPU time of this process and the git processes it waited for (steadier than the clock on a busy machine)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def counted(fn: Callable[[], object]) -> tuple[float, float, int]:
    """Wall-clock seconds, CPU seconds and git processes started by fn()."""
    calls = 0
    real = sources._run_git

    def counting(cwd: Path, *args: str, input: bytes | None = None) -> bytes:
        nonlocal calls
        calls += 1
        return real(cwd, *args, input=input)

    sources._run_git = counting
    richtext._PARSED.clear()  # each build starts cold, as a new process would
    assemble.forget_readings()
    try:
        start, cpu = time.perf_counter(), _cpu_seconds()
        fn()
        return time.perf_counter() - start, _cpu_seconds() - cpu, calls
    finally:
        sources._run_git = real


def main() -> None:
    """Build the synthetic repository and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--actions", type=int, default=500)
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3, help="runs of each build; the median is quoted")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        content, last = synthetic_repo(Path(tmp) / "repo", args.actions, args.commits)
        print(f"synthetic repository: {args.actions} actions, {args.commits} commits "
              f"(made in {time.perf_counter() - started:.1f} s)")
        since = last - dt.timedelta(days=(last - START.date()).days // 2)
        out = Path(tmp) / "out"
        modes = {
            "plain build (no history)": BuildRequest(content_dir=content, out_dir=out, as_at=last, changes=False),
            "with --since": BuildRequest(content_dir=content, out_dir=out, as_at=last, since=since),
            "with --audit": BuildRequest(content_dir=content, out_dir=out, as_at=last, audit=True, changes=False),
            "with --since and --audit": BuildRequest(content_dir=content, out_dir=out, as_at=last, since=since, audit=True),
        }
        results: dict[str, list[tuple[float, float, int]]] = {label: [] for label in modes}
        # Cold: no audit cache kept from an earlier run (delivery_report/blobcache.py), as on a fresh machine.
        os.environ["DELIVERY_REPORT_CACHE"] = "off"
        for _ in range(args.runs):
            for label, request in modes.items():
                results[label].append(counted(partial(build, request)))
        # Warm: the audit's cache kept from one earlier run, as for governance staff's next report.
        os.environ["DELIVERY_REPORT_CACHE"] = str(Path(tmp) / "cache")
        both = modes["with --since and --audit"]
        counted(partial(build, both))
        results["--since --audit, cache kept"] = [counted(partial(build, both)) for _ in range(args.runs)]
        with (out / f"audit-{last.isoformat()}.csv").open(encoding="utf-8", newline="") as stream:
            rows = sum(1 for _ in csv.reader(stream)) - 1
        print(f"as at {last.isoformat()}, since {since.isoformat()}; median of {args.runs} runs; {rows:,} audit rows")
        plain_wall = statistics.median(w for w, _, _ in results["plain build (no history)"])
        plain_cpu = statistics.median(c for _, c, _ in results["plain build (no history)"])
        for label, timings in results.items():
            wall = statistics.median(w for w, _, _ in timings)
            cpu = statistics.median(c for _, c, _ in timings)
            processes = max(n for _, _, n in timings)
            extra = "" if wall == plain_wall else (
                f"  (+{100 * (wall - plain_wall) / plain_wall:.0f}% wall, +{100 * (cpu - plain_cpu) / plain_cpu:.0f}% CPU)")
            print(f"  {label:26s}: {wall:5.2f} s wall, {cpu:5.2f} s CPU, {processes:2d} git processes{extra}")
        # pandoc converting the same plan's tables, in the same run, as a yardstick (benchmarks/bench.py's method).
        plan = read_plan(modes["plain build (no history)"])
        pandoc_runs = [sum(pandoc_seconds(tables_as_html(plan.public()), Path(tmp)).values()) for _ in range(args.runs)]
        print(f"  {'pandoc (same tables)':26s}: {statistics.median(pandoc_runs):5.2f} s wall")
        print("  targets: --since and --audit together add <= 100% of the plain build, <= 12 git processes")
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
