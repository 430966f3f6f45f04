"""The project installs as a wheel and runs from there, with its resources as package data.

A wheel is built from the source tree, installed into a clean virtual environment with its
declared dependencies (pinned by requirements.lock), and `seatdesk kb search` runs from a folder
outside the repository. The demo knowledge base and the search lexicon must come from the
installed package: an app that finds its resources only beside a source checkout would search
an empty knowledge base once installed or frozen.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=600
    )
    assert done.returncode == 0, f"{cmd}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clean venv holding the wheel and its dependencies; returns its python."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    # The tracked tree only, as a fresh clone would have it (no .venv, no caches).
    archive = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO_ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, archive):
        src = REPO_ROOT / os.fsdecode(name)
        if src.is_file():
            dst = source / os.fsdecode(name)
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.write_bytes(src.read_bytes())
    dist = base / "dist"
    run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", ".", "-w", str(dist)],
        cwd=source,
    )
    wheels = list(dist.glob("seatdesk-*.whl"))
    assert len(wheels) == 1, wheels
    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            "-c",
            str(REPO_ROOT / "requirements.lock"),
            str(wheels[0]),
        ],
        cwd=base,
    )
    return python


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "SEATDESK_"))}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def test_the_installed_packages_come_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    out = run(
        [
            str(installed),
            "-c",
            "import json, kb, common, main; "
            "from common.resource_files import resources_dir; "
            "print(json.dumps([kb.__file__, common.__file__, str(resources_dir())]))",
        ],
        cwd=tmp_path,
        env=clean_env(),
    )
    for path in json.loads(out.strip().splitlines()[-1]):
        assert str(REPO_ROOT) not in path
        assert "site-packages" in path or "Lib" in path


def test_kb_search_runs_from_the_installed_wheel(installed: Path, tmp_path: Path) -> None:
    scripts = installed.parent
    seatdesk = scripts / ("seatdesk.exe" if os.name == "nt" else "seatdesk")
    data = tmp_path / "data"
    # A fresh data folder of the installed app: load the demo (a package resource), then search
    # it with the lexicon (also package data): pinyin initials need the lexicon's phrase fixes.
    run([str(seatdesk), "--data-dir", str(data), "kb", "load-demo"], cwd=tmp_path, env=clean_env())
    titles = {}
    for query in ("宽带 断网", "kdbx"):
        out = run(
            [str(seatdesk), "--data-dir", str(data), "kb", "search", query, "--json"],
            cwd=tmp_path,
            env=clean_env(),
        )
        titles[query] = [hit["title"] for hit in json.loads(out)["results"]]
    assert "宽带断网故障排查" in titles["宽带 断网"], titles
    # Pinyin initials reach the article through the lexicon's phrases (package data too).
    assert "宽带断网故障排查" in titles["kdbx"], titles
