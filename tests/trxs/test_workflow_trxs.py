"""The TRXS branch run end to end by Snakemake on config/test.yaml: outputs checked for physics."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import ROOT, TEST_CONFIG

from kineticflow.core.io import read_dataset
from kineticflow.trxs.model import DiatomicModel, delta_s_inst_q_closed_form
from kineticflow.trxs.pulses import measure_fwhm

pytestmark = pytest.mark.workflow


def merged_trxs_config():
    base = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())["trxs"]
    test = yaml.safe_load(TEST_CONFIG.read_text()).get("trxs", {})
    for key, value in test.items():
        if isinstance(value, dict):
            base.setdefault(key, {}).update(value)
        else:
            base[key] = value
    return base


def test_every_variable_has_units_and_long_name(workflow_run):
    for path in sorted((workflow_run / "results" / "trxs").rglob("*.nc")):
        ds = read_dataset(path)
        assert ds.attrs["kineticflow_version"]
        for name, var in list(ds.data_vars.items()) + list(ds.coords.items()):
            assert "units" in var.attrs and "long_name" in var.attrs, f"{path.name}:{name}"


def test_instantaneous_signal_matches_closed_form(workflow_run):
    ds = read_dataset(workflow_run / "results/trxs/instantaneous.nc", required=["delta_s_r", "delta_s_q"])
    cfg = merged_trxs_config()
    closed = delta_s_inst_q_closed_form(ds["q"].values, ds["t"].values, DiatomicModel.from_config(cfg["model"]))
    assert np.max(np.abs(ds["delta_s_q"].values - closed)) < 1e-6 * np.abs(closed).max()
    t0 = ds["delta_s_r"].sel(t=0.0)
    assert float(t0.idxmax()) == pytest.approx(4.5, abs=0.05)
    assert float(t0.idxmin()) == pytest.approx(2.5, abs=0.05)
    assert float(np.abs(ds["delta_s_r"].sel(t=slice(None, -1e-9))).max()) == 0.0


def test_convolved_signals_show_motional_narrowing(workflow_run):
    inst = read_dataset(workflow_run / "results/trxs/instantaneous.nc")
    short = read_dataset(workflow_run / "results/trxs/convolved/fwhm-100ps.nc")
    long = read_dataset(workflow_run / "results/trxs/convolved/fwhm-1000ps.nc")
    for ds, fwhm in ((short, 100.0), (long, 1000.0)):
        assert np.trapezoid(ds["pulse"], ds["t_rel"]) == pytest.approx(1.0, rel=1e-6)
        assert measure_fwhm(ds["t_rel"].values, ds["pulse"].values) == pytest.approx(fwhm, rel=0.01)
        assert ds["tau"].values[0] == pytest.approx(-50.0)
    # the 100 ps film keeps the stretched molecule (peak > 4 Å near τ = 0), 1000 ps does not
    peak_short = float(short["delta_s_r"].sel(tau=0.0, method="nearest").sel(r=slice(2.8, None)).idxmax())
    peak_long = float(long["delta_s_r"].sel(tau=0.0, method="nearest").sel(r=slice(2.8, None)).idxmax())
    assert peak_short > 4.0 and peak_long < 3.3
    # long after the pulse, the signal follows the slow population decay: ≈ ΔS_inst at t = τ
    late_inst = inst["delta_s_r"].sel(t=4000.0, method="nearest")
    late_short = short["delta_s_r"].sel(tau=4000.0, method="nearest")
    assert np.max(np.abs(late_short - late_inst)) < 0.01 * float(np.abs(late_inst).max())


def test_jitter_outputs(workflow_run):
    cfg = merged_trxs_config()
    for fwhm in cfg["pulse"]["fwhm_ps"]:
        conv = read_dataset(workflow_run / f"results/trxs/convolved/fwhm-{fwhm:g}ps.nc")
        for frac in cfg["jitter"]["fractions"]:
            ds = read_dataset(workflow_run / f"results/trxs/jitter/fwhm-{fwhm:g}ps_jitter-{frac:g}.nc")
            assert ds.attrs["fwhm_eff_ps"] == pytest.approx(fwhm * np.sqrt(1 + frac**2), rel=1e-9)
            measured = measure_fwhm(ds["t_rel"].values, ds["pulse_analytic"].values)
            assert measured == pytest.approx(ds.attrs["fwhm_eff_ps"], rel=2e-3)
            # Monte Carlo agrees with Eq. 8 to a few N^-1/2
            n = ds.attrs["n_shots"]
            assert ds.attrs["fwhm_eff_monte_carlo_ps"] == pytest.approx(ds.attrs["fwhm_eff_ps"], rel=5 / np.sqrt(n))
            assert np.trapezoid(ds["pulse_monte_carlo"], ds["t_rel"]) == pytest.approx(1.0, rel=1e-3)
            if frac == 0:
                np.testing.assert_allclose(ds["delta_s_q"], conv["delta_s_q"], atol=1e-12)
    table = pd.read_csv(workflow_run / "results/trxs/jitter_broadening.csv")
    row = table[(table.fwhm_ps == 100) & (table.jitter_fraction == 0.2)].iloc[0]
    assert row.fwhm_eff_analytic_ps == pytest.approx(101.98, abs=0.005)
    row = table[(table.fwhm_ps == 100) & (table.jitter_fraction == 0.5)].iloc[0]
    assert row.fwhm_eff_analytic_ps == pytest.approx(111.80, abs=0.005)


def test_inversion_recovers_the_r_space_signal(workflow_run):
    ds = read_dataset(workflow_run / "results/trxs/inverted/fwhm-100ps_jitter-0.nc")
    ref = ds["delta_s_r_reference"].sel(r=slice(1.5, 6.0))
    scale = float(np.abs(ref).max())
    plain = ds["delta_s_r_unmodified"].sel(r=slice(1.5, 6.0))
    damped = ds["delta_s_r"].sel(r=slice(1.5, 6.0))
    # truncation to 0.5–7 Å⁻¹ leaves ripples of ~10 %, but the peaks stay where they are
    assert float(np.abs(plain - ref).max()) < 0.2 * scale
    strong = np.abs(ref).max("r") > 0.2 * scale
    # peaks stay put: to one grid step without M(q), to 0.2 Å with damping (which convolves
    # r·ΔS[r], not ΔS[r], and so pulls the peaks slightly)
    for da, tol in ((plain, 0.051), (damped, 0.2)):
        assert np.allclose(da.idxmin("r")[strong], ref.idxmin("r")[strong], atol=tol)
        assert np.allclose(da.idxmax("r")[strong], ref.idxmax("r")[strong], atol=tol)
    # damping lowers and broadens the peaks
    assert float(damped.max()) < float(ref.max())


def check_observed_outputs(root):
    """The observed path of config/test.yaml: the shipped example (text reader) and the simulated observation."""
    from kineticflow.core.io import file_sha256

    base = root / "results/trxs/observed"
    example = pd.read_csv(base / "example/kinetics.csv")
    assert list(example.columns) == ["parameter", "value", "stderr", "unit"]
    assert list(example.parameter) == ["tau_1", "tau_2", "t0", "chi2_reduced"]
    # the example was simulated with T = 50 and 2000 ps at SNR 20
    for (value, err), truth in zip(example[["value", "stderr"]].values[:2], (50.0, 2000.0), strict=True):
        assert abs(value - truth) < 3 * err
    svd = pd.read_csv(base / "example/svd.csv")
    assert list(svd.columns) == ["index", "singular_value", "noise_edge", "significant"]
    assert svd.significant.sum() == 3
    prov = pd.read_csv(base / "example/provenance.csv").set_index("item").value
    assert prov["reader"] == "text"
    assert prov["source_file_sha256"] == file_sha256(ROOT / "resources/trxs_observed_example.txt")
    assert read_dataset(base / "example/observation.nc").attrs["source_file_sha256"] == prov["source_file_sha256"]
    # the simulated observation, fitted with the diatomic model (test.yaml): the true tau_r, tau_p
    sim = pd.read_csv(base / "simulated/kinetics.csv").set_index("parameter")
    for name, truth in (("tau_r", 100.0), ("tau_p", 1000.0)):
        assert abs(sim.value[name] - truth) < 4 * sim.stderr[name], name
    obs = read_dataset(base / "simulated/observation.nc")
    measured = read_dataset(root / "results/trxs/measured/fwhm-100ps_jitter-0.2_snr-20.nc")
    assert np.array_equal(obs["delta_s"].values, measured["delta_s_q"].values.T)
    assert read_dataset(base / "simulated/inverted.nc").attrs["status"] == "done"
    for name in ("example", "simulated"):
        assert len(list((base / name / "figures").glob("*.png"))) == 5


def test_observed_outputs(workflow_run):
    check_observed_outputs(workflow_run)
