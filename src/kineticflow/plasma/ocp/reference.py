"""Published reference values of the OCP and Yukawa OCP: Table I of the plasma paper and the melting line.

* Table I of Daligault, PRL 108, 225004 (2012): Γ_m, α, C (Eq. 2), A, B (Eq. 4), γ = BΓ_m per κa
  (``kineticflow/plasma/data/daligault2012_table1.csv``);
* the melting line Γ_m(κ) of the Yukawa OCP: Hamaguchi, Farouki & Dubin, PRE 56, 4671 (1997) at
  κa = 1, 2, 3, 4, the plasma paper's 175 at κa = 0 (``hamaguchi1997_melting.csv``), and between
  the rows the Γ_m(κ) form of Vaulina & Khrapak, JETP 90, 287 (2000).
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pandas as pd

from kineticflow.core.data import read_csv
from kineticflow.plasma.ocp.formulas import chapman_spitzer_d_star, eyring_d_star

#: Package data of the plasma branch (kineticflow/plasma/data).
DATA = "kineticflow.plasma.data"
TABLE1 = "daligault2012_table1.csv"
MELTING = "hamaguchi1997_melting.csv"
#: Vaulina & Khrapak's melting criterion Γ (1 + κ + κ²/2) e^{−κ} = 106 is written with the mean
#: interparticle distance Δ = n^{−1/3}; Δ/a = (4π/3)^{1/3} converts it to the Wigner–Seitz radius.
VK_GAMMA_STAR = 106.0
VK_ALPHA = (4.0 * math.pi / 3.0) ** (1.0 / 3.0)


@lru_cache(maxsize=1)
def _table1() -> pd.DataFrame:
    return read_csv(DATA, TABLE1).set_index("kappa")


@lru_cache(maxsize=1)
def _melting() -> pd.DataFrame:
    return read_csv(DATA, MELTING).set_index("kappa")


def table1() -> pd.DataFrame:
    """Table I of the plasma paper: Γ_m, α, C, A, B, γ per κ a (index ``kappa``; NaN = not given)."""
    return _table1().copy()


def melting_table() -> pd.DataFrame:
    """The tabulated melting line: ``gamma_m`` and ``source`` per κ a (index ``kappa``)."""
    return _melting().copy()


def vaulina_khrapak_gamma_m(kappa: float) -> float:
    r"""Melting coupling of the Yukawa OCP in the form of Vaulina & Khrapak (JETP 90, 287 (2000)).

    .. math::

        \Gamma_m(\kappa) = \Gamma^*\,\alpha\,\frac{e^{\alpha\kappa}}
        {1 + \alpha\kappa + (\alpha\kappa)^2/2},\qquad \alpha = (4\pi/3)^{1/3},\ \Gamma^* = 106,

    their criterion Γ_Δ(1 + κ_Δ + κ_Δ²/2) e^{−κ_Δ} = 106 written with the interparticle distance
    Δ = n^{−1/3} (κ_Δ = ακ, Γ_Δ = Γ/α) and converted to the Wigner–Seitz radius a used here.

    Parameters
    ----------
    kappa : float
        Screening κ a ≥ 0.

    Returns
    -------
    float
        Γ_m = q²/(a k_B T_m); within 4 % of Hamaguchi et al.'s values for 0 ≤ κa ≤ 4.

    Raises
    ------
    ValueError
        If κ < 0.

    References
    ----------
    O. S. Vaulina and S. A. Khrapak, JETP 90, 287 (2000).

    Examples
    --------
    >>> round(vaulina_khrapak_gamma_m(0.0), 1)  # 106 (4π/3)^{1/3}
    170.9
    """
    if kappa < 0:
        raise ValueError(f"kappa = {kappa} must be >= 0")
    x = VK_ALPHA * kappa
    return VK_GAMMA_STAR * VK_ALPHA * math.exp(x) / (1.0 + x + 0.5 * x * x)


def gamma_melting(kappa: float) -> float:
    r"""Coupling at melting Γ_m(κ) of the Yukawa OCP: the tabulated values and a published form between.

    At a tabulated κ the table's value (Hamaguchi et al. for κa = 1–4, Table I's 175 for the
    OCP). Between two rows κ_i < κ < κ_{i+1}, the Vaulina–Khrapak form Γ_VK
    (:func:`vaulina_khrapak_gamma_m`) times its ratio r_i = Γ_{m,i}/Γ_VK(κ_i) to the table,
    interpolated linearly in Γ_VK between the rows: the curve passes through every row, follows
    the published shape (r varies by < 6 % over 0 ≤ κa ≤ 4) and rises monotonically with κ.

    .. math::

        \Gamma_m(\kappa) = \Gamma_{VK}(\kappa)\,\Big[r_i + (r_{i+1} - r_i)\,
        \frac{\Gamma_{VK}(\kappa) - \Gamma_{VK}(\kappa_i)}{\Gamma_{VK}(\kappa_{i+1}) - \Gamma_{VK}(\kappa_i)}\Big]

    Parameters
    ----------
    kappa : float
        Screening κ a.

    Returns
    -------
    float
        Γ_m = q²/(a k_B T_m); above it the liquid is metastable.

    Raises
    ------
    ValueError
        If κ is outside the tabulated range [0, 4].

    References
    ----------
    S. Hamaguchi, R. T. Farouki and D. H. E. Dubin, PRE 56, 4671 (1997); O. S. Vaulina and
    S. A. Khrapak, JETP 90, 287 (2000); J. Daligault, PRL 108, 225004 (2012), Table I.

    Examples
    --------
    >>> gamma_melting(3.0), gamma_melting(4.0)
    (1185.0, 3837.0)
    """
    t = _melting()
    if float(kappa) in t.index:
        return float(t.loc[float(kappa), "gamma_m"])
    ks = t.index.to_numpy(dtype=float)
    if not ks.min() <= kappa <= ks.max():
        raise ValueError(f"kappa = {kappa} outside the tabulated melting line [{ks.min():g}, {ks.max():g}]")
    vk_rows = np.array([vaulina_khrapak_gamma_m(k) for k in ks])
    ratio = t["gamma_m"].to_numpy(dtype=float) / vk_rows
    vk = vaulina_khrapak_gamma_m(kappa)
    return float(vk * np.interp(vk, vk_rows, ratio))


def reference_parameters(kappa: float) -> dict[str, float]:
    """Published α, C, A, B of Table I and Γ_m(κ) (:func:`gamma_melting`) for κ a.

    Parameters
    ----------
    kappa : float
        Screening κ a in [0, 4].

    Returns
    -------
    dict
        ``gamma_m``, ``alpha``, ``C``, ``A``, ``B``; NaN where Table I gives none or κ is not a row.

    Raises
    ------
    ValueError
        If κ is outside the melting line's range.
    """
    out = {"gamma_m": gamma_melting(kappa), "alpha": np.nan, "C": np.nan, "A": np.nan, "B": np.nan}
    t = _table1()
    if float(kappa) in t.index:
        row = t.loc[float(kappa)]
        out.update({k: float(row[k]) for k in ("alpha", "C", "A", "B")})
    return out


def published_model_note(kappa: float) -> str:
    """Why a κ has no (or only part of a) published model in Table I, for the tables and captions.

    Parameters
    ----------
    kappa : float
        Screening κ a.

    Returns
    -------
    str
        ``"no published model for κa = …"`` for a κ that is not a row of Table I, the row's note
        (what is missing and why) for a row with empty cells, ``""`` for a complete row.

    Examples
    --------
    >>> published_model_note(3.0)
    'no published model for κa = 3 (not in Table I)'
    >>> published_model_note(4.0)
    'Table I (κa = 4): alpha C not given'
    >>> published_model_note(0.0)
    ''
    """
    t = _table1()
    if float(kappa) not in t.index:
        return f"no published model for κa = {kappa:g} (not in Table I)"
    note = t.loc[float(kappa), "note"]
    return f"Table I (κa = {kappa:g}): {note}" if isinstance(note, str) and note.strip() else ""


def estimate_d_star(gamma: float, kappa: float) -> float:
    """Rough D*(Γ, κ) from Table I, used only to size MD runs (time step, run length).

    Parameters
    ----------
    gamma, kappa : float
        Coupling Γ > 0 and screening κ a ≥ 0.

    Returns
    -------
    float
        D* of Eq. (2) for Γ ≤ 10, of Eq. (4) above, with the parameters of the nearest κ row of
        Table I that has them.

    Raises
    ------
    ValueError
        If Γ ≤ 0.
    """
    t = _table1()
    order = np.argsort(np.abs(t.index.to_numpy(dtype=float) - kappa))
    rows = t.iloc[order]
    if gamma <= 10:
        r = rows.dropna(subset=["alpha", "C"]).iloc[0]
        return float(chapman_spitzer_d_star(gamma, r["alpha"], r["C"]))
    r = rows.dropna(subset=["A", "B"]).iloc[0]
    return float(eyring_d_star(gamma, r["A"], r["B"]))
