"""The analyser's angular resolution (instrument forward model)."""

import numpy as np
import pytest

from kineticflow.escatter.instrument import convolve_angular


def test_convolution_keeps_a_constant_and_zero_width_is_identity():
    th = np.arange(0, 180.01, 0.5)
    np.testing.assert_allclose(convolve_angular(np.full(th.size, 2.0), th, 4.0), 2.0)
    y = np.exp(-th / 20)
    np.testing.assert_array_equal(convolve_angular(y, th, 0.0), y)
    # a Gaussian of FWHM w convolved with FWHM 4 -> FWHM sqrt(w² + 16) (away from the edges)
    g = np.exp(-4 * np.log(2) * ((th - 90) / 6.0) ** 2)
    c = convolve_angular(g, th, 4.0)
    above = th[c >= 0.5 * c.max()]
    assert above.max() - above.min() == pytest.approx(np.sqrt(36 + 16), abs=0.6)
