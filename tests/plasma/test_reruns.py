"""Rerun traps (issue 14): scheduling keys are not MD params, and the Green-Kubo step is its own rule."""

from __future__ import annotations

import pytest
import yaml
from conftest import TEST_CONFIG, run_snakemake

pytestmark = [pytest.mark.workflow, pytest.mark.md]

TARGETS = ("results/plasma/fits.nc", "results/plasma/mixtures/fits.nc")


def _dry_run(workdir, tmp_path, overlay: dict) -> str:
    extra = tmp_path / "overlay.yaml"
    extra.write_text(yaml.safe_dump(overlay))
    proc = run_snakemake(workdir, "-n", *TARGETS, "--configfile", str(TEST_CONFIG), str(extra))
    return proc.stdout + proc.stderr


def test_new_rank_count_or_wall_time_reruns_nothing(workflow_run, tmp_path):
    overlay = {"plasma": {"md": {"threads": 1, "runtime_min": 5}, "mixtures": {"md": {"runtime_min": 7}}}}
    out = _dry_run(workflow_run, tmp_path, overlay)
    assert "Nothing to be done" in out, out[-3000:]


def test_tail_correction_reruns_green_kubo_not_md(workflow_run, tmp_path):
    out = _dry_run(workflow_run, tmp_path, {"plasma": {"green_kubo": {"tail_correction": False}}})
    assert "rule green_kubo:" in out and "rule mixture_green_kubo:" in out, out[-3000:]
    assert "rule simulate_md:" not in out and "rule simulate_mixture:" not in out
