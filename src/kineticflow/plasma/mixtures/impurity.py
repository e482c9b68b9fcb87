"""Heavy trace impurities in isotopic mixtures (plasma paper Fig. 3): VACF shape, D₂/D₁, the Brownian limit.

Daligault, PRL 108, 225004 (2012), Fig. 3: the VACF of a heavy trace impurity (x₂ = 0.005) decays
monotonically for m₂/m₁ = 100 (Brownian motion) but shows the caging back-scattering of the liquid
(a negative lobe) for m₂/m₁ = 2; D₂/D₁ against Γ for isotopic mixtures; and, in the Brownian limit,
D₂ no longer depends on the impurity's mass, D₂(m₂/m₁ = 10) ≈ D₂(m₂/m₁ = 100) at x₂ = 0.005.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd
import xarray as xr

from kineticflow.plasma.mixtures.diffusion import mixture_from_dataset

#: A VACF whose minimum lies below −CAGING_THRESHOLD × C(0) is counted as caging (back-scattering).
CAGING_THRESHOLD = 0.02


def vacf_shape(vacf: npt.ArrayLike, lag: npt.ArrayLike) -> dict[str, float]:
    """Shape of a velocity autocorrelation: its deepest minimum and first zero, relative to C(0).

    Parameters
    ----------
    vacf : array_like, shape (n_lags,)
        C(t) with C(0) > 0.
    lag : array_like, shape (n_lags,)
        Lags from 0.

    Returns
    -------
    dict
        ``min_ratio`` = min C/C(0), ``t_min`` (its lag), ``t_zero`` (first lag with C ≤ 0, NaN if
        none) and ``caging`` (1.0 if ``min_ratio`` < −:data:`CAGING_THRESHOLD`, else 0.0).

    Raises
    ------
    ValueError
        If C(0) ≤ 0 or the shapes differ.
    """
    c, t = np.asarray(vacf, float), np.asarray(lag, float)
    if c.shape != t.shape or c.size < 2 or not c[0] > 0:
        raise ValueError(f"need vacf(0) > 0 and vacf, lag of one shape, got {c.shape}, {t.shape}")
    r = c / c[0]
    k = int(np.argmin(r))
    zero = np.nonzero(r <= 0)[0]
    return {"min_ratio": float(r[k]), "t_min": float(t[k]), "t_zero": float(t[zero[0]]) if zero.size else np.nan,
            "caging": float(r[k] < -CAGING_THRESHOLD)}  # fmt: skip


def impurity_table(diffusion: xr.Dataset, runs: Sequence[xr.Dataset] = ()) -> pd.DataFrame:
    """D₂/D₁ with its error per (mixture, Γ), and the shape of species 2's VACF where the runs are given.

    Parameters
    ----------
    diffusion : xarray.Dataset
        Output of :func:`kineticflow.plasma.mixtures.diffusion.collect_mixture_diffusion`.
    runs : sequence of xarray.Dataset
        Mixture runs (``vacf_2`` on ``lag``; attributes ``mixture``, ``gamma``); the first seed of
        each (mixture, Γ) is used for the VACF shape.

    Returns
    -------
    pandas.DataFrame
        ``mixture``, ``isotopic``, ``x2``, ``m2_over_m1``, ``gamma``, ``d2_over_d1``,
        ``d2_over_d1_stderr`` (errors of D₁, D₂ in quadrature), ``vacf2_min_ratio``, ``vacf2_t_zero``,
        ``vacf2_caging``.
    """
    shapes = {}
    for r in runs:
        key = (str(r.attrs["mixture"]), float(r.attrs["gamma"]))
        if key not in shapes:
            shapes[key] = vacf_shape(r["vacf_2"].values, r["lag"].values)
    rows = []
    for name in diffusion["mixture"].values:
        mix = mixture_from_dataset(diffusion, str(name))
        for g in diffusion["gamma"].values:
            s = diffusion.sel(mixture=name, gamma=g)
            d1, d2, e1, e2 = (float(s[k]) for k in ("d_1", "d_2", "d_1_stderr", "d_2_stderr"))
            if not (np.isfinite(d1) and np.isfinite(d2)):
                continue
            ratio = d2 / d1
            shape = shapes.get((str(name), float(g)), {})
            rows.append({
                "mixture": str(name), "isotopic": mix.isotopic, "x2": mix.x2, "m2_over_m1": mix.m2 / mix.m1,
                "gamma": float(g), "d2_over_d1": ratio, "d2_over_d1_stderr": ratio * float(np.hypot(e1 / d1, e2 / d2)),
                "vacf2_min_ratio": shape.get("min_ratio", np.nan), "vacf2_t_zero": shape.get("t_zero", np.nan),
                "vacf2_caging": shape.get("caging", np.nan),
            })  # fmt: skip
    cols = ["mixture", "isotopic", "x2", "m2_over_m1", "gamma", "d2_over_d1", "d2_over_d1_stderr", "vacf2_min_ratio",
            "vacf2_t_zero", "vacf2_caging"]  # fmt: skip
    return pd.DataFrame(rows, columns=cols)


def brownian_limit_table(diffusion: xr.Dataset, light: float = 10.0, heavy: float = 100.0) -> pd.DataFrame:
    """D₂(m₂/m₁ = ``light``)/D₂(m₂/m₁ = ``heavy``) of isotopic mixtures with equal x₂, per Γ.

    Parameters
    ----------
    diffusion : xarray.Dataset
        Output of :func:`kineticflow.plasma.mixtures.diffusion.collect_mixture_diffusion`.
    light, heavy : float
        The two mass ratios compared (paper: 10 and 100 at x₂ = 0.005).

    Returns
    -------
    pandas.DataFrame
        ``x2``, ``gamma``, ``d2_light``, ``d2_light_stderr``, ``d2_heavy``, ``d2_heavy_stderr``, ``ratio``,
        ``ratio_stderr`` (≈ 1 in the Brownian limit), one row per (x₂, Γ) where both were run.
    """
    found: dict[tuple[float, float], dict[float, tuple[float, float]]] = {}
    for name in diffusion["mixture"].values:
        mix = mixture_from_dataset(diffusion, str(name))
        mr = mix.m2 / mix.m1
        if not mix.isotopic or not (np.isclose(mr, light) or np.isclose(mr, heavy)):
            continue
        for g in diffusion["gamma"].values:
            s = diffusion.sel(mixture=name, gamma=g)
            if np.isfinite(float(s["d_2"])):
                found.setdefault((mix.x2, float(g)), {})[light if np.isclose(mr, light) else heavy] = (
                    float(s["d_2"]), float(s["d_2_stderr"]))  # fmt: skip
    rows = []
    for (x2, g), pair in sorted(found.items()):
        if len(pair) < 2:
            continue
        (dl, el), (dh, eh) = pair[light], pair[heavy]
        ratio = dl / dh
        rows.append({"x2": x2, "gamma": g, "d2_light": dl, "d2_light_stderr": el, "d2_heavy": dh, "d2_heavy_stderr": eh,
                     "ratio": ratio, "ratio_stderr": ratio * float(np.hypot(el / dl, eh / dh))})  # fmt: skip
    cols = ["x2", "gamma", "d2_light", "d2_light_stderr", "d2_heavy", "d2_heavy_stderr", "ratio", "ratio_stderr"]
    return pd.DataFrame(rows, columns=cols)
