"""Thick-target electron-beam energy deposition and the non-thermal hydrogen rates it drives.

The beam is a power law in energy above a cut-off ``E_c`` that slows down by Coulomb collisions in a
cold target of partly ionised hydrogen (Brown 1972; Emslie 1978, with the pitch-angle spread
``beta = 0`` and ``mu0 = 1``).  The deposited power per hydrogen atom is turned into collisional
ionisation and excitation rates out of the hydrogen ground level as in Fang, Hénoux & Gan (1993) and
Hawley & Fisher (1994): one ionisation per ``ENERGY_PER_ION_PAIR_EV`` deposited, and excitation
rates in fixed ratios to it.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import beta as beta_fn
from scipy.special import betainc

#: Elementary charge [esu].
E_ESU = 4.80320425e-10
#: erg per keV.
ERG_PER_KEV = 1.602176634e-9
#: erg per eV.
ERG_PER_EV = 1.602176634e-12
#: Coulomb logarithm for beam electrons on free electrons (Emslie 1978 takes ~20 for 20-100 keV).
LAMBDA_IONISED = 20.0
#: Effective logarithm for beam electrons on neutral hydrogen, Lambda' in Emslie (1978), ~7.8.
LAMBDA_NEUTRAL = 7.8
#: Energy deposited per hydrogen ionisation [eV] (Ricchiazzi & Canfield 1983; Fang et al. 1993).
ENERGY_PER_ION_PAIR_EV = 36.0
#: Non-thermal excitation rate out of n=1 relative to the ionisation rate, keyed by upper level n
#: (Fang, Hénoux & Gan 1993, Sect. 2, after Ricchiazzi & Canfield 1983).
EXCITATION_RATIOS = {2: 2.94, 3: 0.55}


def coulomb_log(ionisation_fraction: ArrayLike) -> NDArray[np.float64]:
    """Effective Coulomb logarithm ``gamma = x Lambda + (1 - x) Lambda'`` (Emslie 1978, Eq. 5).

    Parameters
    ----------
    ionisation_fraction : array_like
        Hydrogen ionisation fraction ``x`` in [0, 1], any shape.

    Returns
    -------
    numpy.ndarray
        ``gamma``, same shape, dimensionless.

    References
    ----------
    Emslie (1978) ApJ 224, 241, Eq. 5 (Lambda = 20, Lambda' = 7.8).

    Examples
    --------
    >>> coulomb_log([0.0, 1.0]).tolist()
    [7.8, 20.0]
    """
    x = np.clip(np.asarray(ionisation_fraction, dtype=float), 0.0, 1.0)
    return x * LAMBDA_IONISED + (1.0 - x) * LAMBDA_NEUTRAL


def beam_heating_per_h(
    n_h_column: ArrayLike,
    gamma: ArrayLike,
    flux: float,
    delta: float,
    cutoff_kev: float = 20.0,
) -> NDArray[np.float64]:
    r"""Thick-target energy deposition per hydrogen atom [erg s⁻¹] (Emslie 1978, Eq. 16, beta = 0).

    With ``dE/dN = -K gamma / E`` (``K = 2 pi e^4``) and ``Gamma(N) = int_0^N gamma dN'``, an injected
    power law ``F(E0) = (delta - 2) F E_c^(delta-2) E0^-delta`` deposits

    .. math:: \frac{Q}{n_H} = \frac{K \gamma (\delta - 2) F}{2 E_c^2}
              \left(\frac{\Gamma}{\Gamma_c}\right)^{-\delta/2} B_x(\delta/2, 1/2),

    ``Gamma_c = E_c^2 / (2 K)``, ``x = min(1, Gamma / Gamma_c)``, ``B_x`` the incomplete beta function.

    Parameters
    ----------
    n_h_column : array_like, shape (n_depth,)
        Hydrogen column density from the top [cm⁻²], increasing.
    gamma : array_like, shape (n_depth,)
        Effective Coulomb logarithm at each depth (:func:`coulomb_log`).
    flux : float
        Beam energy flux above the cut-off [erg cm⁻² s⁻¹] (F20 for a 20 keV cut-off).
    delta : float
        Spectral index of the injected electron flux, > 2.
    cutoff_kev : float
        Low-energy cut-off ``E_c`` [keV].

    Returns
    -------
    numpy.ndarray, shape (n_depth,)
        Deposited power per hydrogen atom [erg s⁻¹].

    Raises
    ------
    ValueError
        If ``delta <= 2`` or the column is not increasing.
    """
    n_col = np.asarray(n_h_column, dtype=float)
    g = np.asarray(gamma, dtype=float)
    if delta <= 2.0:
        raise ValueError(f"beam spectral index delta = {delta} must be > 2")
    if np.any(np.diff(n_col) < 0):
        raise ValueError("hydrogen column density must increase with depth")
    k = 2.0 * np.pi * E_ESU**4
    ec = cutoff_kev * ERG_PER_KEV
    # Gamma(N) = int gamma dN, trapezoidal from the top (gamma constant above the first point).
    big_gamma = np.concatenate(
        [[g[0] * n_col[0]], g[0] * n_col[0] + np.cumsum(0.5 * (g[1:] + g[:-1]) * np.diff(n_col))]
    )
    gamma_c = ec**2 / (2.0 * k)
    ratio = np.maximum(big_gamma / gamma_c, 1e-300)
    x = np.minimum(ratio, 1.0)
    b_x = betainc(delta / 2.0, 0.5, x) * beta_fn(delta / 2.0, 0.5)
    return k * g * (delta - 2.0) * flux / (2.0 * ec**2) * ratio ** (-delta / 2.0) * b_x


def ionisation_rate(heating_per_h: ArrayLike) -> NDArray[np.float64]:
    r"""Non-thermal ionisation rate of ground-state hydrogen [s⁻¹].

    .. math:: C_{1c} = \frac{Q / n_H}{\epsilon}, \quad \epsilon = 36\ \mathrm{eV}\ \text{per ion pair}

    Parameters
    ----------
    heating_per_h : array_like
        Beam power per hydrogen atom [erg s⁻¹] (:func:`beam_heating_per_h`).

    Returns
    -------
    numpy.ndarray
        Rate per ground-state atom [s⁻¹], same shape.

    References
    ----------
    Fang, Hénoux & Gan (1993) A&A 274, 917, Eq. 4; Ricchiazzi & Canfield (1983).

    Examples
    --------
    >>> round(float(ionisation_rate(36.0 * ERG_PER_EV)), 12)
    1.0
    """
    return np.asarray(heating_per_h, dtype=float) / (ENERGY_PER_ION_PAIR_EV * ERG_PER_EV)
