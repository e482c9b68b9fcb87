"""Issue 7: an MD run with too large a time step is detected by its energy drift and fails
with a message that suggests a smaller step; the failed run is never written as a result."""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from conftest import TEST_CONFIG, TINY_MD, run_snakemake

from kineticflow.plasma.md import MDQualityError, energy_drift
from kineticflow.plasma.ocp.md import simulate_md

# tiny and short: N = 100, 20/ω_p of equilibration and of production (about a second each)
MD = dict(TINY_MD, equilibrate_wp=20.0, production_min_wp=20.0, lag_min_wp=5.0)


def test_energy_drift_measures_the_trend_not_the_fluctuations():
    rng = np.random.default_rng(0)
    t = np.linspace(0.0, 100.0, 501)
    noise = 0.05 * rng.standard_normal(t.size)
    # a drift of 0.3 k_BT per particle over the run, on top of fluctuations of the same size
    assert energy_drift(t, -1.0 + 0.003 * t + noise, temperature=1.0) == pytest.approx(0.3, abs=0.03)
    assert energy_drift(t, -1.0 + noise, temperature=1.0) < 0.03
    assert energy_drift(t, -1.0 - 0.003 * t, temperature=0.5) == pytest.approx(0.6, rel=1e-6)  # either sign


@pytest.mark.md
def test_good_step_passes_the_drift_check(tmp_path):
    ds = simulate_md(0.0, 2.0, 3, MD, threads=1, workdir=tmp_path)
    assert 0 <= float(ds["energy_drift"]) < MD["max_energy_drift"]
    assert ds.attrs["seed"] == 3


@pytest.mark.md
def test_too_large_time_step_fails_on_energy_drift(tmp_path):
    with pytest.raises(MDQualityError) as err:
        simulate_md(0.0, 2.0, 3, dict(MD, dt_wp=0.4), threads=1, workdir=tmp_path)
    message = str(err.value)
    assert "energy drift" in message and "plasma.md.max_energy_drift" in message
    assert "reduce plasma.md.dt_wp" in message
    assert "\n" not in message
    assert not any(tmp_path.rglob("*.nc"))


@pytest.mark.md
def test_blow_up_time_step_also_suggests_a_smaller_step(tmp_path):
    with pytest.raises(MDQualityError, match="reduce plasma.md.dt_wp"):
        simulate_md(0.0, 2.0, 3, dict(MD, dt_wp=0.8), threads=1, workdir=tmp_path)


@pytest.mark.md
@pytest.mark.workflow
def test_md_job_that_drifts_stops_the_workflow_with_one_line(tmp_path):
    """Through Snakemake: one line naming the problem and the fix, no traceback, no result file."""
    test_plasma = yaml.safe_load(TEST_CONFIG.read_text()).get("plasma", {})
    if "md" not in test_plasma:
        pytest.skip("config/test.yaml has no plasma.md section yet")
    strict = tmp_path / "strict.yaml"
    # the schema caps dt_wp, so a drift limit far below what any step achieves stands in for a bad step
    strict.write_text(
        yaml.safe_dump(
            {"plasma": {"md": {"max_energy_drift": 1e-12, "production_min_wp": 10.0, "equilibrate_wp": 10.0}}}
        )
    )
    target = "results/plasma/md/kappa-0_gamma-2_seed-1.nc"
    proc = run_snakemake(tmp_path, target, "--configfile", str(TEST_CONFIG), str(strict), check=False)
    assert proc.returncode != 0
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("kineticflow: ")]
    assert len(lines) == 1, proc.stderr[-3000:]
    assert lines[0].startswith("kineticflow: MDQualityError: ") and "reduce plasma.md.dt_wp" in lines[0]
    assert "Traceback" not in proc.stdout + proc.stderr
    assert not (tmp_path / target).exists()


@pytest.mark.md
def test_same_seed_gives_identical_md_data(tmp_path):
    a = simulate_md(0.0, 2.0, 3, MD, threads=1, workdir=tmp_path / "a")
    b = simulate_md(0.0, 2.0, 3, MD, threads=1, workdir=tmp_path / "b")
    for name in a.data_vars:
        np.testing.assert_array_equal(a[name].values, b[name].values, err_msg=name)
    assert a.attrs["seed"] == b.attrs["seed"] == 3
