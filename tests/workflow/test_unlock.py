"""`make run` after an interruption: a stale Snakemake lock is removed, a live one is reported."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from conftest import BIN, ROOT

SCRIPT = ROOT / "workflow" / "unlock_stale.py"


def _locked_dir(tmp_path: Path) -> Path:
    (tmp_path / "Snakefile").write_text("rule all:\n    output: 'x'\n    shell: 'touch {output}'\n")
    locks = tmp_path / ".snakemake" / "locks"
    locks.mkdir(parents=True)
    (locks / "0.output.lock").write_text(str(tmp_path / "x") + "\n")
    return tmp_path


def _run(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--snakemake", str(BIN / "snakemake")],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_stale_lock_is_removed(tmp_path):
    d = _locked_dir(tmp_path)
    proc = _run(d)
    assert proc.returncode == 0, proc.stderr
    assert "resuming" in proc.stderr
    locks = d / ".snakemake" / "locks"
    assert not (locks.exists() and any(locks.iterdir()))


def test_live_snakemake_keeps_its_lock_and_one_line_says_so(tmp_path):
    d = _locked_dir(tmp_path)
    # a process named snakemake whose working directory is d
    live = subprocess.Popen(["bash", "-c", "exec -a snakemake sleep 60"], cwd=d)
    try:
        time.sleep(0.3)
        proc = _run(d)
    finally:
        live.kill()
        live.wait()
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and f"pid {live.pid}" in lines[0] and "make run" in lines[0]
    assert any((d / ".snakemake" / "locks").iterdir())
    assert os.path.exists(d / "Snakefile")
