"""The plasma branch's report tables: numbers as value ± error with the digits the error justifies.

The result CSVs (``results/plasma/fits.csv``, ``d_star.csv``) stay machine-readable, with full
precision; the tables here are what the report shows: value ± standard error rounded by the
Particle Data Group rule (two significant digits of the error when its leading digits are
100–354, one up to 949, two again from 950 with the error rounded up; the ``uncertainties``
package), relative differences in %.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
from uncertainties import ufloat

#: Shown for a missing number.
MISSING = "–"


def value_error(value: float, error: float, *, scale: float = 1.0, signed: bool = False, digits: int = 4) -> str:
    """``value ± error`` with the digits the error justifies (PDG rounding), e.g. ``0.76 ± 0.08``.

    Parameters
    ----------
    value, error : float
        Value and its standard error (NaN error: the value alone with ``digits`` significant digits).
    scale : float
        Factor applied to both (100 for a percentage).
    signed : bool
        Show a leading ``+`` on positive values (differences).
    digits : int
        Significant digits of a value without a finite, positive error.

    Returns
    -------
    str
        The formatted number, or :data:`MISSING` if ``value`` is not finite.
    """
    v, e = float(value) * scale, abs(float(error) * scale)
    if not math.isfinite(v):
        return MISSING
    if not (math.isfinite(e) and e > 0):
        return f"{v:+.{digits}g}" if signed else f"{v:.{digits}g}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sign = "+" if signed else ""
        text = f"{ufloat(v, e):{sign}uP}"
        if "×" in text:  # an error of hundreds: fixed point (142 ± 500), not (1 ± 5)×10²
            text = f"{ufloat(v, e):{sign}ufP}"
    return text.replace("±", " ± ")


def plain(value: float, digits: int = 4) -> str:
    """A number without error, ``digits`` significant digits (:data:`MISSING` if not finite)."""
    v = float(value)
    return f"{v:.{digits}g}" if math.isfinite(v) else MISSING


def fits_report_table(fits: pd.DataFrame) -> pd.DataFrame:
    """Fitted vs published Table I parameters, formatted for the report.

    Parameters
    ----------
    fits : pandas.DataFrame
        ``results/plasma/fits.csv`` (:func:`kineticflow.plasma.fits.fits_table`).

    Returns
    -------
    pandas.DataFrame
        Columns ``kappa``, ``model``, ``parameter``, ``fitted`` (value ± error), ``published``,
        ``difference (%)`` (fitted/published − 1 with the fit's error), ``redchi``,
        ``n_points``, ``gamma range``.
    """
    rows = []
    for r in fits.itertuples(index=False):
        pub = float(r.published)
        rows.append({
            "kappa": f"{float(r.kappa):g}",
            "model": str(r.model).replace("_", " "),
            "parameter": r.parameter,
            "fitted": value_error(r.fitted, r.stderr),
            "published": plain(pub),
            "difference (%)": value_error(r.rel_diff, float(r.stderr) / pub if pub else np.nan, scale=100.0,
                                          signed=True, digits=3),
            "redchi": plain(r.redchi, 3),
            "n_points": int(r.n_points),
            "gamma range": (f"{float(r.gamma_min):.4g}–{float(r.gamma_max):.4g}" if np.isfinite(r.gamma_min)
                            else MISSING),
        })
    return pd.DataFrame(rows)


def d_star_report_table(d_star: pd.DataFrame) -> pd.DataFrame:
    """D* per (κ, Γ) with its error and the MD/model ratios, formatted for the report.

    Parameters
    ----------
    d_star : pandas.DataFrame
        ``results/plasma/d_star.csv`` (:func:`kineticflow.plasma.fits.d_star_table`).

    Returns
    -------
    pandas.DataFrame
        Columns ``kappa``, ``gamma``, ``gamma measured``, ``D*`` (± error), ``rel. error (%)``,
        ``model (Table I)``, ``MD/model (Table I)`` (± the MD error), ``model (fitted)``,
        ``MD/model (fitted)``.
    """
    rows = []
    for r in d_star.itertuples(index=False):
        rel = float(r.d_star_err) / float(r.d_star)
        rows.append({
            "kappa": f"{float(r.kappa):g}",
            "gamma": f"{float(r.gamma):g}",
            "gamma measured": plain(r.gamma_measured),
            "D*": value_error(r.d_star, r.d_star_err),
            "rel. error (%)": plain(100.0 * rel, 2),
            "model (Table I)": plain(r.d_star_model_published),
            "MD/model (Table I)": value_error(r.ratio_published, rel * float(r.ratio_published)),
            "model (fitted)": plain(r.d_star_model_fitted),
            "MD/model (fitted)": value_error(r.ratio_fitted, rel * float(r.ratio_fitted)),
        })
    return pd.DataFrame(rows)
