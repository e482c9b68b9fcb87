"""ics.nc and ics.csv of the ``extrapolate_ics`` rule: the per-energy variables, the dataset, the table.

The numbers come from :mod:`kineticflow.escatter.analysis` (the reported ICS and its budget) and
:mod:`kineticflow.escatter.interference` (the same extrapolation with each interference weighting).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import NDArray

from kineticflow.core.attrs import dim_attrs, variable
from kineticflow.escatter.molecule import INTERFERENCE

#: name -> (units, long_name) of the per-energy results of :func:`kineticflow.escatter.analysis.one_energy`
VARIABLES = {
    "scale_factor": ("1", "scale factor theory -> data (weighted fit)"),
    "scale_factor_stderr": ("1", "standard error of the scale factor"),
    "scale_forward": ("1", "scale of the forward extrapolation (weighted fit over the forward end window)"),
    "scale_backward": ("1", "scale of the backward extrapolation (weighted fit over the backward end window)"),
    "chi2_reduced": ("1", "reduced chi-square of the scale fit"),
    "n_fit_points": ("1", "points in the scale fit"),
    "fraction_within_errors": ("1", "fraction of fitted points within one error bar of the scaled theory"),
    "angle_min_used": ("degree", "smallest measured angle used"),
    "angle_max_used": ("degree", "largest measured angle used"),
    "ics_measured_range": ("angstrom^2", "ICS contribution of the measured angular range"),
    "ics_extrapolated": ("angstrom^2", "integral cross section 0-180 deg (measured + extrapolated)"),
    "ics_global_scale": ("angstrom^2", "ICS with the globally scaled theory as extrapolation (comparison)"),
    "ics_uncertainty_dcs": ("angstrom^2", "ICS uncertainty from the DCS uncertainties (correlated)"),
    "ics_uncertainty_statistical": ("angstrom^2", "ICS uncertainty from the scale-fit standard error"),
    "ics_uncertainty_extrapolation": ("angstrom^2", "ICS uncertainty of the extrapolation (theory shape)"),
    "ics_uncertainty_integration": ("angstrom^2", "ICS uncertainty of the numerical integration"),
    "ics_uncertainty": ("angstrom^2", "total ICS uncertainty (quadrature sum)"),
    "extrapolated_fraction": ("1", "share of the ICS from the extrapolated angles"),
}
#: Variables of :func:`ics_dataset` that may hold NaN: no published ICS at an energy (and so no
#: ratio), one fitted point (no reduced χ², no standard error). Passed to ``write_dataset``.
MAY_BE_NAN = ("ics_paper", "ics_ratio_to_paper", "chi2_reduced", "scale_factor_stderr", "ics_ratio_by_interference")


def ics_dataset(
    measured: xr.Dataset,
    rows: list[dict[str, float]],
    n_points: xr.DataArray,
    *,
    resolution_fwhm_deg: float,
    exclude_notes: Sequence[str],
    match_deg: float,
    choices: Sequence[dict[str, NDArray[np.float64]]] = (),
) -> xr.Dataset:
    """The per-energy results as a Dataset on the measured energies (ics.nc).

    Parameters
    ----------
    measured : xarray.Dataset
        The observation (its ``energy`` coordinate and ``ics_paper``).
    rows : list of dict
        One :func:`kineticflow.escatter.analysis.ics_at_energy` result per measured energy, in order.
    n_points : xarray.DataArray, shape (energy,)
        Measured angles per energy (:func:`kineticflow.escatter.observation.points_per_energy`).
    resolution_fwhm_deg, exclude_notes, match_deg
        Recorded as attributes.
    choices : sequence of dict, optional
        One :func:`kineticflow.escatter.interference.choices_at_energy` result per energy; adds
        :data:`CHOICE_VARIABLES` on (interference, energy) and ``angle_forward``.

    Returns
    -------
    xarray.Dataset
        :data:`VARIABLES`, ``ics_theory``, ``ics_paper``, ``ics_ratio_to_paper``, ``n_points``
        (and the choices').
    """
    ds = xr.Dataset(coords={"energy": measured["energy"]})
    for name, (units, ln) in VARIABLES.items():
        ds[name] = variable([r[name] for r in rows], "energy", units=units, long_name=ln)
    ds["ics_theory"] = variable(
        [r["ics_theory"] for r in rows],
        "energy",
        units="angstrom^2",
        long_name="theory ICS, IAM-SCAR+I elastic + rotational",
    )
    ds["ics_paper"] = measured["ics_paper"]
    ds["ics_ratio_to_paper"] = variable(
        ds["ics_extrapolated"] / ds["ics_paper"], units="1", long_name="our extrapolated ICS / the published ICS"
    )
    ds["n_points"] = variable(
        n_points, units="1", long_name="measured angles at this energy (a missing angle narrows the measured range)"
    )
    if choices:
        ds = _with_choices(ds, choices)
    ds.attrs.update(
        resolution="Gaussian angular resolution, FWHM (not sigma) in degrees",
        resolution_fwhm_deg=resolution_fwhm_deg,
        fit_excludes_notes=list(exclude_notes),
        extrapolation_match_deg=match_deg,
        method=(
            "data (ratio to the convolved theory, interpolated) over the measured range; theory outside, scaled "
            "to the used points within extrapolation_match_deg of each end (forward and backward separately)"
        ),
    )
    return ds


#: ics.nc variables (interference, energy) of the interference choices: name -> (key of
#: :func:`kineticflow.escatter.interference.choices_at_energy`, units, long name)
CHOICE_VARIABLES = {
    "ics_extrapolated_by_interference": (
        "ics_extrapolated",
        "angstrom^2",
        "extrapolated ICS as ics_extrapolated, with the theory's interference terms weighted as the coordinate "
        "interference names (none = IAM-SCAR)",
    ),
    "ics_theory_by_interference": (
        "ics_theory",
        "angstrom^2",
        "theory ICS, elastic (IAM-SCAR with the named interference weighting) + rotational",
    ),
    "forward_share_by_interference": (
        "forward_share",
        "1",
        "share of ics_theory_by_interference below the smallest measured angle (angle_forward)",
    ),
}


def _with_choices(ds: xr.Dataset, choices: Sequence[dict[str, NDArray[np.float64]]]) -> xr.Dataset:
    """``ds`` with :data:`CHOICE_VARIABLES`, their ratio to the paper and ``angle_forward``."""
    ds = ds.assign_coords(
        interference=xr.DataArray(list(INTERFERENCE), dims="interference", attrs=dim_attrs("interference"))
    )
    dims = ("interference", "energy")
    for name, (key, units, ln) in CHOICE_VARIABLES.items():
        ds[name] = variable(np.stack([c[key] for c in choices], axis=1), dims, units=units, long_name=ln)
    ds["ics_ratio_by_interference"] = variable(
        ds["ics_extrapolated_by_interference"] / ds["ics_paper"],
        units="1",
        long_name="ics_extrapolated_by_interference / the published ICS",
    )
    ds["angle_forward"] = variable(
        [float(c["angle_forward"]) for c in choices],
        "energy",
        units="degree",
        long_name="smallest measured angle: the forward share is the theory ICS below it",
    )
    return ds


#: Columns of :func:`ics_table` per interference weighting ``w``: CSV name pattern -> ics.nc variable
CHOICE_COLUMNS = {
    "ics_extrapolated_{w}": "ics_extrapolated_by_interference",
    "ics_ratio_{w}": "ics_ratio_by_interference",
    "ics_theory_{w}": "ics_theory_by_interference",
    "forward_share_{w}": "forward_share_by_interference",
}

#: Columns of :func:`ics_table`, in order.
TABLE_COLUMNS = (
    "scale_factor",
    "scale_forward",
    "scale_backward",
    "ics_measured_range",
    "ics_extrapolated",
    "ics_uncertainty",
    "extrapolated_fraction",
    "ics_paper",
    "ics_theory",
    "ics_global_scale",
    "chi2_reduced",
)


def ics_table(ds: xr.Dataset) -> pd.DataFrame:
    """The CSV table of the ICS (ics.csv), one row per energy, rounded to 4 decimals.

    Parameters
    ----------
    ds : xarray.Dataset
        :func:`ics_dataset`.

    Returns
    -------
    pandas.DataFrame
        ``energy_ev``, :data:`TABLE_COLUMNS`, ``n_points``, then, if ``ds`` has the interference
        choices, :data:`CHOICE_COLUMNS` for each weighting (``ics_extrapolated_none``, …,
        ``forward_share_product``).
    """
    cols = {"energy_ev": ds["energy"].values, **{c: ds[c].values for c in TABLE_COLUMNS}}
    cols["n_points"] = ds["n_points"].values
    if "interference" in ds.dims:
        for pattern, name in CHOICE_COLUMNS.items():
            for w in ds["interference"].values:
                cols[pattern.format(w=w)] = ds[name].sel(interference=w).values
    return pd.DataFrame(cols).round(4)
