"""Issue 24 acceptance at the workflow level: the format round trip through the rules' steps, and a
bad observation file stopping Snakemake before any job.

The round trip: the default simulated observation (rule ``observe_simulated`` of the default
config's measurement), written in each supported format and read back by rule ``observe_file``'s
step, gives the same SVD (rule ``svd_observation``) and kinetic fit (rule
``fit_observation_kinetics``) as the simulated path, to 1e-12 relative.
"""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from conftest import ROOT, TEST_CONFIG, run_snakemake

from kineticflow.config import fill_defaults, load_schema
from kineticflow.core.io import read_dataset, write_dataset
from kineticflow.trxs import steps
from kineticflow.trxs.config import Params
from kineticflow.trxs.config_observed import Reader, kinetic_model, simulated_observation
from kineticflow.trxs.observation import write_observation

RTOL = 1e-12
FORMATS = {"text": "obs.txt", "hdf5": "obs.h5", "mat": "obs.mat", "netcdf": "obs.nc"}


def default_section():
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    fill_defaults(cfg, load_schema(ROOT / "workflow" / "schemas" / "config.schema.yaml"))
    return cfg["trxs"]


@pytest.fixture(scope="module")
def simulated_path(tmp_path_factory):
    """The simulated path of the default config, through the rules' steps and files."""
    folder = tmp_path_factory.mktemp("observed")
    sec = default_section()
    p, sim = Params.from_config(sec), simulated_observation(sec)
    inst = steps.simulate_trxs(p.model, p.grid, p.weighting)
    _, _, measured = steps.observe_trxs(inst, sim.fwhm, p.observation)
    cases = [(j, s) for j in p.observation.measured_jitters for s in p.observation.snrs]
    path = folder / sim.path().rsplit("/", 1)[1]
    write_dataset(measured[cases.index((sim.jitter, sim.snr))], path)
    obs_path = write_dataset(steps.observe_simulated(read_dataset(path), path), folder / "observation.nc")
    obs = read_dataset(obs_path)
    km = kinetic_model(sec, "simulated")
    svd, _ = steps.svd_observation(obs, p.svd_level)
    fit, table = steps.fit_observation_kinetics(obs, km, p.model, p.kinetic_fit, p.weighting)
    return {"folder": folder, "obs": obs, "svd": svd, "fit": fit, "table": table, "params": p, "km": km}


def assert_close(a, b, name):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    assert a.shape == b.shape, name
    scale = np.maximum(np.abs(a), np.abs(a).max() * 1e-3)  # relative, floored for near-zero entries
    assert np.all(np.abs(a - b) <= RTOL * scale), f"{name}: max rel diff {np.max(np.abs(a - b) / scale):.3g}"


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_round_trip_in_every_format_gives_the_same_svd_and_fit(simulated_path, fmt):
    ref, p = simulated_path, simulated_path["params"]
    path = write_observation(ref["obs"], ref["folder"] / FORMATS[fmt], fmt)
    obs = steps.observe_file(path, Reader(path=str(path), format=fmt))
    assert obs.attrs["reader"] == ("hdf5" if fmt == "mat" else fmt)
    for name in ("q", "tau", "delta_s", "sigma"):
        assert_close(obs[name], ref["obs"][name], name)
    svd, _ = steps.svd_observation(obs, p.svd_level)
    assert int(svd["n_significant"]) == int(ref["svd"]["n_significant"]) == 3
    for name in ("singular_value", "left_vector", "right_vector"):
        assert_close(svd[name], ref["svd"][name], f"svd {name}")
    fit, table = steps.fit_observation_kinetics(obs, ref["km"], p.model, p.kinetic_fit, p.weighting)
    for name in ("time_constant", "time_constant_stderr", "das", "das_stderr", "t0", "chi2_reduced", "fit"):
        assert_close(fit[name], ref["fit"][name], f"fit {name}")
    assert table.splitlines()[0] == "parameter,value,stderr,unit"


def test_the_simulated_fit_finds_the_two_time_scales_of_the_model(simulated_path):
    """Two exponentials + offset on the diatomic simulation (τ_r = 100 ps, τ_p = 1000 ps, SNR 20)."""
    fit = simulated_path["fit"]
    tau_1, tau_2 = fit["time_constant"].values
    assert 40.0 < tau_1 < 150.0 and 500.0 < tau_2 < 1200.0  # not pure exponentials: r(t) moves too
    assert float(fit["chi2_reduced"]) == pytest.approx(1.0, abs=0.05)


def test_bad_observation_file_stops_the_run_before_any_job(tmp_path):
    """NaN in ΔS: one line naming the file, the variable and the expectation; no job, nothing lost."""
    lines = (ROOT / "resources" / "trxs_observed_example.txt").read_text().splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("1.0"))
    cells = lines[row].split("\t")
    cells[5] = "nan"
    lines[row] = "\t".join(cells)
    bad = tmp_path / "bad.txt"
    bad.write_text("\n".join(lines) + "\n")
    overlay = tmp_path / "bad.yaml"
    overlay.write_text(
        yaml.safe_dump(
            {
                "trxs": {"observations": {"run7": {"path": str(bad), "kinetic_model": {"fwhm_ps": 100.0}}}},
                **{b: {"enabled": False} for b in ("plasma", "escatter", "halpha", "xfh")},
            }
        )
    )
    kept = tmp_path / "results" / "trxs" / "instantaneous.nc"
    kept.parent.mkdir(parents=True)
    kept.write_bytes(b"computed before")
    proc = run_snakemake(tmp_path, "--configfile", str(TEST_CONFIG), str(overlay), check=False, timeout=300)
    assert proc.returncode != 0
    errors = [line for line in proc.stderr.splitlines() if line.startswith("kineticflow:")]
    assert len(errors) == 1, proc.stderr
    assert errors[0].startswith("kineticflow: invalid config: config key 'trxs.observations.run7': ")
    assert (
        f"{bad}: delta_s: 1 NaN/Inf value(s) (first at q = {float(cells[0]):g} 1/angstrom, tau = 10 ps: nan)"
        in errors[0]
    )
    assert errors[0].endswith("expected finite values everywhere")
    assert "rule " not in proc.stdout  # no job was planned or run
    assert kept.read_bytes() == b"computed before"
    assert sorted(p.name for p in (tmp_path / "results").rglob("*") if p.is_file()) == ["instantaneous.nc"]
