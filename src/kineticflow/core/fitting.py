"""Weighted least-squares fits with ``lmfit``: one helper for every branch's model fits.

A branch writes its model as a plain function ``f(x, p1, p2, …)`` (one formula per function, as
in its models module) and calls :func:`weighted_fit`; the result carries the best-fit values,
their standard errors and the reduced χ².
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike


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
        Points in the fit.
    """

    values: dict[str, float]
    stderr: dict[str, float]
    redchi: float
    n_points: int


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
