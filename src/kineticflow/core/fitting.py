"""Least-squares fits: one module and one result type (:class:`FitResult`) for every branch.

Two entry points, both MINPACK Levenberg–Marquardt (``lmdif``):

* :func:`weighted_fit`: a model written as a plain function ``f(x, p1, p2, …)`` (one formula per
  function, as in a branch's models module) fitted with ``lmfit`` (imported inside the function);
* :func:`leastsq`: any residual vector of named parameters with optional lower bounds, through
  :func:`scipy.optimize.leastsq` directly, the way lmfit's ``leastsq`` does it (bitwise its
  numbers, without lmfit's ~1 s import).

Both return a :class:`FitResult`: best-fit values, their standard errors ``stderr``, the reduced
χ² and the number of points, plus χ², correlations and the evaluation count where known.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray


class FitError(ValueError):
    """Too few points for a fit, non-positive errors, or a fit that did not converge."""


@dataclass(frozen=True)
class FitResult:
    """Best-fit parameters of one weighted least-squares fit.

    Attributes
    ----------
    values, stderr : dict
        Best-fit parameters and their standard errors (scaled by √χ²_red when there are more
        points than parameters, lmfit's default; NaN where lmfit gives none).
    redchi : float
        Reduced χ² (NaN with as many points as parameters).
    n_points : int
        Points in the fit (residuals, for :func:`leastsq`).
    correlation : ndarray, shape (n, n), optional
        Correlation matrix of the parameters in the order of ``values`` (:func:`leastsq`).
    chisqr : float
        χ² (NaN where not recorded).
    nfev : int
        Model evaluations (0 where not recorded).
    success : bool
    message : str
    """

    values: dict[str, float]
    stderr: dict[str, float]
    redchi: float
    n_points: int
    correlation: NDArray[np.float64] | None = None
    chisqr: float = float("nan")
    nfev: int = 0
    success: bool = True
    message: str = ""


def weighted_fit(
    func: Callable[..., np.ndarray],
    x: ArrayLike,
    y: ArrayLike,
    sigma: ArrayLike,
    initial: Mapping[str, float],
    independent: str = "x",
    bounds: Mapping[str, tuple[float, float]] | None = None,
    **kwargs: Any,
) -> FitResult:
    """Fit ``func(independent=x, **params)`` to ``y`` with weights 1/σ (lmfit, Levenberg–Marquardt).

    Parameters
    ----------
    func : callable
        Model; its first argument is named ``independent``, the others are the parameters.
    x, y, sigma : array_like, shape (n,)
        Independent variable, data and the data's standard errors (> 0), in consistent units.
    initial : mapping
        Starting value of each parameter (also fixes which parameters are fitted).
    independent : str
        Name of ``func``'s independent argument.
    bounds : mapping, optional
        ``{name: (min, max)}`` for any parameter.
    **kwargs
        Passed to ``lmfit.Model.fit`` (e.g. ``max_nfev``).

    Returns
    -------
    FitResult

    Raises
    ------
    FitError
        Fewer points than parameters, a non-positive σ, or no convergence.
    """
    import lmfit  # noqa: PLC0415 - imported where it is used (~1 s), not by every branch

    xa, ya, sa = (np.asarray(v, dtype=float) for v in (x, y, sigma))
    names = tuple(initial)
    if xa.size < len(names):
        raise FitError(f"need >= {len(names)} points to fit {names}, got {xa.size}")
    if np.any(~(sa > 0)):
        raise FitError(f"errors must be > 0 for a weighted fit of {names}")
    model = lmfit.Model(func, independent_vars=[independent])
    params = model.make_params(**dict(initial))
    for name, (lo, hi) in (bounds or {}).items():
        params[name].min, params[name].max = lo, hi
    kwargs.setdefault("scale_covar", xa.size > len(names))
    res = model.fit(ya, params, weights=1.0 / sa, **{independent: xa}, **kwargs)
    if not res.success:
        raise FitError(f"fit of {names} did not converge: {res.message}")
    stderr = {n: float(res.params[n].stderr) if res.params[n].stderr is not None else np.nan for n in names}
    redchi = float(res.redchi) if xa.size > len(names) else np.nan
    return FitResult({n: float(res.params[n].value) for n in names}, stderr, redchi, int(xa.size))


# --------------------------------------------------------------------------------------------
# MINPACK lmdif with lower bounds, lmfit's ``leastsq`` recipe without importing lmfit
# --------------------------------------------------------------------------------------------
#
# * a parameter with a lower bound m is fitted through the internal variable u with
#   x = m − 1 + √(u² + 1) (MINUIT's transformation, as lmfit ``Parameter.setup_bounds``);
# * ``scipy.optimize.leastsq`` runs with lmfit's options (epsfcn = 1e-10, factor = 100, gtol = 0,
#   maxfev = 2 max_nfev, ftol = xtol = tol), and more than max_nfev evaluations abort;
# * the covariance is MINPACK's cov_x scaled by the outer product of dx/du = u/√(u² + 1)
#   (lmfit ``_int2ext_cov_x``), times χ²_red when scale_covar; errors are √diag, correlations
#   C_ij/(σ_i σ_j);
# * nfev counts as lmfit reports it (the evaluations of leastsq less 2, plus the final one), χ² is
#   re-evaluated at the best values, χ²_red = χ²/(N − n_vary).
# Same operations in the same order: values, errors and correlations are bitwise those of lmfit 1.3
# (tests/core/test_leastsq.py compares both).

_TINY = 1.0e-15  # lmfit.parameter.tiny: an internal start value below it is set to 0

Residual = Callable[[dict[str, float]], NDArray[np.float64]]


class _AbortError(Exception):
    """More than ``max_nfev`` evaluations."""


class _Objective:
    """The residual as MINPACK sees it: internal variables u of the varied parameters in, vector out.

    Holds the current external values (fixed parameters at their start), the lower bounds and the
    number of calls; more than ``limit`` calls abort the fit.
    """

    def __init__(
        self,
        residual: Residual,
        names: Sequence[str],
        initial: Mapping[str, float],
        lower: Mapping[str, float],
        vary: Mapping[str, bool],
        max_nfev: int,
    ) -> None:
        self.residual = residual
        self.lo = {n: float(lower.get(n, -np.inf)) for n in names}
        self.var = [n for n in names if bool(vary.get(n, True))]
        self.current = {n: float(initial[n]) for n in names}
        self.calls = 0
        self.limit = max_nfev + 2

    def internal(self) -> list[float]:
        """Internal values u of the varied parameters at the current external values."""
        return [_to_internal(self.current[n], self.lo[n]) for n in self.var]

    def __call__(self, u: NDArray[np.float64]) -> NDArray[np.float64]:
        for n, val in zip(self.var, np.atleast_1d(u), strict=True):
            self.current[n] = max(_to_external(val, self.lo[n]), self.lo[n])
        self.calls += 1
        if self.calls > self.limit:
            raise _AbortError
        out = np.asarray(self.residual(dict(self.current)), dtype=np.float64).ravel()
        if not np.isfinite(np.sum(out)):
            raise ValueError("NaN values detected in the residual of the fit")
        return out


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


def _lmdif(fcn: Callable[..., Any], u0: list[float], max_nfev: int, tol: float) -> tuple[Any, Any, int, str]:
    """``scipy.optimize.leastsq`` with lmfit's options: (best u, cov_x, ier, message)."""
    from scipy.optimize import leastsq as minpack_leastsq  # noqa: PLC0415 - keeps the module import light

    kws = {"full_output": 1, "col_deriv": 0, "ftol": tol, "xtol": tol, "gtol": 0.0}
    best, cov, _, _, ier = minpack_leastsq(fcn, u0, maxfev=2 * max_nfev, epsfcn=1.0e-10, factor=100, diag=None, **kws)
    message = "Fit succeeded." if ier in (1, 2, 3) else _MESSAGES.get(ier, "Tolerance seems to be too small.")
    if ier == 5:
        message = f"Too many function calls (max set to {2 * max_nfev})."
    return best, cov, ier, message


def leastsq(
    residual: Residual,
    names: Sequence[str],
    initial: Mapping[str, float],
    lower: Mapping[str, float] | None = None,
    vary: Mapping[str, bool] | None = None,
    scale_covar: bool = True,
    max_nfev: int = 2000,
    tol: float = 1.5e-8,
) -> FitResult:
    """Minimise ‖residual(p)‖² by Levenberg–Marquardt with optional lower bounds (lmfit's recipe).

    Parameters
    ----------
    residual : callable
        ``residual({name: value})`` → residual vector, shape (N,) (weighted by the caller).
    names : sequence of str
        Parameter names, in the order of ``values`` and of the correlation matrix.
    initial, lower, vary : mapping
        Start value of every parameter; lower bound of some (others unbounded); ``{name: False}``
        holds a parameter at its start value (its stderr is NaN).
    scale_covar : bool
        Multiply the covariance by χ²_red (errors from the scatter of the residuals).
    max_nfev : int
        Evaluations after which the fit is aborted (``success`` False).
    tol : float
        ``ftol`` and ``xtol`` of ``lmdif``.

    Returns
    -------
    FitResult
        With ``correlation`` (n × n), ``chisqr``, ``nfev``, ``success`` and ``message``.

    Raises
    ------
    ValueError
        If the residual holds NaN or Inf.

    References
    ----------
    J. J. Moré, Lecture Notes in Mathematics 630 (1978); lmfit 1.3 ``Minimizer.leastsq``.
    """
    fcn = _Objective(residual, names, initial, lower or {}, vary or {}, max_nfev)
    try:
        best, cov, ier, message = _lmdif(fcn, fcn.internal(), max_nfev, tol)
    except _AbortError:
        best, cov, ier, message = np.array(fcn.internal()), None, -1, "Fit aborted."
    nfev = min(fcn.calls - 3, max_nfev - 1) + 1
    fcn.limit = fcn.calls + 1
    resid = fcn(np.atleast_1d(best))
    chisqr = float((resid**2).sum())
    redchi = chisqr / max(1, resid.size - len(fcn.var))
    chisqr = max(chisqr, 1.0e-250 * resid.size)
    grad = [_gradient(u, fcn.lo[n]) for n, u in zip(fcn.var, np.atleast_1d(best), strict=True)]
    stderr, corr = _errors(cov, grad, list(names), fcn.var, redchi if scale_covar else None)
    if cov is None:
        message += " Could not estimate error-bars."
    ok = ier in (1, 2, 3, 4)
    return FitResult(dict(fcn.current), stderr, float(redchi), int(resid.size), corr, chisqr, int(nfev), ok, message)
