"""Non-LTE Hα synthesis with Lightweaver: FAL-C moved to a coronal pressure P0, plus beam rates.

The atmosphere is FAL-C (Fontenla, Avrett & Loeser 1993, as shipped by Lightweaver) with its whole
column-mass scale shifted by ``P0 / g`` (the transition region sits at ``m = P0 / g``, Canfield,
Gunkler & Ricchiazzi 1984) and hydrostatic equilibrium rebuilt by Lightweaver's equation of state.
The electron beam (energy flux ``F20`` above 20 keV) enters the statistical equilibrium of hydrogen as
the non-thermal collisional rates of :mod:`kineticflow.halpha.beam`.  H (6 levels) and Ca II are
active, charge is conserved, and the emergent intensity at disk centre (mu = 1) is returned.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from kineticflow.halpha import beam

#: Solar surface gravity [cm s⁻²] (log g = 4.438 in cgs, Lightweaver's default logG = 2.44 in SI).
G_SUN_CGS = 10**4.438
#: Hα vacuum wavelength of the 6-level RH hydrogen model [nm] (set by the atom file; checked on use).
HALPHA_VACUUM_NM = 656.4692
#: Atomic mass unit [g].
AMU_G = 1.66053907e-24


class NotConvergedError(RuntimeError):
    """Lightweaver's statistical-equilibrium iteration did not converge for a case."""


def _quiet_lightweaver() -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import lightweaver as lw  # noqa: PLC0415 - slow import, only where a solve is made
    return lw


def shifted_falc(p0: float) -> Any:
    """FAL-C with its column-mass scale shifted by ``P0 / g`` and hydrostatic equilibrium rebuilt.

    Parameters
    ----------
    p0 : float
        Coronal (transition-region) pressure [dyn cm⁻²], > 0.

    Returns
    -------
    lightweaver.Atmosphere
        Column-mass stratified atmosphere with FAL-C's ``T(m - P0/g)``, ``vturb``, ``v = 0``; ``n_e``
        and ``n_H`` from Lightweaver's EOS in hydrostatic equilibrium with ``P(top) = g m(top)``.
    """
    lw = _quiet_lightweaver()
    import astropy.units as u  # noqa: PLC0415 - imported by Lightweaver already
    from lightweaver import fal  # noqa: PLC0415

    # FAL-C's tables as lightweaver.fal.Falc82 converts them (bitwise the same columns), without
    # building that atmosphere: its equation of state would be solved only to be thrown away
    g_si = G_SUN_CGS / 100.0
    cmass = (fal.cmass << u.Unit("g cm-2")).to("kg m-2").value + 0.1 * p0 / g_si  # P0 [dyn cm⁻²] = 0.1 P0 [Pa]
    return lw.Atmosphere.make_1d(
        lw.ScaleType.ColumnMass,
        cmass,
        temperature=np.copy(fal.temp),
        vlos=np.zeros_like(cmass),
        vturb=(fal.vturb << u.Unit("km/s")).to("m/s").value,
        Ptop=g_si * cmass[0],
        logG=np.log10(g_si),
    )


def _beam_rate_class() -> type:
    """Build the Lightweaver collisional-rate class for the beam (imported lazily with Lightweaver)."""
    _quiet_lightweaver()
    from lightweaver.collisional_rates import CollisionalRates  # noqa: PLC0415

    @dataclass(eq=False)
    class BeamRates(CollisionalRates):  # type: ignore[misc]
        """Non-thermal upward rate ``i -> j`` of hydrogen: ``ratio x C_1c(beam)``, recomputed each call."""

        flux: float = 0.0
        delta: float = 4.0
        ratio: float = 1.0
        coronal_column_cm2: float = 0.0

        def setup(self, atom: Any) -> None:
            self.atom = atom

        def __repr__(self) -> str:
            return f"BeamRates(j={self.j}, i={self.i}, flux={self.flux}, delta={self.delta}, ratio={self.ratio})"

        def compute_rates(self, atmos: Any, eq_pops: Any, cmat: NDArray[np.float64]) -> None:
            cmat[self.j, self.i, :] += self.ratio * beam_rates_for_atmosphere(
                atmos, eq_pops["H"][-1], self.flux, self.delta, self.coronal_column_cm2
            )

    return BeamRates


