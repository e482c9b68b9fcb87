"""core.convolution.fft_convolve_axis0: scipy.signal.fftconvolve's numbers without importing scipy.signal."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import fftconvolve

from kineticflow.core.convolution import fft_convolve_axis0


@pytest.mark.parametrize(("na", "nb", "m"), [(650, 1301, 17), (1000, 37, 5), (999, 1000, 1), (7, 7, 3)])
def test_bitwise_equal_to_fftconvolve(na, nb, m):
    rng = np.random.default_rng(na + nb)
    a, b = rng.normal(size=(na, m)), rng.normal(size=(nb, 1))
    ref = fftconvolve(a, b, mode="full", axes=0)
    out = fft_convolve_axis0(a, b)
    assert out.shape == ref.shape == (na + nb - 1, m)
    assert out.tobytes() == ref.tobytes()


def test_shared_spectra_give_the_same_numbers():
    """The cache of the first array's spectra (one per FFT length, at most two kept)."""
    rng = np.random.default_rng(0)
    a = rng.normal(size=(500, 4))
    spectra: dict = {}
    for nb in (30, 31, 200, 30, 900):
        b = rng.normal(size=(nb, 1))
        assert fft_convolve_axis0(a, b, spectra).tobytes() == fftconvolve(a, b, mode="full", axes=0).tobytes()
        assert len(spectra) <= 2
