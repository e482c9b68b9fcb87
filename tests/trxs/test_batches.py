"""Per-width batches (kineticflow.trxs.batches): the same datasets as one call per case, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from kineticflow.core.noise import stable_seed
from kineticflow.trxs import batches
from kineticflow.trxs.deconvolution import deconvolve
from kineticflow.trxs.kinetic_fit import fit_measured
from kineticflow.trxs.measurement import measure
from kineticflow.trxs.signals import average_jitter, convolve_pulse, invert_fourier, simulate_instantaneous

MODEL = {"r_x": 2.5, "r_y": 3.0, "delta_r_y": 1.5, "a_x": 10.0, "a_y": 10.0, "tau_r_ps": 100.0}
MODEL |= {"tau_p_ps": 1000.0, "k": 1.0, "n0": 1.0}
GRID = {"r_min": 0.0, "r_max": 8.0, "r_step": 0.1, "q_min": 0.5, "q_max": 7.0, "q_step": 0.1}
GRID |= {"t_min_ps": -1500.0, "t_max_ps": 4000.0, "t_step_ps": 10.0}
WEIGHTING = {"enabled": False, "element": "I"}
PULSE = {"shape": "gaussian", "rescale_profile": True, "profile_file": ""}
DELAYS = {"tau_min_ps": -50.0, "tau_max_ps": 1500.0, "tau_step_ps": 50.0}
JITTER = {"n_shots": 100, "seed": 3}
MEASUREMENT = {"seed": 5, "delays_ps": None, "noise_reference": "instantaneous"}
DECONVOLUTION = {"t_step_ps": 25.0, "pad_fwhm": 2.0, "lambda_method": "gcv", "n_lambda": 40}
DECONVOLUTION |= {"lambda_min_rel": 1e-9, "lambda_max_rel": 10.0, "wiener_nsr_floor": 1e-4}
FIT = {"t_step_ps": 10.0, "pad_fwhm": 5.0, "max_nfev": 2000}
FIT |= {
    "initial": {"tau_r_ps": 150.0, "tau_p_ps": 700.0, "delta_r_y": 1.3, "r_y": 2.95, "amplitude": 0.8, "t0_ps": 20.0}
}
FRACTIONS = ["0", "0.2", "0.5"]
SNRS = ["inf", "20"]


@pytest.fixture(scope="module")
def inst():
    return simulate_instantaneous(MODEL, GRID, WEIGHTING)


@pytest.fixture(scope="module")
def batch(inst):
    cfg = {"pulse": PULSE, "delays": DELAYS, "jitter": JITTER, "measurement": MEASUREMENT}
    cfg |= {"fractions": FRACTIONS, "measured_jitters": ["0.2"], "snrs": SNRS}
    return batches.pulse_cases(inst, "100", cfg)


def test_pulse_batch_equals_one_call_per_case(inst, batch):
    """Convolution, jitter averages (the shared FFT of the signal) and the seeded measurements."""
    conv, jit, measured = batch
    xr.testing.assert_identical(conv, convolve_pulse(inst, PULSE, 100.0, DELAYS))
    for j, ds in zip(FRACTIONS, jit, strict=True):
        xr.testing.assert_identical(ds, average_jitter(inst, conv, PULSE, float(j), JITTER, DELAYS))
    for snr, ds in zip(SNRS, measured, strict=True):
        seed = stable_seed(5, {"fwhm": "100", "jitter": "0.2", "snr": snr})
        xr.testing.assert_identical(ds, measure(inst, jit[1], snr, seed, None, "instantaneous"))
    assert not np.array_equal(measured[0]["delta_s_q"].values, measured[1]["delta_s_q"].values)


def test_analysis_batch_equals_one_call_per_case(inst, batch):
    """One Tikhonov factorisation and one forward model for the SNRs of one pulse: same numbers."""
    _, jit, measured = batch
    cfg = {"deconvolution": DECONVOLUTION, "model": MODEL, "kinetic_fit": FIT}
    deconvolved, fits = batches.analyse_cases(inst, measured, cfg)
    for m, dec, fit in zip(measured, deconvolved, fits, strict=True):
        xr.testing.assert_identical(dec, deconvolve(inst, m, DECONVOLUTION))
        xr.testing.assert_identical(fit, fit_measured(m, MODEL, FIT))
    inverted = batches.invert_fourier_cases(
        jit, {"q_min": 0.5, "q_max": 7.0, "modification": "none"} | {"damping_a2": 0.0}, WEIGHTING
    )
    xr.testing.assert_identical(
        inverted[2],
        invert_fourier(jit[2], {"q_min": 0.5, "q_max": 7.0, "modification": "none", "damping_a2": 0.0}, WEIGHTING),
    )
