"""core.transforms: quadrature weights."""

from __future__ import annotations

import numpy as np
import pytest

from kineticflow.core.transforms import simpson_weights


def test_simpson_weights_exact_for_cubics_and_fourth_order():
    """Σ w f = ∫ f exactly for x³; for eˣ the error falls 16-fold per halving of h (A&S 25.4.6)."""
    x = np.linspace(0.0, 2.0, 9)
    assert simpson_weights(9, 0.25) @ (x**3 - x) == pytest.approx(2.0, abs=1e-14)
    errs = [abs(simpson_weights(n, 1.0 / (n - 1)) @ np.exp(np.linspace(0, 1, n)) - (np.e - 1)) for n in (5, 9)]
    assert errs[0] / errs[1] == pytest.approx(16.0, rel=0.05)
    for bad in ((4, 1.0), (1, 1.0), (5, 0.0)):
        with pytest.raises(ValueError):
            simpson_weights(*bad)
