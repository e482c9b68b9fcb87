"""Atomic x-ray form factors f₀(q) from periodictable (Waasmaier & Kirfel 1995)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def atomic_form_factor(element: str, q: ArrayLike) -> NDArray[np.float64]:
    """Isotropic form factor f₀(q) of a neutral atom, in electrons.

    Parameters
    ----------
    element : str
        Element symbol, e.g. ``"I"``.
    q : array_like, shape (nq,)
        Scattering vector q = 4π sinθ/λ, Å⁻¹, in [0, 24π] (periodictable takes q, not
        sinθ/λ).

    Returns
    -------
    ndarray, shape (nq,)
        f₀(q), electrons; f₀(0) ≈ Z.

    Raises
    ------
    ValueError
        For an unknown element symbol or q outside the tabulated range.
    """
    import periodictable  # noqa: PLC0415 - ~0.2 s; only jobs that weight by f(q) pay it

    try:
        el = getattr(periodictable.elements, element)
    except AttributeError as exc:
        raise ValueError(f"unknown element symbol '{element}'") from exc
    q = np.asarray(q, dtype=float)
    f = np.asarray(el.xray.f0(q), dtype=float)
    if not np.all(np.isfinite(f)):
        raise ValueError(f"q outside periodictable's range [0, 24π] Å⁻¹ for '{element}'")
    return f
