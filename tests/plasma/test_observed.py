"""plasma.observations in the workflow: config-time checks, targets, report, params and the rule steps."""

from __future__ import annotations

import copy
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
import yaml
from conftest import ROOT

from kineticflow.config import ConfigError, fill_defaults, load_schema
from kineticflow.plasma import steps
from kineticflow.plasma import targets as t
from kineticflow.plasma.config import GreenKuboSettings, check
from kineticflow.plasma.observation import write_lammps_dump
from kineticflow.plasma.observation_diffusion import d_star_from_velocities
from kineticflow.plasma.observed import read_velocities

SCHEMA = ROOT / "workflow" / "schemas" / "config.schema.yaml"
TABLE = "resources/plasma_d_star_example.csv"


def config(runs: bool = True, **observations: Any) -> dict[str, Any]:
    cfg = {"plasma": copy.deepcopy(yaml.safe_load(open(ROOT / "config" / "config.yaml"))["plasma"])}
    cfg["plasma"]["observations"] = observations
    if not runs:
        cfg["plasma"]["runs"] = []
    return fill_defaults(cfg, load_schema(SCHEMA))


def _dump(tmp_path: Path, n_frames: int = 400, n: int = 32) -> Path:
    """Langevin (Ornstein–Uhlenbeck) velocities: an exponential VACF, D* known in closed form."""
    rng = np.random.default_rng(5)
    decay = np.exp(-0.05)
    v = np.empty((n_frames, n, 3))
    v[0] = rng.standard_normal((n, 3))
    for i in range(1, n_frames):
        v[i] = decay * v[i - 1] + np.sqrt(1 - decay**2) * rng.standard_normal((n, 3))
    return write_lammps_dump(tmp_path / "vel.dump", v, np.arange(n_frames) * 10)


def test_no_observations_leave_the_default_targets() -> None:
    assert t.observed_targets(config()) == [] and t.targets(config()) == t.targets(config(**{}))
    assert not any("observed" in f for f in t.targets(config()))


def test_table_and_dump_targets_report_and_params() -> None:
    cfg = config(runs=False, tab={"path": TABLE, "format": "table"},
                 run={"path": "x.dump", "format": "dump", "kappa": 1, "gamma": 10, "timestep": 0.01})  # fmt: skip
    out = t.targets(cfg)
    assert "results/plasma/diffusion.nc" not in out
    for f in ("fits.csv", "d_star.csv", "provenance.csv", "diffusion.nc", "figures/d_star_all_kappa.png"):
        assert f"results/plasma/observed/tab/{f}" in out
    assert "results/plasma/observed/run/diffusion.nc" in out and "results/plasma/observed/run/fits.csv" not in out
    assert t.observation_constraint(cfg, ("table",)) == "tab" and t.observation_constraint(cfg, ("dump",)) == "run"
    tables = t.report(cfg).tables
    assert tables["observed_tab_model_parameters"] == "results/plasma/observed/tab/fits.csv"
    assert "observed_run_provenance" in tables and "model_parameters" not in tables
    wc = SimpleNamespace(observation="run")
    assert t.observation_params(cfg, "reader")(wc) == {"timestep": 0.01, "omega_p": 3**0.5, "length_unit": 1.0}
    assert t.observation_params(cfg, "correlation")(wc) == {"kappa": 1, "gamma": 10, "n_blocks": 4, "seed": 1}


def test_example_table_passes_the_check_and_bad_files_stop_it(tmp_path: Path) -> None:
    cfg = config(tab={"path": TABLE, "format": "table"})
    check(cfg["plasma"], cfg, workdir=ROOT)
    bad = tmp_path / "bad.csv"
    bad.write_text("kappa,gamma,d_star,d_star_stderr\n0,1,-0.5,0.01\n")
    for entry, expected in (
        ({"path": str(bad), "format": "table"}, f"{bad}: d_star: -0.5"),
        ({"path": "nope.csv", "format": "table"}, "nope.csv: file does not exist"),
        ({"path": TABLE, "format": "dump"}, "'plasma.observations.bad.kappa' is missing"),
    ):
        cfg = config(bad=entry)
        with pytest.raises(ConfigError) as err:
            check(cfg["plasma"], cfg, workdir=ROOT)
        msg = str(err.value)
        assert "\n" not in msg and "plasma.observations.bad" in msg and expected in msg, msg


def test_dump_steps_give_the_libraries_d_star(tmp_path: Path) -> None:
    """correlate_observed_velocities → observed_green_kubo equals d_star_from_velocities (same code)."""
    path = _dump(tmp_path)
    cfg = config(mine={"path": str(path), "format": "dump", "kappa": 0, "gamma": 10, "timestep": 0.01,
                       "lag_window_wp": 14.0})  # fmt: skip
    check(cfg["plasma"], cfg, workdir=ROOT)
    wc = SimpleNamespace(observation="mine")
    reader, corr = (t.observation_params(cfg, k)(wc) for k in ("reader", "correlation"))
    run, prov = steps.correlate_observed_velocities(str(path), "dump", reader, corr)
    assert prov["reader"].item() == "lammps_dump" and len(prov["source_file_sha256"].item()) == 64
    ds = steps.observed_green_kubo(run, GreenKuboSettings())
    ref = d_star_from_velocities(read_velocities(path, "dump", reader), **corr)
    for name in ("d_star", "d_star_stderr"):
        np.testing.assert_allclose(ds[name].values, ref[name].values, rtol=1e-12)
    assert ds.attrs["source_file"] == str(path)
    # OU velocities of unit variance in the dump's units, reduced by omega_p = sqrt(3): VACF e^{-t/tau},
    # tau = 20 frames = 20 * 10 steps * 0.01 * sqrt(3) / omega_p, so D* = tau / 3
    tau = 20 * 10 * 0.01 * 3**0.5
    assert float(ds["d_star"].squeeze()) == pytest.approx(tau / 3, rel=0.25)
