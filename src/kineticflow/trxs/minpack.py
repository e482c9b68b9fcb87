"""Levenberg–Marquardt (MINPACK ``lmdif``) with lower bounds, the way lmfit's ``leastsq`` does it.

The kinetic fit used ``lmfit.minimize(method="leastsq")``, a wrapper of
:func:`scipy.optimize.leastsq`; importing lmfit costs ~1 s per workflow job (it imports
``scipy.stats``), several times the fit's own overhead. This module makes the same calls itself:

* a parameter with a lower bound ``m`` is fitted through the internal variable ``u`` with
  ``x = m − 1 + √(u² + 1)`` (MINUIT's transformation, as lmfit ``Parameter.setup_bounds``);
* ``leastsq`` runs with lmfit's options (``epsfcn = 1e-10``, ``factor = 100``, ``gtol = 0``,
  ``maxfev = 2 max_nfev``, ``ftol = xtol = tol``), and more than ``max_nfev`` evaluations abort;
* the covariance is MINPACK's ``cov_x`` scaled by the outer product of ``dx/du = u/√(u² + 1)``
  (lmfit ``_int2ext_cov_x``), times χ²_red when ``scale_covar``; errors are √diag and
  correlations ``C_ij/(σ_i σ_j)``;
* ``nfev`` counts as lmfit reports it (the evaluations of ``leastsq`` less 2, plus the final one),
  χ² is re-evaluated at the best values, χ²_red = χ²/(N − n_vary).

Same operations in the same order, so the fitted values, errors and correlations are bitwise
those of lmfit 1.3 (tests/trxs/test_minpack.py compares both when lmfit is installed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

_TINY = 1.0e-15  # lmfit.parameter.tiny: an internal start value below it is set to 0

Residual = Callable[[dict[str, float]], NDArray[np.float64]]


@dataclass(frozen=True)
class LeastsqResult:
    """Outcome of :func:`leastsq_bounded`.

    Attributes
    ----------
    values : dict
        Best-fit values of every parameter (fixed ones at their start value).
    stderr : dict
        1σ errors (NaN when the covariance could not be estimated, or for a fixed parameter).
    correlation : ndarray, shape (n, n)
        Correlation matrix over all parameters (identity rows/columns for fixed ones, or when
        the covariance is unavailable).
    chisqr, redchi : float
    nfev : int
    success : bool
    message : str
    """

    values: dict[str, float]
    stderr: dict[str, float]
    correlation: NDArray[np.float64]
    chisqr: float
    redchi: float
    nfev: int
    success: bool
    message: str


class _AbortError(Exception):
    """More than ``max_nfev`` evaluations."""


def _to_external(u: float, lower: float) -> float:
    return float(u) if lower == -np.inf else float(lower - 1.0 + np.sqrt(u * u + 1))


def _to_internal(x: float, lower: float) -> float:
    u = float(x) if lower == -np.inf else float(np.sqrt((x - lower + 1.0) ** 2 - 1))
    return 0.0 if abs(u) < _TINY else u


def _gradient(u: float, lower: float) -> float:
    return 1.0 if lower == -np.inf else float(u / np.sqrt(u * u + 1))


def _errors(
    cov: NDArray[np.float64] | None,
    grad: list[float],
    names: list[str],
    var: list[str],
    redchi: float | None,
) -> tuple[dict[str, float], NDArray[np.float64]]:
    """1σ errors and correlations from MINPACK's internal covariance (lmfit ``_int2ext_cov_x``).

    ``grad`` holds dx/du of the varied parameters ``var``; ``redchi`` scales the covariance
    (None: not scaled). Without a covariance: NaN errors and the identity.
    """
    stderr = dict.fromkeys(names, float("nan"))
    corr = np.eye(len(names))
    if cov is None:
        return stderr, corr
    g = np.atleast_2d(grad)
    covar = cov * np.dot(g.T, g)
    if redchi is not None:
        covar *= redchi
    idx = [names.index(n) for n in var]
    for i, n in enumerate(var):
        stderr[n] = float(np.sqrt(covar[i, i]))
    for i, n in enumerate(var):
        for j in range(len(var)):
            if i != j:
                corr[idx[i], idx[j]] = float(covar[i, j] / (stderr[n] * np.sqrt(covar[j, j])))
    return stderr, corr


_MESSAGES = {
    0: "Invalid Input Parameters. I.e. more variables than data points given, tolerance < 0.0, or no data provided.",
    4: "One or more variable did not affect the fit.",
}


def leastsq_bounded(
    residual: Residual,
    names: Sequence[str],
    initial: Mapping[str, float],
    lower: Mapping[str, float] | None = None,
    vary: Mapping[str, bool] | None = None,
    scale_covar: bool = True,
    max_nfev: int = 2000,
    tol: float = 1.5e-8,
) -> LeastsqResult:
    """Minimise ‖residual(p)‖² by Levenberg–Marquardt with optional lower bounds (lmfit's recipe).

    Parameters
    ----------
    residual : callable
        ``residual({name: value})`` → residual vector, shape (N,).
    names : sequence of str
        Parameter names, in the order of the correlation matrix.
    initial : mapping
        Start value of every parameter.
    lower : mapping, optional
        Lower bound of some parameters (others unbounded).
    vary : mapping, optional
        ``{name: False}`` holds a parameter at its start value.
    scale_covar : bool
        Multiply the covariance by χ²_red (errors from the scatter of the residuals).
    max_nfev : int
        Evaluations after which the fit is aborted.
    tol : float
        ``ftol`` and ``xtol`` of ``lmdif``.

    Returns
    -------
    LeastsqResult
    """
    from scipy.optimize import leastsq  # noqa: PLC0415 - keeps the module import light

    lo = {n: float((lower or {}).get(n, -np.inf)) for n in names}
    var = [n for n in names if bool((vary or {}).get(n, True))]
    current = {n: float(initial[n]) for n in names}
    u0 = [_to_internal(current[n], lo[n]) for n in var]
    calls = [0]
    limit = [max_nfev + 2]

    def fcn(u: NDArray[np.float64]) -> NDArray[np.float64]:
        for n, val in zip(var, np.atleast_1d(u), strict=True):
            current[n] = max(_to_external(val, lo[n]), lo[n])
        calls[0] += 1
        if calls[0] > limit[0]:
            raise _AbortError
        out = np.asarray(residual(dict(current)), dtype=np.float64).ravel()
        if not np.isfinite(np.sum(out)):
            raise ValueError("NaN values detected in the residual of the fit")
        return out

    kws = {"full_output": 1, "col_deriv": 0, "ftol": tol, "xtol": tol, "gtol": 0.0}
    try:
        best, cov, _, errmsg, ier = leastsq(fcn, u0, maxfev=2 * max_nfev, epsfcn=1.0e-10, factor=100, diag=None, **kws)
        message = "Fit succeeded." if ier in (1, 2, 3) else _MESSAGES.get(ier, "Tolerance seems to be too small.")
        if ier == 5:
            message = f"Too many function calls (max set to {2 * max_nfev})."
    except _AbortError:
        best, cov, ier, message = np.array([_to_internal(current[n], lo[n]) for n in var]), None, -1, "Fit aborted."
    nfev = min(calls[0] - 3, max_nfev - 1) + 1
    limit[0] = calls[0] + 1
    resid = fcn(np.atleast_1d(best))
    chisqr = float((resid**2).sum())
    redchi = chisqr / max(1, resid.size - len(var))
    chisqr = max(chisqr, 1.0e-250 * resid.size)
    grad = [_gradient(u, lo[n]) for n, u in zip(var, np.atleast_1d(best), strict=True)]
    stderr, corr = _errors(cov, grad, list(names), var, redchi if scale_covar else None)
    if cov is None:
        message += " Could not estimate error-bars."
    return LeastsqResult(
        values=dict(current),
        stderr=stderr,
        correlation=corr,
        chisqr=float(chisqr),
        redchi=float(redchi),
        nfev=int(nfev),
        success=ier in (1, 2, 3, 4),
        message=message,
    )
