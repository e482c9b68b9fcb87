"""core.fitting.leastsq: MINPACK Levenberg–Marquardt with lmfit's recipe, against lmfit itself."""

from __future__ import annotations

import numpy as np
import pytest

from kineticflow.core.fitting import FitResult, leastsq

lmfit = pytest.importorskip("lmfit")

X = np.linspace(0.0, 10.0, 200)
NOISE = np.random.default_rng(3).normal(0.0, 0.05, X.size)
NAMES = ("amp", "tau", "offset")
START = {"amp": 1.5, "tau": 4.0, "offset": 0.3}


def model(p):
    return p["amp"] * np.exp(-X / p["tau"]) + p["offset"]


DATA = model({"amp": 2.0, "tau": 2.5, "offset": 0.1}) + NOISE


def _lmfit(scale_covar, vary, lower):
    params = lmfit.Parameters()
    for n in NAMES:
        params.add(n, value=START[n], vary=vary.get(n, True), min=lower.get(n, -np.inf))
    out = lmfit.minimize(
        lambda p: (DATA - model(p.valuesdict())) / 0.05,
        params,
        method="leastsq",
        scale_covar=scale_covar,
        max_nfev=2000,
        ftol=1e-10,
        xtol=1e-10,
    )
    return out


@pytest.mark.parametrize("scale_covar", [True, False])
@pytest.mark.parametrize("vary", [{}, {"offset": False}])
def test_bitwise_equal_to_lmfit_leastsq(scale_covar, vary):
    """Same values, errors, correlations, chi-square and nfev as lmfit.minimize(method='leastsq')."""
    lower = {"tau": 1e-3, "amp": 0.5}
    ref = _lmfit(scale_covar, vary, lower)
    res = leastsq(lambda v: (DATA - model(v)) / 0.05, NAMES, START, lower, vary, scale_covar, max_nfev=2000, tol=1e-10)
    assert isinstance(res, FitResult) and res.success and ref.success
    assert res.nfev == ref.nfev and res.n_points == X.size
    assert res.chisqr == ref.chisqr and res.redchi == ref.redchi
    varied = [n for n in NAMES if vary.get(n, True)]
    for i, a in enumerate(NAMES):
        assert res.values[a] == ref.params[a].value
        if a in varied:
            assert res.stderr[a] == ref.params[a].stderr
        else:
            assert np.isnan(res.stderr[a])
        for j, b in enumerate(NAMES):
            expected = (ref.params[a].correl or {}).get(b, 1.0 if i == j else 0.0)
            assert res.correlation[i, j] == expected


def test_too_many_evaluations_abort():
    res = leastsq(lambda v: (DATA - model(v)) / 0.05, NAMES, START, max_nfev=5, tol=1e-10)
    assert not res.success and res.message.startswith("Fit aborted")


def test_leastsq_does_not_import_lmfit():
    """lmfit (~1 s of imports) is loaded by weighted_fit only: a leastsq fit runs without it."""
    import subprocess
    import sys

    code = (
        "import sys, numpy as np\n"
        "from kineticflow.core.fitting import leastsq\n"
        "r = leastsq(lambda v: np.array([v['a'] - 1.0, v['a'] + 1.0]), ['a'], {'a': 3.0})\n"
        "assert abs(r.values['a']) < 1e-6, r\n"
        "print('lmfit' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
