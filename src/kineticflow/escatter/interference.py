"""How much the ICS depends on the interference terms: the same extrapolation with each weighting.

The extrapolated part is 83–87 % of every ICS of the paper's table, and most of the theory below
25° is the coherent forward peak of the IAM-SCAR+I interference terms, whose screening in
Blanco, Ellis-Gibbings & García, Chem. Phys. Lett. 645, 71 (2016) could not be read here
(docs/escatter.md, Sec. 3). So the weighting of those terms decides the number. For every
weighting of :data:`~kineticflow.escatter.molecule.INTERFERENCE` (``none`` = IAM-SCAR, ``sqrt``,
``product``) the theory T_w = elastic_w + rotational goes through the extrapolation of the
reported ICS (:func:`kineticflow.escatter.analysis.shape_ics`: the same used points, resolution
and end windows), giving its extrapolated ICS; beside it the theory ICS σ_T,w and its forward
share, the part of σ_T,w below the smallest measured angle that no measurement constrains. The
configured weighting's row equals the reported ``ics_extrapolated`` bitwise (same inputs, same
arithmetic).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xarray as xr
from numpy.typing import NDArray

from kineticflow.escatter import analysis
from kineticflow.escatter.molecule import INTERFERENCE


def forward_share(t: NDArray[np.float64], sig_t: float, grid: NDArray[np.float64], angle_deg: float) -> float:
    r"""Share of a theory ICS below ``angle_deg``.

    .. math::

        1 - \frac{2\pi}{\sigma_T} \int_{\theta_0}^{180^\circ} T(\theta) \sin\theta \, d\theta

    Parameters
    ----------
    t : ndarray, shape (m,)
        Theory DCS on ``grid`` (Å² sr⁻¹).
    sig_t : float
        Its ICS (Å²; may carry a forward peak below the grid step, as the rotational term).
    grid : ndarray, shape (m,)
        Angles 0–180°, degrees.
    angle_deg : float
        θ₀, degrees.

    Returns
    -------
    float

    Examples
    --------
    An isotropic DCS has half its ICS below 90°:

    >>> g = np.linspace(0.0, 180.0, 3601)
    >>> round(forward_share(np.ones_like(g), 4 * np.pi, g, 90.0), 6)
    0.5
    """
    return 1.0 - analysis.segment(t, grid, angle_deg, 180.0) / sig_t


def choices_at_energy(
    measured: xr.Dataset,
    theory: xr.Dataset,
    *,
    resolution_fwhm_deg: float,
    exclude_notes: Sequence[str],
    match_deg: float,
) -> dict[str, NDArray[np.float64]]:
    """Extrapolated ICS, theory ICS and forward share with each interference weighting, one energy.

    Parameters
    ----------
    measured : xarray.Dataset
        ``dcs``, ``dcs_uncertainty``, ``note`` on dim ``angle`` (NaN where not measured).
    theory : xarray.Dataset
        ``dcs_by_interference``, ``ics_by_interference`` (interference, angle / interference),
        ``dcs_rotational``, ``ics_rotational`` (:func:`kineticflow.escatter.steps.molecular_dcs`).
    resolution_fwhm_deg, exclude_notes, match_deg
        As :func:`kineticflow.escatter.analysis.ics_at_energy`.

    Returns
    -------
    dict
        ``ics_extrapolated``, ``ics_theory`` (Å²) and ``forward_share``, each shape (3,) in the
        order of :data:`INTERFERENCE`; ``angle_forward`` (deg, shape ()), the smallest measured
        angle.

    References
    ----------
    Phys. Chem. Chem. Phys. 26, 985 (2024), Sec. 2 (extrapolation) and Sec. 3 (IAM-SCAR+I).
    """
    ok, use = analysis.measured_points(measured, exclude_notes)
    a, y, u = (measured[k].values[ok] for k in ("angle", "dcs", "dcs_uncertainty"))
    grid = theory["angle"].values
    rot, ics_rot = theory["dcs_rotational"].values, float(theory["ics_rotational"])
    out = {k: np.empty(len(INTERFERENCE)) for k in ("ics_extrapolated", "ics_theory", "forward_share")}
    for i, w in enumerate(INTERFERENCE):
        c = theory.sel(interference=w)
        t = c["dcs_by_interference"].values + rot
        sig_t = float(c["ics_by_interference"]) + ics_rot
        r = analysis.shape_ics(a[use], y[use], u[use], grid, t, sig_t, resolution_fwhm_deg, match_deg)
        out["ics_extrapolated"][i] = r["meas"] + r["extra"]
        out["ics_theory"][i] = sig_t
        out["forward_share"][i] = forward_share(t, sig_t, grid, float(a.min()))
    out["angle_forward"] = np.asarray(float(a.min()))
    return out
