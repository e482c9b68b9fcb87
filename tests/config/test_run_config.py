"""Issue 27 item 1: the run's config is recorded, and a report planned for another config says so.

Unit tests of ``kineticflow.config.run``; tests/workflow/test_first_hour.py runs Snakemake.
"""

from __future__ import annotations

import os

import pytest
import yaml
from conftest import ROOT

from kineticflow.config import config_digest, fill_defaults, load_schema
from kineticflow.config.run import (
    RUN_CONFIG,
    read_run_config,
    report_preflight,
    report_requested,
    run_config_text,
)

SCHEMA = ROOT / "workflow" / "schemas" / "config.schema.yaml"


@pytest.fixture
def default_config() -> dict:
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    return fill_defaults(cfg, load_schema(SCHEMA))


def test_the_record_is_a_config_file_with_the_same_digest(tmp_path, default_config):
    """Read back, the body is the config itself (inf, floats, None exact): its digest is the recorded one."""
    path = tmp_path / "config.yaml"
    digest = config_digest(default_config)
    path.write_text(run_config_text(default_config, digest, ["my.yaml", "other.yaml"]))
    run = read_run_config(path)
    assert run is not None
    assert run.sha256 == digest == config_digest(run.config)
    assert run.configfiles == ("my.yaml", "other.yaml")
    assert run.config == default_config
    assert yaml.safe_load(path.read_text()) == default_config  # usable as --configfile


def test_a_run_of_the_defaults_records_no_configfile(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text(run_config_text({"a": 1}, config_digest({"a": 1}), []))
    run = read_run_config(path)
    assert run is not None and run.configfiles == ()
    assert read_run_config(tmp_path / "missing.yaml") is None
    (tmp_path / "plain.yaml").write_text("a: 1\n")
    assert read_run_config(tmp_path / "plain.yaml") is None


@pytest.mark.parametrize(
    "argv,expected",
    [
        (["snakemake", "--report", "results/report.html", "--configfile", "my.yaml"], (True, "results/report.html")),
        (["snakemake", "--report=out.zip"], (True, "out.zip")),
        (["snakemake", "--cores", "2", "--report-after-run"], (False, "")),
        (["snakemake", "--cores", "2", "--configfile", "my.yaml"], (False, "")),
    ],
)
def test_report_requested(argv, expected):
    assert report_requested(argv) == expected


@pytest.fixture
def results(tmp_path):
    """A working folder whose results/ holds a finished run with --configfile my.yaml."""
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        (tmp_path / "results").mkdir()
        (tmp_path / "results" / "a.png").write_text("")
        (tmp_path / RUN_CONFIG).write_text(run_config_text({"x": 2}, config_digest({"x": 2}), ["my.yaml"]))
        yield tmp_path
    finally:
        os.chdir(cwd)


def test_nothing_to_say_when_every_file_exists(results):
    assert report_preflight(["results/a.png"], config_digest({"x": 1}), []) is None


def test_report_without_the_runs_configfile_names_both_configs_and_the_command(results):
    line = report_preflight(["results/a.png", "results/b.png"], config_digest({"x": 1}), [])
    assert line is not None and "\n" not in line and line.startswith("kineticflow: ")
    assert "1 of its 2 files are missing (first: results/b.png)" in line
    assert "the defaults (config/config.yaml, no --configfile)" in line  # what the report was planned for
    assert "holds a run with --configfile my.yaml" in line  # what results/ holds
    assert "snakemake --report results/report.html --configfile my.yaml" in line
    assert f"--configfile {RUN_CONFIG}" in line


def test_same_files_other_values_point_to_the_recorded_config(results):
    line = report_preflight(["results/b.png"], config_digest({"x": 3}), ["my.yaml"], report_file="r.html")
    assert (
        line is not None and "edited since" in line and f"snakemake --report r.html --configfile {RUN_CONFIG}" in line
    )


def test_same_config_unfinished_run(results):
    line = report_preflight(["results/b.png"], config_digest({"x": 2}), ["my.yaml"])
    assert line is not None and "unfinished" in line


def test_no_record(results):
    (results / RUN_CONFIG).unlink()
    line = report_preflight(["results/b.png"], config_digest({"x": 2}), [])
    assert line is not None and "holds no run of it" in line and "--configfile my.yaml" in line
