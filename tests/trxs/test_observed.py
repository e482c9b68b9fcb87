"""The analysis of an observation: the simulated contract, the kinetic fits, deconvolution, inversion, tables, figures."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from kineticflow.core.attrs import coord, variable
from kineticflow.core.svd import weighted_svd
from kineticflow.trxs.config import Deconvolution, Inversion, KineticFit, Weighting
from kineticflow.trxs.config_observed import KineticModel
from kineticflow.trxs.kinetic_fit import KineticForwardModel
from kineticflow.trxs.model import DiatomicModel
from kineticflow.trxs.observation import ObservationError, make_observation
from kineticflow.trxs.observation_example import simulate_example
from kineticflow.trxs.observed import (
    effective_pulse,
    fit_observation,
    kinetics_table,
    observation_from_measurement,
    svd_table,
)
from kineticflow.trxs.observed_inversion import deconvolve_observation, invert_observation
from kineticflow.trxs.pulses import gaussian_pulse, measure_fwhm
from kineticflow.trxs.tables import observation_provenance

KM = KineticModel(fwhm_ps=100.0, jitter=0.2, time_constants_ps=(30.0, 1000.0))


@pytest.fixture(scope="module")
def example():
    return simulate_example()  # 200 q x 40 delays, T = 50 and 2000 ps + offset, SNR 20


def measurement(snr: float = 20.0) -> xr.Dataset:
    """A dataset as rule observe_trxs writes it (delta_s_q(tau, q), noise_sigma)."""
    q, tau = np.linspace(0.5, 3.0, 6), np.array([-50.0, 0.0, 50.0, 200.0, 1000.0])
    d = np.outer(np.exp(-np.clip(tau, 0, None) / 300.0), np.sin(q))
    ds = xr.Dataset(
        {"delta_s_q": variable(d, ("tau", "q"), units="angstrom^3", long_name="measured")},
        coords={"tau": coord("tau", tau), "q": coord("q", q)},
    )
    ds.attrs.update(
        noise_sigma=0.0 if np.isinf(snr) else 1.0 / snr, snr=snr, seed=7, fwhm_ps=100.0, jitter_fraction=0.2
    )
    return ds


def test_the_simulated_contract_is_the_measurement_transposed():
    m = measurement()
    obs = observation_from_measurement(m, "m.nc", "ab" * 32)
    assert obs["delta_s"].dims == ("q", "tau")
    assert np.array_equal(obs["delta_s"].values, m["delta_s_q"].values.T)  # the same numbers
    assert np.all(obs["sigma"].values == 0.05)
    assert obs["delta_s"].attrs["units"] == "angstrom^3"
    assert obs.attrs["reader"] == "simulated" and obs.attrs["source_file"] == "m.nc"
    assert "100 ps pulse with jitter 0.2" in obs.attrs["sample"]
    with pytest.raises(ObservationError, match="sigma: .* <= 0"):
        observation_from_measurement(measurement(np.inf))  # noise-free: sigma = 0 is no observation


def test_effective_pulse_is_the_jitter_broadened_gaussian():
    s, i = effective_pulse(KM)
    assert np.trapezoid(i, s) == pytest.approx(1.0, rel=1e-6)
    assert measure_fwhm(s, i) == pytest.approx(100.0 * np.sqrt(1.04), rel=1e-3)  # Eq. 8: 101.98 ps
    profile = (np.linspace(-300, 300, 61), gaussian_pulse(np.linspace(-300, 300, 61), 100.0))
    s2, i2 = effective_pulse(KineticModel(pulse_shape="measured", fwhm_ps=100.0, jitter=0.2), profile)
    assert measure_fwhm(s2, i2) == pytest.approx(101.98, rel=5e-3)
    with pytest.raises(ValueError, match="fwhm_ps"):
        effective_pulse(KineticModel())


def test_exponential_fit_recovers_the_example_and_lists_sorted_constants(example):
    fit = fit_observation(example, KM, DiatomicModel(), KineticFit())
    table = kinetics_table(fit)
    assert list(table.columns) == ["parameter", "value", "stderr", "unit"]
    assert list(table.parameter) == ["tau_1", "tau_2", "t0", "chi2_reduced"]
    tau1, tau2 = table.value[:2]
    assert tau1 < tau2
    # the truth (50, 2000 ps) within 3 standard errors, chi2_red ~ 1 for 8000 points
    for (value, err), truth in zip(table[["value", "stderr"]].values[:2], (50.0, 2000.0), strict=True):
        assert abs(value - truth) < 3 * err
    assert table.value.iloc[-1] == pytest.approx(1.0, abs=0.05)
    assert abs(table.value.iloc[2]) < 3 * table.stderr.iloc[2]  # t0 = 0
    assert fit.attrs["source_file_sha256"] == example.attrs["source_file_sha256"]
    assert fit.attrs["kinetic_model.model"] == "exponentials"
    held = kinetics_table(fit_observation(example, KineticModel(fwhm_ps=100.0, jitter=0.2, fit_t0=False), None, None))
    assert held.value.iloc[2] == 0.0 and np.isnan(held.stderr.iloc[2])  # t0 held: no stderr


def test_diatomic_fit_weights_by_sigma_and_recovers_the_model():
    truth = DiatomicModel()
    q = np.linspace(0.5, 7.0, 40)
    tau = np.array([-50.0, 0.0, 25.0, 50.0, 100.0, 200.0, 400.0, 800.0, 1500.0, 3000.0, 5000.0])
    km = KineticModel(model="diatomic", fwhm_ps=100.0, jitter=0.2, fit_t0=True)
    s, i = effective_pulse(km)
    from kineticflow.trxs.deconvolution import pulse_function

    forward = KineticForwardModel(q=q, tau=tau, pulse=pulse_function(s, i), t_step_ps=10.0, t_max_ps=5600.0, base=truth)
    clean = forward(
        {"tau_r_ps": 100.0, "tau_p_ps": 1000.0, "delta_r_y": 1.5, "r_y": 3.0, "amplitude": 1.0, "t0_ps": 0.0}
    ).T
    sigma = np.full(clean.shape, 0.02 * np.abs(clean).max()) * np.linspace(0.5, 2.0, q.size)[:, None]
    noisy = clean + np.random.default_rng(3).standard_normal(clean.shape) * sigma
    obs = make_observation(q, tau, noisy, sigma, sample="diatomic test")
    initial = {"tau_r_ps": 150.0, "tau_p_ps": 700.0, "delta_r_y": 1.3, "r_y": 2.95, "amplitude": 0.8, "t0_ps": 20.0}
    kf = KineticFit(initial=initial)
    fit = fit_observation(obs, km, truth, kf)
    table = kinetics_table(fit).set_index("parameter")
    assert list(table.index) == ["tau_r", "tau_p", "delta_r_y", "r_y", "amplitude", "t0", "chi2_reduced"]
    for name, value in (("tau_r", 100.0), ("tau_p", 1000.0), ("delta_r_y", 1.5), ("r_y", 3.0), ("amplitude", 1.0)):
        assert abs(table.value[name] - value) < 4 * table.stderr[name], name
    assert table.unit["delta_r_y"] == "angstrom" and table.unit["tau_r"] == "ps"
    assert table.value["chi2_reduced"] == pytest.approx(1.0, abs=0.2)  # residuals divided by the given sigma
    assert np.allclose(fit["residual"], (obs["delta_s"] - fit["fit"]) / obs["sigma"])
    held = fit_observation(obs, KineticModel(model="diatomic", fwhm_ps=100.0, jitter=0.2, fit_t0=False), truth, kf)
    t0 = kinetics_table(held).set_index("parameter").loc["t0"]
    assert t0.value == 0.0 and np.isnan(t0.stderr)  # held at t0_ps, not at the starting value 20 ps


def test_svd_table_marks_the_components_above_the_noise(example):
    svd = weighted_svd(example["delta_s"], example["sigma"])
    table = svd_table(svd)
    assert list(table.columns) == ["index", "singular_value", "noise_edge", "significant"]
    assert table.noise_edge.iloc[0] == pytest.approx(np.sqrt(200) + np.sqrt(40))
    assert table.significant.sum() == int(svd["n_significant"]) == 3  # two exponentials and the offset
    assert list(table["index"][:3]) == [1, 2, 3]


def test_deconvolution_runs_on_a_short_scan_and_says_why_not_on_a_long_one(example):
    pulse = effective_pulse(KM)
    short = example.sel(tau=slice(-300, 1000))
    dec = deconvolve_observation(short, pulse, Deconvolution(t_step_ps=10.0, n_lambda=40))
    assert dec.attrs["status"] == "done"
    assert dec["delta_s_inst"].dims == ("q", "t_padded") and float(dec["gcv"].min()) == 1.0
    assert dec["lambda_chosen"] == dec["lambda_gcv"]
    # the deconvolved signal at the delays fits the data about as well as the noise allows
    model = dec["delta_s_inst_at_tau"].values
    assert np.mean(((short["delta_s"].values - model) / short["sigma"].values) ** 2) < 3.0
    long = deconvolve_observation(example, pulse, Deconvolution(t_step_ps=10.0))
    assert long.attrs["status"].startswith("not run: the delays (-300 to 30000 ps) need")
    assert "allowed: a step >= 15.4 ps" in long.attrs["status"] and not long.data_vars


def test_inversion_runs_where_the_q_range_allows(example):
    r = np.linspace(0.0, 10.0, 201)
    wide = Inversion(q_min=0.5, q_max=7.0)
    out = invert_observation(example, wide, r, Weighting())
    assert out.attrs["status"].startswith("not run: the observation covers q = 0.5 to 4.5")
    assert "trxs.inversion.q_min" in out.attrs["status"] and not out.data_vars
    inv = invert_observation(example, Inversion(q_min=0.5, q_max=4.5), r, Weighting())
    assert inv.attrs["status"] == "done" and inv["delta_s_r"].dims == ("r", "tau")
    assert inv["delta_s_r"].attrs["units"] == "1/angstrom^3"  # Eq. 2 of a dimensionless Delta S(q)
    weird = example.copy()
    weird["delta_s"].attrs["units"] = "angstrom^2"
    assert "Eq. 2 needs one of" in invert_observation(weird, Inversion(0.5, 4.5), r, Weighting()).attrs["status"]


def test_provenance_table_and_figures(example, tmp_path):
    from kineticflow.core.plotting import save
    from kineticflow.trxs.observed_plots import chosen_q, observation_figures, provenance

    svd = weighted_svd(example["delta_s"], example["sigma"])
    fit = fit_observation(example, KM, None, None)
    dec = deconvolve_observation(example, effective_pulse(KM), Deconvolution())
    inv = invert_observation(example, Inversion(0.5, 4.5), np.linspace(0, 8, 81), Weighting())
    table = observation_provenance("example", example, svd, fit, dec, inv).set_index("item").value
    assert table["source_file_sha256"] == example.attrs["source_file_sha256"]
    assert table["reader"] == "simulated" and table["shape (n_q x n_tau)"] == "200 x 40"
    assert table["Tikhonov deconvolution"].startswith("not run")
    assert table["Fourier inversion (Eq. 2)"].startswith("done: q = 0.5 to 4.5")
    assert "time_constants_ps = 30, 1000" in table["kinetic model"]
    assert "reader simulated" in provenance(example)
    # the nearest grid points (step 4/199 1/angstrom), one panel for two requests that fall on the same point
    assert list(chosen_q(example["q"].values, [1.0, 1.01, 3.0])) == pytest.approx([1.0025, 2.9925], abs=1e-4)
    figures = list(observation_figures(example, svd, fit, [1.0, 2.0]))
    assert len(figures) == 5
    for i, fig in enumerate(figures):
        assert "sha256" in fig.get_supxlabel()  # the provenance footer
        assert save(fig, tmp_path / f"{i}.png").stat().st_size > 10_000


def test_a_measured_gaussian_profile_gives_the_closed_form_fit(example, tmp_path):
    """Rule fit_observation_kinetics with pulse_shape measured reads the profile file (numerical convolution)."""
    from kineticflow.trxs import steps
    from kineticflow.trxs.config import Weighting

    s = np.linspace(-300.0, 300.0, 241)
    np.savetxt(tmp_path / "gauss.csv", np.column_stack([s, gaussian_pulse(s, 100.0)]), delimiter=",")
    measured = KineticModel(pulse_shape="measured", fwhm_ps=100.0, jitter=0.2, time_constants_ps=(30.0, 1000.0))
    fit, _ = steps.fit_observation_kinetics(
        example, measured, DiatomicModel(), KineticFit(), Weighting(), tmp_path / "gauss.csv"
    )
    closed = fit_observation(example, KM, None, None)
    assert fit.attrs["irf"] == "measured pulse profile" and closed.attrs["irf"] == "gaussian"
    np.testing.assert_allclose(fit["time_constant"], closed["time_constant"], rtol=2e-3)
    assert float(fit["t0"]) == pytest.approx(float(closed["t0"]), abs=0.2)  # ps