def beam_rates_for_atmosphere(
    atmos: Any, n_proton: NDArray[np.float64], flux: float, delta: float, coronal_column_cm2: float
) -> NDArray[np.float64]:
    """Non-thermal ionisation rate ``C_1c`` [s⁻¹] on a Lightweaver atmosphere (column from the TR down).

    The hydrogen column is counted from the top of the model (the transition region) plus a coronal
    column ``coronal_column_cm2``; the ionisation fraction is the current proton fraction.
    """
    mass_per_h = 1.4  # mean mass per H atom in amu for solar abundances (Lightweaver's massPerH ~ 1.4)
    cmass_cgs = (np.asarray(atmos.cmass) - atmos.cmass[0]) * 0.1  # kg m⁻² -> g cm⁻²
    n_col = cmass_cgs / (AMU_G * mass_per_h) + coronal_column_cm2
    x = np.asarray(n_proton) / np.asarray(atmos.nHTot)
    q = beam.beam_heating_per_h(n_col, beam.coulomb_log(x), flux, delta)
    return beam.ionisation_rate(q)


@dataclass
class Solution:
    """Emergent Hα intensity and the atmosphere it came from."""

    intensity: NDArray[np.float64]  # erg s⁻¹ cm⁻² sr⁻¹ Å⁻¹ ... converted by the caller
    column_mass: NDArray[np.float64]  # g cm⁻²
    temperature: NDArray[np.float64]  # K
    electron_density: NDArray[np.float64]  # cm⁻³
    beam_ionisation_rate: NDArray[np.float64]  # s⁻¹
    iterations: int
    extra: dict[str, float] = field(default_factory=dict)


BACKGROUND_ATOMS = (
    "C_atom",
    "O_atom",
    "Si_atom",
    "Al_atom",
    "Fe_atom",
    "He_9_atom",
    "MgII_atom",
    "N_atom",
    "Na_atom",
    "S_atom",
)


def radiative_set(f20: float, delta: float, coronal_column_cm2: float) -> Any:
    """RH atoms with H (6 levels, plus the beam rates when ``f20 > 0``) and Ca II active, the rest in LTE."""
    lw = _quiet_lightweaver()
    from lightweaver import rh_atoms  # noqa: PLC0415

    hydrogen = rh_atoms.H_6_atom()
    if f20 > 0:
        rate_cls = _beam_rate_class()
        upper = {len(hydrogen.levels) - 1: 1.0} | {n - 1: r for n, r in beam.EXCITATION_RATIOS.items()}
        extra = [
            rate_cls(j=j, i=0, flux=f20, delta=delta, ratio=r, coronal_column_cm2=coronal_column_cm2)
            for j, r in upper.items()
        ]
        for rate in extra:
            rate.setup(hydrogen)
        hydrogen.collisions = [*hydrogen.collisions, *extra]
    atom_set = lw.RadiativeSet([hydrogen, rh_atoms.CaII_atom(), *(getattr(rh_atoms, n)() for n in BACKGROUND_ATOMS)])
    atom_set.set_active("H", "Ca")
    return atom_set


