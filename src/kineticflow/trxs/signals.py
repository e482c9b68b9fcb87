"""The TRXS signals as datasets: ΔS_inst on the grids (Eqs 3–6) and the Fourier inversion (Eq. 2).

The physics is in :mod:`kineticflow.trxs.model` and :mod:`kineticflow.core.transforms`; the
device (pulse, jitter, noise) in :mod:`kineticflow.trxs.instrument`. Every variable carries a
unit of :data:`kineticflow.core.attrs.UNITS` and registered dimensions.

References
----------
*Convolution problems in time-resolved x-ray scattering*, Ukr. J. Phys. 57 (2012), Eqs 2–6.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from kineticflow.core.attrs import coord, variable
from kineticflow.core.form_factors import atomic_form_factor
from kineticflow.core.transforms import modification_function, sine_transform_q_to_r, sine_transform_r_to_q
from kineticflow.trxs.config import Grid, Inversion, Weighting
from kineticflow.trxs.model import DiatomicModel, delta_s_inst_r, excited_distance, excited_population


def signal_units(weighting: Weighting) -> tuple[str, str]:
    """Units of ΔS[r] and ΔS(q): ``1`` and ``angstrom^3``, times electrons² when weighted by f_A(q)²."""
    if weighting.enabled:
        return "electrons^2", "electrons^2 angstrom^3"
    return "1", "angstrom^3"


def simulate_instantaneous(model: DiatomicModel, grid: Grid, weighting: Weighting) -> xr.Dataset:
    """ΔS_inst[r, t] (TRXS Eqs 3-5) and ΔS_inst(q, t) (Eq. 6) on the configured grids.

    Parameters
    ----------
    model : DiatomicModel
        The molecule and its kinetics.
    grid : Grid
        r (Å), q (Å⁻¹) and t (ps) ranges and steps.
    weighting : Weighting
        If enabled, ΔS(q) is multiplied by f_A(q)² and ΔS[r] by f_A(0)² (independent-atom model;
        electron units), so a sharpened inversion returns ΔS[r].

    Returns
    -------
    xarray.Dataset
        ``delta_s_r(t, r)``, ``delta_s_q(t, q)``, ``n_y(t)`` and ``r_y_t(t)``.
    """
    r, q, t = grid.axes()
    s_r = delta_s_inst_r(r, t, model)
    s_q = sine_transform_r_to_q(s_r, r, q)
    if weighting.enabled:
        f = atomic_form_factor(weighting.element, np.concatenate([[0.0], q]))
        s_q *= f[1:] ** 2
        s_r *= f[0] ** 2
    r_units, q_units = signal_units(weighting)
    r_y_t = np.where(t >= 0, excited_distance(t, model), 0.0)
    data = {
        "delta_s_r": variable(s_r, ("t", "r"), units=r_units, long_name="instantaneous signal Delta S_inst[r, t]"),
        "delta_s_q": variable(s_q, ("t", "q"), units=q_units, long_name="instantaneous signal Delta S_inst(q, t)"),
        "n_y": variable(excited_population(t, model), "t", units="1", long_name="population of the excited state Y"),
        "r_y_t": variable(r_y_t, "t", units="angstrom", long_name="centre of g_Y: r_Y + Delta r_Y exp(-t/tau_r)"),
    }
    ds = xr.Dataset(data, coords={"r": coord("r", r), "q": coord("q", q), "t": coord("t", t)})
    ds.attrs.update(
        {
            "source": "TRXS paper Eqs 3-6 (Delta S_inst[r,t] and its sine transform)",
            "signal_weighting": f"f_{weighting.element}(q)^2" if weighting.enabled else "none",
        }
    )
    ds.attrs.update({f"model.{k}": v for k, v in model.as_dict().items()})
    return ds


def invert_fourier(jittered: xr.Dataset, inversion: Inversion, weighting: Weighting) -> xr.Dataset:
    """ΔS[r, τ] recovered from ΔS(q, τ) over the measured q range (TRXS paper Eq. 2).

    Parameters
    ----------
    jittered : xarray.Dataset
        :func:`kineticflow.trxs.instrument.average_jitter` (``delta_s_q(tau, q)``,
        ``delta_s_r(tau, r)``).
    inversion : Inversion
        The q range (Å⁻¹) and M(q): none, damping (``damping_a2``, Å²) or sharpening.
    weighting : Weighting
        The element whose f(q) sharpening divides out.

    Returns
    -------
    xarray.Dataset
        ``delta_s_r(tau, r)`` with the configured M(q), ``delta_s_r_unmodified`` (M = 1, same
        q range), ``delta_s_r_reference`` (the r-space convolution, the truth), ``m_q(q)``.
    """
    qsel = jittered["q"].sel(q=slice(inversion.q_min - 1e-12, inversion.q_max + 1e-12))
    q = qsel.values
    r = jittered["r"].values
    s_q = jittered["delta_s_q"].sel(q=qsel).values
    f = None
    if inversion.modification == "sharpening":
        f = atomic_form_factor(weighting.element, np.concatenate([[0.0], q]))
    m_q = modification_function(q, inversion.modification, inversion.damping_a2, f)
    units = jittered["delta_s_r"].attrs["units"]
    tr = ("tau", "r")
    data = {
        "delta_s_r": variable(
            sine_transform_q_to_r(s_q, q, r, m_q), tr, units=units, long_name=f"Eq. 2 with M = {inversion.modification}"
        ),
        "delta_s_r_unmodified": variable(sine_transform_q_to_r(s_q, q, r), tr, units=units, long_name="Eq. 2, M = 1"),
        "delta_s_r_reference": variable(
            jittered["delta_s_r"].values, tr, units=units, long_name="Delta S[r, tau] convolved in r space (truth)"
        ),
        "m_q": variable(m_q, "q", units="1", long_name="modification function M(q)"),
    }
    ds = xr.Dataset(data, coords={"tau": jittered["tau"], "r": jittered["r"], "q": coord("q", q)})
    ds.attrs.update(
        {
            "source": "TRXS paper Eq. 2: Delta S[r,tau] = 1/(2 pi^2 r) int dq q M(q) Delta S(q,tau) sin(qr)",
            "q_min": float(q[0]),
            "q_max": float(q[-1]),
            "modification": inversion.modification,
            "damping_a2": float(inversion.damping_a2),
            **{k: v for k, v in jittered.attrs.items() if k in ("fwhm_ps", "jitter_fraction", "fwhm_eff_ps")},
        }
    )
    return ds
