"""Flare -> slit scan -> diagnostics -> inference on a small analytic grid (no Lightweaver).

The grid has the shapes the NLTE grid has (absorption with a reversed core at low P0, emission at high
P0, Lorentzian wings growing with F20) so that the instrument, bisector and timing code is tested
without the solves; the NLTE numbers are in test_nlte.py and the workflow test.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
import xarray as xr
import yaml
from conftest import ROOT

from kineticflow.core.attrs import check_registered, dim_attrs
from kineticflow.halpha import lines, steps
from kineticflow.halpha.config import Params
from kineticflow.halpha.observation_contract import ObservationError, check_contract


def analytic_grid() -> xr.Dataset:
    dl = np.arange(-140, 141) * 0.05
    quiet = 1.0 - 0.83 * np.exp(-((dl / 0.6) ** 2)) - 0.1 / (1 + (dl / 2.0) ** 2)
    p0 = np.array([3.0, 30.0, 300.0, 3000.0])
    f20 = np.array([1e8, 1e10, 1e11])
    inten = np.empty((p0.size, f20.size, dl.size))
    for i, p in enumerate(p0):
        for j, f in enumerate(f20):
            core = 0.4 + 0.9 * np.log10(p)
            reversal = max(0.0, 0.6 - 0.25 * np.log10(p))
            wing = 0.1 * (f / 1e9) ** 0.5
            inten[i, j] = (
                quiet
                + core * np.exp(-((dl / 0.7) ** 2)) * (1 - reversal * np.exp(-((dl / 0.25) ** 2)))
                + wing / (1 + (dl / 1.5) ** 2)
            )
    return xr.Dataset(
        {"intensity": (("p0", "f20", "wavelength"), inten), "quiet_intensity": ("wavelength", quiet)},
        coords={
            "p0": p0,
            "f20": f20,
            "wavelength": ("wavelength", lines.HALPHA_AIR_A + dl, dim_attrs("wavelength")),
            "delta_wavelength": ("wavelength", dl, {"units": "angstrom", "long_name": "offset from Halpha"}),
        },
    )


@pytest.fixture(scope="module")
def run():
    section = copy.deepcopy(yaml.safe_load((ROOT / "config" / "config.yaml").read_text())["halpha"])
    p = Params.from_config(section)
    grid = analytic_grid()
    truth = steps.simulate_flare(grid, flare=p.flare, scan=p.scan)
    obs = steps.observe_slit_scan(truth, instrument=p.instrument, scan=p.scan, seed=p.seed)
    diag = steps.measure_lines(obs, truth, measure=p.measure, tracked=p.flare.tracked, seed=p.seed)
    table, fits, _ = steps.infer_parameters(diag, truth, grid, measure=p.measure, flare=p.flare)
    return section, grid, truth, obs, diag, table, fits


def test_slit_scan_geometry_and_times(run):
    section, _, truth, obs, *_ = run
    assert obs.sizes == {"scan": 12, "y": 50, "x": 50, "wavelength": 100}
    assert obs["delta_wavelength"].values[0] == pytest.approx(-4.8 + 0.048)
    assert np.diff(obs["delta_wavelength"].values) == pytest.approx(np.full(99, 0.096))
    t = obs["t_s"].values
    assert t[0, -1] - t[0, 0] == pytest.approx(49 / 4.0)  # 50 positions at 4 per second: 12.25 s (+ one step = 12.5 s)
    assert t[1, 0] - t[0, 0] == pytest.approx(15.0)
    assert obs.attrs["width_convention"] == "FWHM"


def test_photon_noise_is_poisson_at_the_continuum(run):
    section, _, truth, obs, *_ = run
    far = obs["counts"].values[:, :5, :5, :5]  # quiet corner, far blue wing
    expected = np.mean(far)
    assert np.var(far) == pytest.approx(expected, rel=0.1)


def test_observation_is_reproducible_from_the_seed(run):
    section, _, truth, obs, *_ = run
    p = Params.from_config(section)
    again = steps.observe_slit_scan(truth, instrument=p.instrument, scan=p.scan, seed=p.seed)
    assert np.array_equal(again["counts"].values, obs["counts"].values)


def test_bisector_velocities_recovered_at_default_noise(run):
    *_, table, fits = run
    band = table[(table.v_true_kms >= 40) & (table.v_true_kms <= 60)]
    assert len(band) >= 5 and band.v_bisector_kms.notna().all()
    # photon noise alone (noisy vs noise-free observation of the same pixels): within 2 km/s
    assert np.all(np.abs(band.v_bisector_kms - band.v_noise_free_kms) < 2.0)
    assert float(fits["velocity_noise_worst"]) < 2.0
    # the difference-spectrum method itself biases towards zero (pre-impulsive absorption at rest)
    bias = band.v_bisector_kms - band.v_true_kms
    assert -10.0 < float(bias.median()) <= 0.5
    # the forward-model calibration (kineticflow.halpha.calibrate) returns the injected velocity
    assert band.v_recovered_kms.notna().all()
    assert np.all(np.abs(band.v_recovered_kms - band.v_true_kms) < 2.0)


def test_decay_times_recovered(run):
    *_, fits = run
    ok = np.isfinite(fits["tau_fit"].values)
    assert ok.sum() >= 4
    assert np.all(np.abs(fits["tau_fit"].values[ok] - fits["tau_true"].values[ok]) < 0.35 * fits["tau_true"].values[ok])


def test_pressure_histories_follow_the_papers_north_and_strand_pixels(run):
    # Halpha paper Sect. III: north P0 rises through the impulsive phase; strand P0 is already high at
    # the HXR peak and stays there (p0_fill_fraction 1 vs 0.1 in config.yaml)
    section, _, truth, *_ = run
    kernels, t_peak = section["flare"]["kernels"], section["flare"]["hxr"]["times_s"][0]
    north, strand = (truth["p0"].values[:, int(k["y"]), int(k["x"])] for k in (kernels["north"], kernels["strand"]))
    t_north = truth["t_s"].values[:, int(kernels["north"]["x"])]
    t_strand = truth["t_s"].values[:, int(kernels["strand"]["x"])]
    after = t_strand > t_peak + 5.0
    assert np.all(strand[after] == pytest.approx(kernels["strand"]["p0_peak"]))
    assert np.all(np.diff(north) >= 0) and north[-1] > 2.0 * north[t_north > t_peak + 5.0][0]


def test_wing_width_follows_hxr_and_line_centre_less(run):
    *_, fits = run
    r = fits["r_best"].to_pandas()
    lag = fits["best_lag"].to_pandas()
    assert np.all(r["wing_extent_a"] > 0.8)
    assert np.all(np.abs(lag["wing_extent_a"]) <= 15.0)
    assert np.all(r["line_centre"] < r["wing_extent_a"])


def test_recovered_csv_columns(run):
    *_, table, _ = run
    for col in (
        "pixel",
        "scan",
        "t_s",
        "v_true_kms",
        "v_bisector_kms",
        "v_recovered_kms",
        "p0_true",
        "p0_recovered",
        "f20_true",
        "f20_recovered",
    ):
        assert col in table.columns


def test_deconvolution_error_grows_with_noise(run):
    *_, diag, _, _ = run
    err = diag["deconvolution_error"].values
    assert err[0] < 1e-3
    assert np.all(np.diff(err) > 0)
    assert err[2] < 0.05  # 1 % noise


def test_every_written_variable_is_registered(run):
    _, _, truth, obs, diag, _, fits = run
    for name, ds in (("truth", truth), ("observed", obs), ("diagnostics", diag), ("fits", fits)):
        check_registered(ds, name)


def test_the_observation_is_the_boundary_of_the_analysis(run):
    # measure_lines reads the observation's contract; the analysis carries its instrument on
    # (the contract of kineticflow.halpha.observation, written by the simulation as by the readers)
    section, _, truth, obs, diag, *_ = run
    check_contract(obs)
    assert obs.attrs["reader"] == "simulated" and obs.attrs["quiet_reference"] == "level"
    assert diag.attrs["slit_fwhm_a"] == obs.attrs["slit_fwhm_a"] == section["instrument"]["slit_fwhm_a"]
    assert diag.attrs["continuum_counts"] == obs.attrs["continuum_counts"]
    assert diag.attrs["reader"] == "simulated"
    broken = obs.drop_vars("t_s")
    with pytest.raises(ObservationError, match="t_s"):
        check_contract(broken)
    p = Params.from_config(section)
    with pytest.raises(ObservationError, match="slit_fwhm_a"):
        steps.measure_lines(obs.drop_attrs(), truth, measure=p.measure, tracked=p.flare.tracked, seed=p.seed)
