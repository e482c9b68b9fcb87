"""The rule functions (kineticflow.trxs.steps): per-width batches equal one call per case, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from kineticflow.core.attrs import unregistered
from kineticflow.trxs import steps
from kineticflow.trxs.analysis import deconvolve, fit_measured
from kineticflow.trxs.config import (
    Deconvolution,
    Delays,
    Grid,
    Inversion,
    Jitter,
    KineticFit,
    Measurement,
    Observation,
    Pulse,
    Weighting,
)
from kineticflow.trxs.instrument import average_jitter, convolve_pulse, jitter_seed, measure, noise_seed
from kineticflow.trxs.model import DiatomicModel
from kineticflow.trxs.signals import invert_fourier

MODEL = DiatomicModel()
GRID = Grid(r_step=0.1, q_step=0.1, r_max=8.0, t_min_ps=-1500.0, t_max_ps=4000.0, t_step_ps=10.0)
WEIGHTING = Weighting()
PULSE = Pulse()
DELAYS = Delays(tau_min_ps=-50.0, tau_max_ps=1500.0, tau_step_ps=50.0)
JITTER = Jitter(n_shots=100, seed=3)
MEASUREMENT = Measurement(seed=5)
DECONVOLUTION = Deconvolution(t_step_ps=25.0, n_lambda=40)
INITIAL = {"tau_r_ps": 150.0, "tau_p_ps": 700.0, "delta_r_y": 1.3, "r_y": 2.95, "amplitude": 0.8, "t0_ps": 20.0}
FIT = KineticFit(t_step_ps=10.0, pad_fwhm=5.0, max_nfev=2000, initial=INITIAL)
FRACTIONS = ("0", "0.2", "0.5")
SNRS = ("inf", "20")
OBSERVATION = Observation(PULSE, DELAYS, JITTER, MEASUREMENT, FRACTIONS, ("0.2",), SNRS)


@pytest.fixture(scope="module")
def inst():
    return steps.simulate_trxs(MODEL, GRID, WEIGHTING)


@pytest.fixture(scope="module")
def batch(inst):
    return steps.observe_trxs(inst, "100", OBSERVATION)


def test_observation_batch_equals_one_call_per_case(inst, batch):
    """Convolution, jitter averages (the shared FFT of the signal) and the seeded measurements."""
    conv, jit, measured = batch
    xr.testing.assert_identical(conv, convolve_pulse(inst, PULSE, 100.0, DELAYS))
    for j, ds in zip(FRACTIONS, jit, strict=True):
        xr.testing.assert_identical(ds, average_jitter(inst, conv, PULSE, float(j), JITTER, DELAYS))
    for snr, ds in zip(SNRS, measured, strict=True):
        seed = noise_seed(5, "100", "0.2", snr)
        xr.testing.assert_identical(ds, measure(inst, jit[1], snr, seed, None, "instantaneous"))
    assert not np.array_equal(measured[0]["delta_s_q"].values, measured[1]["delta_s_q"].values)


def test_every_written_variable_has_registered_units_and_dims(inst, batch):
    conv, jit, measured = batch
    deconvolved, fits = steps.deconvolve_and_fit(inst, measured[1:], DECONVOLUTION, MODEL, FIT, WEIGHTING)
    inverted = steps.invert_fourier(jit[:1], Inversion(), WEIGHTING)
    for ds in (inst, conv, *jit, *measured, *deconvolved, *fits, *inverted):
        assert unregistered(ds) == []


def test_analysis_batch_equals_one_call_per_case(inst, batch):
    """One Tikhonov factorisation and one forward model for the SNRs of one pulse: same numbers."""
    _, jit, measured = batch
    deconvolved, fits = steps.deconvolve_and_fit(inst, measured, DECONVOLUTION, MODEL, FIT, WEIGHTING)
    for m, dec, fit in zip(measured, deconvolved, fits, strict=True):
        xr.testing.assert_identical(dec, deconvolve(inst, m, DECONVOLUTION))
        xr.testing.assert_identical(fit, fit_measured(m, MODEL, FIT))
    inversion = Inversion(q_min=0.5, q_max=7.0, modification="none", damping_a2=0.0)
    inverted = steps.invert_fourier(jit, inversion, WEIGHTING)
    xr.testing.assert_identical(inverted[2], invert_fourier(jit[2], inversion, WEIGHTING))


def test_summary_tables_have_one_row_per_case(batch, inst):
    _, jit, measured = batch
    deconvolved, fits = steps.deconvolve_and_fit(inst, measured, DECONVOLUTION, MODEL, FIT, WEIGHTING)
    tables = steps.summarise_trxs(jit, deconvolved, fits)
    assert set(tables) == {"jitter_table", "jitter_html", "fit_table", "deconvolution_table"}
    assert len(tables["jitter_table"].splitlines()) == 1 + len(FRACTIONS)
    assert len(tables["deconvolution_table"].splitlines()) == 1 + len(SNRS)
    assert len(tables["fit_table"].splitlines()) == 1 + 6 * len(SNRS)
    assert "increases only by 2 ps" in tables["jitter_table"]  # the paper's words beside Eq. 8


def test_seeds_come_from_stable_seed():
    """The Monte-Carlo jitter seed is the old integer scheme, expressed through stable_seed."""
    from kineticflow.core.noise import stable_seed

    assert jitter_seed(20120201, 0.5, 1000.0) == 20120201 + 500 * 7919 + 1000
    assert jitter_seed(7, 0.2, 100.0) == stable_seed(7 + 200 * 7919 + 100, {})
    assert noise_seed(5, "100", "0.2", "20") == stable_seed(5, {"fwhm": "100", "jitter": "0.2", "snr": "20"})
