"""CF attributes: one registry of dimension names with their units, shared by every branch.

A dimension name means one thing everywhere (xarray's named dimensions; units and long names in
attributes, CF conventions). A branch that needs a new axis adds it here, so that ``t`` can never
mean a time after the pump in one file and a lag in another.
"""

from __future__ import annotations

from typing import Any

from numpy.typing import ArrayLike

#: name -> (units, long_name). Units follow UDUNITS spelling where one exists.
DIMS: dict[str, tuple[str, str]] = {
    # TRXS
    "r": ("angstrom", "pair distance r"),
    "q": ("1/angstrom", "scattering vector q = 4 pi sin(theta)/lambda"),
    "t": ("ps", "time after the pump t"),
    "tau": ("ps", "pump-probe delay tau"),
    "t_rel": ("ps", "time relative to the probe delay, t - tau (argument of the pulse I_x)"),
    "t_padded": ("ps", "time after the pump t on the padded deconvolution grid"),
    "lam": ("1", "Tikhonov regularisation parameter lambda (second-difference penalty)"),
    # plasma
    "gamma": ("1", "coupling parameter Gamma"),
    "kappa": ("1", "screening parameter kappa a"),
    "lag": ("1/omega_p", "time lag of a correlation function"),
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