def synthesise(
    p0: float,
    f20: float,
    wavelength_nm: NDArray[np.float64],
    *,
    delta: float = 4.0,
    coronal_column_cm2: float = 1e19,
    max_iterations: int = 300,
    j_tol: float = 5e-3,
    pops_tol: float = 1e-3,
    n_threads: int = 1,
) -> Solution:
    """Solve H + Ca II statistical equilibrium for ``(P0, F20)`` and return the disk-centre spectrum.

    Parameters
    ----------
    p0, f20 : float
        Coronal pressure [dyn cm⁻²]; beam energy flux above 20 keV [erg cm⁻² s⁻¹] (0: no beam).
    wavelength_nm : numpy.ndarray, shape (n_wavelength,)
        Vacuum wavelengths [nm] for the emergent intensity.
    delta : float
        Electron spectral index of the beam.
    coronal_column_cm2 : float
        Hydrogen column above the transition region traversed by the beam [cm⁻²].
    max_iterations, j_tol, pops_tol : int, float, float
        Lightweaver ``iterate_ctx_se`` limits (relative changes in J and populations).
    n_threads : int
        Threads for the formal solution.

    Returns
    -------
    Solution
        Intensity at mu = 1 [W m⁻² sr⁻¹ Hz⁻¹, Lightweaver's unit] and the atmosphere.

    Raises
    ------
    NotConvergedError
        If the iteration does not meet the tolerances within ``max_iterations``.
    """
    atmos = shifted_falc(p0)
    atmos.quadrature(5)
    atom_set = radiative_set(f20, delta, coronal_column_cm2)
    eq_pops = atom_set.iterate_lte_ne_eq_pops(atmos)
    ctx = _context(atmos, atom_set, eq_pops, n_threads)
    iterations = _iterate(ctx, p0, f20, max_iterations, j_tol, pops_tol)
    intensity = np.asarray(ctx.compute_rays(wavelength_nm, [1.0], stokes=False)).reshape(-1)
    if not np.all(np.isfinite(intensity)):
        raise NotConvergedError(f"P0={p0:g}, F20={f20:g}: non-finite emergent intensity")
    rate = np.zeros(atmos.Nspace)
    if f20 > 0:
        rate = beam_rates_for_atmosphere(atmos, eq_pops["H"][-1], f20, delta, coronal_column_cm2)
    return Solution(
        intensity=intensity,
        column_mass=np.asarray(atmos.cmass) * 0.1,
        temperature=np.asarray(atmos.temperature).copy(),
        electron_density=np.asarray(atmos.ne) * 1e-6,
        beam_ionisation_rate=rate,
        iterations=int(iterations) + 1,
    )


def _context(atmos: Any, atom_set: Any, eq_pops: Any, n_threads: int) -> Any:
    """Lightweaver context with charge conservation and Ng acceleration (order 3, period 5, delay 20)."""
    lw = _quiet_lightweaver()
    ngo = lw.NgOptions(Norder=3, Nperiod=5, Ndelay=20)
    return lw.Context(
        atmos, atom_set.compute_wavelength_grid(), eq_pops, conserveCharge=True, Nthreads=n_threads, ngOptions=ngo
    )


def _iterate(ctx: Any, p0: float, f20: float, max_iterations: int, j_tol: float, pops_tol: float) -> int:
    """Iterate Lightweaver's statistical equilibrium to the tolerances; the iterations done (0-based count).

    Raises
    ------
    NotConvergedError
        If the tolerances are not met within ``max_iterations`` (the message names P0 and F20).
    """
    lw = _quiet_lightweaver()
    with contextlib.redirect_stdout(io.StringIO()):
        iterations, final = lw.iterate_ctx_se(
            ctx, quiet=True, NmaxIter=max_iterations, JTol=j_tol, popsTol=pops_tol, returnFinalConvergence=True
        )
    d_j, d_pops = final[0].dJMax, final[1].dPopsMax
    if not (d_j < j_tol and d_pops < pops_tol) or not np.isfinite(d_j + d_pops):
        raise NotConvergedError(
            f"P0={p0:g} dyn/cm2, F20={f20:g} erg/cm2/s: no statistical equilibrium after {iterations + 1} iterations (dJ={d_j:.2e}, dpops={d_pops:.2e})"
        )
    return int(iterations)


def compile_numba_cache() -> None:
    """Compile Lightweaver's cached numba kernels once, at install time (``make install``).

    Lightweaver declares its equation-of-state, LTE-population and collisional-rate kernels with
    ``numba.njit(cache=True)``: the first process to use them compiles them (about 16 s on this
    2-core machine) and writes the machine code beside the package, and every later process loads it
    (about 0.1 s).  Without this step the first one or two ``synthesise_profiles`` jobs of a fresh
    install pay that compilation.  Five iterations of the quiet-Sun case exercise every kernel a
    profile solve uses; their result is discarded (they are far from converged). Called by the
    ``install`` target of the Makefile.
    """
    with contextlib.suppress(NotConvergedError):
        synthesise(0.0, 0.0, np.array([HALPHA_VACUUM_NM]), max_iterations=5)
