"""Packaging (issue 7): `pip install .` (not editable) into a fresh virtual environment builds the report
with both commands, templates and the Word reference document coming from the installed package."""

from __future__ import annotations

import os
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from conftest import ROOT

# Creates a virtual environment, builds a wheel of the project in it and runs three builds of the real plan.
pytestmark = pytest.mark.slow


def running_site_packages() -> list[str]:
    """Where the interpreter running the tests finds its installed packages.

    In a virtual environment that is the environment's site-packages (and the base interpreter's, if it
    was made with --system-site-packages); for a system Python, the system's; plus the user site when on.
    The test environment must see these, not the base interpreter's: a developer's venv holds the
    dependencies that the base interpreter may lack."""
    paths = list(site.getsitepackages())
    if site.ENABLE_USER_SITE:
        paths.append(site.getusersitepackages())
    return [path for path in dict.fromkeys(paths) if Path(path).is_dir()]


def without_python_path() -> dict[str, str]:
    """This process's environment, less PYTHONPATH: a source tree on it would shadow the installed package."""
    return {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME")}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment with the project installed as a regular (non-editable) package.

    The dependencies come from the running interpreter's site-packages, listed as plain paths in a .pth
    file of the new environment: they are searched after its own site-packages, and the .pth files in
    them (such as a development checkout's editable install) are not run, so `delivery_report` can only
    be the copy pip installs here. pip itself is the running interpreter's; only the build backend
    (setuptools, for the isolated build) is fetched from the package index."""
    env_dir = tmp_path_factory.mktemp("venv") / "env"
    venv.EnvBuilder(with_pip=False, system_site_packages=False).create(env_dir)
    python = str(env_dir / "bin" / "python")
    env = without_python_path()
    own_site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                              capture_output=True, text=True, check=True, env=env).stdout.strip()
    assert Path(own_site).is_relative_to(env_dir), own_site
    (Path(own_site) / "running-interpreter.pth").write_text("\n".join(running_site_packages()) + "\n",
                                                            encoding="utf-8")
    result = subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-deps", "--disable-pip-version-check",
                             str(ROOT)], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    return env_dir


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real plan built by the development install (the interpreter running the tests)."""
    out = tmp_path_factory.mktemp("reference")
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "build.py"), "--as-at", "2018-04-11",
                             "--content", str(ROOT / "content"), "--out", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return out


def test_installed_package_is_not_the_source_tree(installed: Path) -> None:
    where = subprocess.run([str(installed / "bin" / "python"), "-c",
                            "import delivery_report.templates as t, markdown_it; print(t.__file__)"],
                           capture_output=True, text=True, cwd=installed, check=True,
                           env=without_python_path()).stdout.strip()
    assert Path(where).is_relative_to(installed) and "site-packages" in where, where


@pytest.mark.parametrize("command", ["script", "entry point"])
def test_both_commands_build_from_the_installed_package(installed: Path, reference: Path, tmp_path: Path,
                                                        command: str) -> None:
    out = tmp_path / "out"
    args = ["--as-at", "2018-04-11", "--content", str(ROOT / "content"), "--out", str(out)]
    if command == "script":
        argv = [str(installed / "bin" / "python"), str(ROOT / "scripts" / "build.py"), *args]
    else:
        argv = [str(installed / "bin" / "delivery-report"), *args]
    result = subprocess.run(argv, capture_output=True, text=True, cwd=tmp_path, env=without_python_path())
    assert result.returncode == 0, result.stderr
    assert "9 business areas, 67 actions as at 2018-04-11" in result.stdout
    # The same commit gives the same bytes as the development install does.
    for name in ("report-2018-04-11.docx", "report-2018-04-11.html"):
        assert (out / name).read_bytes() == (reference / name).read_bytes(), name
