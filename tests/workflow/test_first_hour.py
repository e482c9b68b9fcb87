"""Issue 27, run end to end: a run with --configfile, then its report, reruns and file modes.

One run per module of the test config with every branch switched off (only the run's config and
summary: a few seconds), from a working folder holding the user's ``my.yaml``, as the README's
commands do.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import BIN, ROOT, TEST_CONFIG, snakemake_env

from kineticflow.config import config_digest
from kineticflow.config.run import read_run_config

pytestmark = pytest.mark.workflow

OFF = {b: {"enabled": False} for b in ("trxs", "plasma", "escatter", "halpha", "xfh")}


def snakemake(workdir: Path, *args: str) -> subprocess.CompletedProcess:
    """`snakemake ARGS` in ``workdir`` with the project's Snakefile, as a user runs it there."""
    cmd = [str(BIN / "snakemake"), "-s", str(ROOT / "Snakefile"), *args]
    return subprocess.run(cmd, cwd=workdir, capture_output=True, text=True, env=snakemake_env(), timeout=900)


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Path:
    """`snakemake --cores 2 --rerun-incomplete --configfile test.yaml my.yaml`, finished."""
    workdir = tmp_path_factory.mktemp("first_hour")
    (workdir / "my.yaml").write_text(yaml.safe_dump(OFF))
    proc = snakemake(workdir, "--cores", "2", "--rerun-incomplete", "--configfile", str(TEST_CONFIG), "my.yaml")
    assert proc.returncode == 0, proc.stderr[-4000:]
    return workdir


def test_the_run_records_its_config(run):
    rec = read_run_config(run / "results" / "config.yaml")
    assert rec is not None and rec.configfiles == (str(TEST_CONFIG), "my.yaml")
    assert rec.sha256 == config_digest(rec.config)  # the config the jobs saw is the one parsed
    assert rec.config["trxs"]["enabled"] is False and rec.config["trxs"]["grid"]["q_step"] == 0.05  # test.yaml


def test_report_without_the_runs_configfile_says_so_in_one_line(run):
    """Item 1: not 82 warnings and 'marked for report but does not exist', but one line."""
    proc = snakemake(run, "--report", "results/report.html")
    assert proc.returncode != 0
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("kineticflow:")]
    assert len(lines) == 1, proc.stderr[-3000:]
    line = lines[0]
    assert "no --configfile" in line  # the config the report was planned for
    assert "--configfile" in line and "my.yaml" in line  # the run's, and what to pass
    assert "marked for report" not in proc.stderr and "Missing metadata" not in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert not (run / "results" / "report.html").exists()


@pytest.mark.parametrize(
    "configfiles", [[str(TEST_CONFIG), "my.yaml"], ["results/config.yaml"]], ids=["same", "recorded"]
)
def test_report_with_the_runs_config_is_built(run, configfiles):
    report = run / "results" / f"report-{len(configfiles)}.html"
    proc = snakemake(run, "--report", str(report.relative_to(run)), "--configfile", *configfiles)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert report.stat().st_size > 10_000


def test_a_changed_value_reruns_the_summary_with_short_reasons(run):
    """Item 6: the summary's params were the whole config: a 12.8 kB 'Params have changed' line."""
    (run / "changed.yaml").write_text("trxs:\n  model:\n    tau_r_ps: 150.0\n")
    proc = snakemake(run, "-n", "--cores", "1", "--configfile", str(TEST_CONFIG), "my.yaml", "changed.yaml")
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = proc.stdout + proc.stderr
    reasons = [ln for ln in out.splitlines() if "reason:" in ln]
    assert any("Params have changed" in ln for ln in reasons), out[-3000:]
    assert max(map(len, reasons)) < 1000, max(reasons, key=len)[:300]
    assert re.search(r"rule summarise_run:", out)


def test_numbers_in_exponent_form_are_numbers(run):
    """Item 6: ``tau_r_ps: 1e2`` (text to YAML 1.1) was rejected as a string; it is 100."""
    (run / "exponent.yaml").write_text("trxs:\n  model:\n    tau_r_ps: 1e2\n    tau_p_ps: 2e3\n")
    proc = snakemake(run, "-n", "--cores", "1", "--configfile", str(TEST_CONFIG), "my.yaml", "exponent.yaml")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "invalid config" not in proc.stderr


def test_the_summary_page_still_shows_the_config(run):
    page = (run / "results" / "summary.html").read_text()
    assert "Config used (defaults + " in page and "my.yaml" in page and "tau_r_ps" in page


def test_every_result_file_gets_the_mode_of_a_plain_open(run):
    """Item 4: no 0600 file among the results (the test process's umask applies to the run)."""
    mask = os.umask(0o022)
    os.umask(mask)
    modes = {
        str(p.relative_to(run)): oct(stat.S_IMODE(p.stat().st_mode))
        for p in (run / "results").rglob("*")
        if p.is_file()
    }
    assert len(modes) >= 3
    assert {k: v for k, v in modes.items() if v != oct(0o666 & ~mask)} == {}
