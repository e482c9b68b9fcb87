"""CF attributes: one registry of dimension names with their units, shared by every branch.

A dimension name means one thing everywhere (xarray's named dimensions; units and long names in
attributes, CF conventions). A branch that needs a new axis adds it here, so that ``t`` can never
mean a time after the pump in one file and a lag in another.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

import xarray as xr
from numpy.typing import ArrayLike

#: name -> (units, long_name). Units follow UDUNITS spelling where one exists.
DIMS: dict[str, tuple[str, str]] = {
    # shared
    "component": ("1", "component of a decomposition of a data map (SVD component, kinetic component)"),
    # TRXS
    "r": ("angstrom", "pair distance r"),
    "q": ("1/angstrom", "scattering vector q = 4 pi sin(theta)/lambda"),
    "t": ("ps", "time after the pump t"),
    "tau": ("ps", "pump-probe delay tau"),
    "t_rel": ("ps", "time relative to the probe delay, t - tau (argument of the pulse I_x)"),
    "t_padded": ("ps", "time after the pump t on the padded deconvolution grid"),
    "lam": ("1", "Tikhonov regularisation parameter lambda (second-difference penalty)"),
    "parameter": ("1", "fitted parameter of the TRXS kinetic fit (its unit in the attribute parameter_units)"),
    "parameter_b": ("1", "second index of the TRXS kinetic-fit correlation matrix (same parameters)"),
    # plasma
    "gamma": ("1", "coupling parameter Gamma"),
    "kappa": ("1", "screening parameter kappa a"),
    "lag": ("1/omega_p", "time lag of a correlation function (mixtures: 1/omega_p1)"),
    "md_time": ("1/omega_p", "time of the NVE production run of an MD simulation (mixtures: 1/omega_p1)"),
    "block": ("1", "disjoint particle group of an MD run (block errors)"),
    "block_1": ("1", "disjoint particle group of species 1 of a mixture run"),
    "block_2": ("1", "disjoint particle group of species 2 of a mixture run"),
    "time_block": ("1", "contiguous time block of an MD run (errors of collective quantities)"),
    "mixture": ("1", "binary ionic mixture (its name)"),
    "species": ("1", "ionic species j of a binary mixture"),
    "gamma_grid": ("1", "coupling Gamma of a model curve"),
    "curve_point": ("1", "point of a theory curve (its Gamma in a variable beside it)"),
    # e-scattering
    "energy": ("eV", "incident electron energy"),
    "angle": ("degree", "scattering angle"),
    "atom": ("1", "atom of the molecule (symbol and index in the structure file)"),
    "interference": ("1", "weighting of the IAM-SCAR+I interference terms: none (IAM-SCAR), sqrt, product"),
    # Halpha (sunraster: raster scans of a stepped slit; x = slit step, y = along the slit)
    "wavelength": ("angstrom", "wavelength in air"),
    "p0": ("dyn cm-2", "coronal pressure P0"),
    "f20": ("erg cm-2 s-1", "electron-beam energy flux above 20 keV, F20"),
    "depth": ("1", "depth point of the model atmosphere (0 = top)"),
    "scan": ("1", "raster scan of the slit spectrograph"),
    "x": ("pixel", "slit position (raster step)"),
    "y": ("pixel", "pixel along the slit"),
    "time": ("s", "time since the start of the observation"),
    "level": ("1", "bisector level, fraction of the emission peak"),
    "episode": ("1", "redshift episode of a tracked kernel (one per HXR spike), kernels in config order"),
    "tracked": ("1", "tracked pixel: the centre of a flare kernel, by kernel name"),
    "quantity": ("1", "line diagnostic correlated with the HXR rate (a column of recovered.csv)"),
    "noise": ("1", "white-noise level sigma / peak of the slit-deconvolution test"),
    # XFH
    "pixel": ("1", "pixel of the spiral scan, in time order"),
    "reflection": ("1", "reciprocal lattice vector h of the hologram sum"),
    "family": ("1", "m-3m family of reciprocal lattice vectors (representative h >= k >= l >= 0)"),
    "xyz": ("1", "Cartesian component in the crystal's cubic axes"),
    "grid_polar": ("degree", "polar angle from [001] of the symmetrised hologram grid (cell centre)"),
    "grid_azimuth": ("degree", "azimuth from [100] of the symmetrised hologram grid (cell centre)"),
    "plane_u": ("1/angstrom", "h' component along [001] in the (1-10) plane"),
    "plane_v": ("1/angstrom", "h' component along [110]/sqrt(2) in the (1-10) plane"),
    "radius": ("angstrom", "distance |r'| from the emitter"),
    "line": ("1", "direction [uvw] of a real-space line from the emitter"),
}


#: Every unit a written variable or coordinate may carry, in one spelling (UDUNITS where one
#: exists; powers with ``^``: ``angstrom^2``). ``"1"`` is dimensionless. A branch adds its own
#: units in its block; :func:`check_registered` (called by ``write_dataset``) refuses others.
UNITS: dict[str, str] = {
    # shared
    "1": "dimensionless",
    "s": "second",
    "ps": "picosecond",
    "eV": "electronvolt",
    "keV": "kiloelectronvolt",
    "degree": "degree of angle",
    "sr": "steradian",
    "angstrom": "1e-10 m",
    "1/angstrom": "inverse angstrom",
    "angstrom^2": "1e-20 m^2 (cross sections, Å²)",
    "angstrom^3": "1e-30 m^3",
    "pixel": "detector or raster pixel index",
    "count": "detected photons (fluorescence or spectrograph counts)",
    # TRXS
    "1/ps": "inverse picosecond (rates)",
    "electrons^2": "scattered intensity in electron units squared",
    "electrons^2 angstrom^3": "pair-distribution intensity in electron units squared times volume",
    "angstrom^6": "square of angstrom^3 (GCV function of Delta S(q))",
    "electrons^4 angstrom^6": "square of electrons^2 angstrom^3 (GCV function of a weighted Delta S(q))",
    "mixed": "one unit per element along the dimension, listed in the attribute parameter_units",
    "1/angstrom^3": "inverse cubic angstrom (Eq. 2 inversion of a dimensionless Delta S(q))",
    # plasma (a: Wigner-Seitz radius, omega_p: plasma frequency, q: ion charge; mixtures: a1, omega_p1 of
    # species 1 at the same electron density, e: elementary charge)
    "1/omega_p": "time in units of the inverse plasma frequency",
    "omega_p": "frequency in units of the plasma frequency (collision frequency nu/omega_p)",
    "a^2": "area in units of the Wigner-Seitz radius squared (mean-square displacement)",
    "a^2 omega_p": "diffusion coefficient in units of a^2 omega_p (D*)",
    "a^2 omega_p^2": "squared velocity in units of (a omega_p)^2 (velocity autocorrelation)",
    "q^2/a": "energy per particle in units of q^2/a",
    "q^2/(a k_B)": "temperature: k_B T in units of q^2/a",
    "k_B T": "energy in units of k_B T (per particle where the long name says so)",
    "1/omega_p1": "time in units of the inverse plasma frequency of species 1 of a mixture",
    "a1^2 omega_p1": "diffusion coefficient in units of a1^2 omega_p1 (mixtures, plasma paper Table II)",
    "a1^2 omega_p1^2": "squared velocity in units of (a1 omega_p1)^2 (mixture velocity autocorrelation)",
    "e^2/a": "energy per particle in units of e^2/a (mixtures)",
    "e^2/(a k_B)": "temperature: k_B T in units of e^2/a (mixtures)",
    # XFH
    "1/angstrom^2": "inverse square angstrom (structure factor F_h = -(r_e/V_c) S_h)",
    "angstrom^4": "1e-40 m^4 (normalisation a(h), b(h) of XFH Eq. 11)",
    "electron": "electron count (atomic scattering factor f, structure factor S_h)",
    # Halpha
    "dyn cm-2": "dyne per square centimetre (pressure)",
    "erg cm-2 s-1": "energy flux",
    "km s-1": "kilometre per second",
    "K": "kelvin",
    "cm-3": "per cubic centimetre (number density)",
    "g cm-2": "gram per square centimetre (column mass)",
    "s-1": "per second (rate per particle)",
    "W m-2 sr-1 Hz-1": "specific intensity per unit frequency (Lightweaver's unit)",
    "count s-1": "count rate",
    # e-scattering
    "angstrom^2/sr": "differential cross section, Å² per steradian",
}


class UnregisteredError(ValueError):
    """A variable whose dimension or unit is not in :data:`DIMS` / :data:`UNITS`."""


def variable(
    data: ArrayLike | xr.DataArray,
    dims: str | tuple[str, ...] | None = None,
    *,
    units: str,
    long_name: str,
    **extra: Any,
) -> xr.DataArray:
    """A DataArray with CF ``units`` and ``long_name`` (and any further attributes).

    The one constructor of attributed variables in every branch.

    Parameters
    ----------
    data : array_like or xarray.DataArray
        Values; a DataArray keeps its dims and coordinates (``dims`` must then be None).
    dims : str or tuple of str, optional
        Dimension names (registered in :data:`DIMS`) for plain arrays.
    units : str
        A unit of :data:`UNITS`.
    long_name : str
        What the variable is, with its symbol.
    **extra
        Further attributes (``source``: paper and equation).

    Returns
    -------
    xarray.DataArray
        A new array (a DataArray input is copied).

    Examples
    --------
    >>> variable([1.0, 2.0], "q", units="1", long_name="x").attrs["units"]
    '1'
    """
    if isinstance(data, xr.DataArray):
        if dims is not None:
            raise ValueError("variable(): dims are taken from the DataArray; pass dims=None")
        da = data.copy()
    else:
        da = xr.DataArray(data, dims=dims)
    da.attrs.update({"units": units, "long_name": long_name, **extra})
    return da


def unregistered(ds: xr.Dataset) -> list[str]:
    """``"name: what"`` for every variable of ``ds`` with an unregistered dimension or unit.

    A variable without a ``units`` attribute counts as unregistered (strings and flags say
    ``units: "1"``).
    """
    out: list[str] = []
    variables: Iterable[tuple[Hashable, xr.Variable]] = ds.variables.items()
    for name, var in variables:
        bad_dims = [str(d) for d in var.dims if d not in DIMS]
        if bad_dims:
            out.append(f"{name}: dimension(s) {bad_dims} not in kineticflow.core.attrs.DIMS")
        units = var.attrs.get("units")
        if units not in UNITS:
            out.append(f"{name}: units {units!r} not in kineticflow.core.attrs.UNITS")
    return out


def check_registered(ds: xr.Dataset, source: str = "dataset") -> None:
    """Raise if any variable of ``ds`` has a dimension or unit outside the registries.

    Raises
    ------
    UnregisteredError
        One line naming the file, the first offending variable and how many there are.
    """
    bad = unregistered(ds)
    if bad:
        more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
        raise UnregisteredError(f"{source}: {bad[0]}{more}")


def dim_attrs(name: str) -> dict[str, str]:
    """``{"units": …, "long_name": …}`` of a registered dimension.

    Raises
    ------
    KeyError
        If ``name`` is not in :data:`DIMS` (register it there first).
    """
    try:
        units, long_name = DIMS[name]
    except KeyError:
        raise KeyError(f"dimension {name!r} is not registered in kineticflow.core.attrs.DIMS") from None
    return {"units": units, "long_name": long_name}


def coord(name: str, values: ArrayLike) -> tuple[str, Any, dict[str, str]]:
    """An xarray coordinate ``(name, values, attrs)`` with the registered units and long name."""
    return (name, values, dim_attrs(name))
