"""Packaging (issue 7): `pip install .` (not editable) into a fresh virtual environment builds the report
with both commands, templates and the Word reference document coming from the installed package."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest
from conftest import ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment with the project installed as a regular (non-editable) package.

    It sees this machine's site-packages for the dependencies (only the build backend is fetched), but the
    package itself is the copy pip installs into the environment."""
    env_dir = tmp_path_factory.mktemp("venv") / "env"
    venv.EnvBuilder(with_pip=True, system_site_packages=True).create(env_dir)
    result = subprocess.run([str(env_dir / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps",
                             str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return env_dir


def test_installed_package_is_not_the_source_tree(installed: Path) -> None:
    where = subprocess.run([str(installed / "bin" / "python"), "-c",
                            "import delivery_report.templates as t; print(t.__file__)"],
                           capture_output=True, text=True, cwd=installed, check=True).stdout.strip()
    assert str(installed) in where and "site-packages" in where, where


@pytest.mark.parametrize("command", ["script", "entry point"])
def test_both_commands_build_from_the_installed_package(installed: Path, tmp_path: Path, command: str) -> None:
    out = tmp_path / "out"
    args = ["--as-at", "2018-04-11", "--content", str(ROOT / "content"), "--out", str(out)]
    if command == "script":
        argv = [str(installed / "bin" / "python"), str(ROOT / "scripts" / "build.py"), *args]
    else:
        argv = [str(installed / "bin" / "delivery-report"), *args]
    result = subprocess.run(argv, capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "9 business areas, 67 actions as at 2018-04-11" in result.stdout
    # The same commit gives the same bytes as the development install does.
    reference = tmp_path / "reference"
    again = subprocess.run([sys.executable, str(ROOT / "scripts" / "build.py"), *args[:-1], str(reference)],
                           capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    for name in ("report-2018-04-11.docx", "report-2018-04-11.html"):
        assert (out / name).read_bytes() == (reference / name).read_bytes(), name
