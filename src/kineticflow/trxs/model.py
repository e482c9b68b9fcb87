"""Model difference signal of a photo-excited diatomic A2 in solution (TRXS paper, Eqs 3-6).

The molecule is pumped at t = 0 into a repulsive state, crosses instantly to the bound state
Y at the stretched distance r_Y + Δr_Y, contracts to r_Y with time constant τ_r, and returns
to the ground state X with lifetime τ_p. Because g_X = g_eq, Eq. 3 reduces to
ΔS_inst[r, t] = K n_Y(t) [g_Y(r, t) − g_eq(r)] for t ≥ 0 and 0 before the pump.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray


@dataclass(frozen=True)
class DiatomicModel:
    """Parameters of the TRXS model (docs/trxs.md; TRXS paper Sec. 3D).

    Attributes
    ----------
    r_x : float
        Equilibrium A–A distance in the ground state X, Å.
    r_y : float
        Equilibrium A–A distance in the excited bound state Y, Å.
    delta_r_y : float
        Laser-induced extension at the Y/Z crossing, Å.
    a_x, a_y : float
        Gaussian width parameters of g_X and g_Y, Å⁻².
    tau_r_ps : float
        Contraction (recombination) time τ_r, ps.
    tau_p_ps : float
        Population lifetime τ_p of state Y, ps.
    k : float
        Overall scale K (e²/mc²·P/V in the paper), signal units.
    n0 : float
        Excited fraction at t = 0.
    """

    r_x: float = 2.5
    r_y: float = 3.0
    delta_r_y: float = 1.5
    a_x: float = 10.0
    a_y: float = 10.0
    tau_r_ps: float = 100.0
    tau_p_ps: float = 1000.0
    k: float = 1.0
    n0: float = 1.0

    def __post_init__(self) -> None:
        for name in ("a_x", "a_y", "tau_r_ps", "tau_p_ps"):
            if not getattr(self, name) > 0:
                raise ValueError(f"trxs.model.{name} must be > 0, got {getattr(self, name)}")

    @classmethod
    def from_config(cls, cfg: dict[str, Any]) -> DiatomicModel:
        """Build from the ``trxs.model`` section of the config (unknown keys are an error)."""
        return cls(**{k: float(v) for k, v in cfg.items()})

    def as_dict(self) -> dict[str, float]:
        """Parameters as a plain dict, for netCDF attributes."""
        return asdict(self)


def excited_population(t: ArrayLike, model: DiatomicModel) -> NDArray[np.float64]:
    r"""Population n_Y(t) = n₀ exp(−t/τ_p) of state Y for t ≥ 0, 0 before (TRXS Eq. 5).

    .. math:: n_Y(t) = n_0\, e^{-t/\tau_p}\, \theta(t)

    Parameters
    ----------
    t : array_like, shape (nt,)
        Time after the pump, ps.
    model : DiatomicModel

    Returns
    -------
    ndarray, shape (nt,)
        Fraction of molecules in Y (dimensionless).

    References
    ----------
    *Convolution problems in time-resolved x-ray scattering*, Ukr. J. Phys. 57 (2012), Eq. 5.

    Examples
    --------
    >>> excited_population([-1.0, 0.0, 1000.0], DiatomicModel()).round(4).tolist()
    [0.0, 1.0, 0.3679]
    """
    t = np.asarray(t, dtype=float)
    return np.where(t >= 0, model.n0 * np.exp(-np.clip(t, 0, None) / model.tau_p_ps), 0.0)


def excited_distance(t: ArrayLike, model: DiatomicModel) -> NDArray[np.float64]:
    r"""Centre r_Y + Δr_Y exp(−t/τ_r) of g_Y (TRXS Eq. 4b), Å, for t ≥ 0 (t < 0 clipped to 0).

    .. math:: R_Y(t) = r_Y + \Delta r_Y\, e^{-t/\tau_r}

    References
    ----------
    *Convolution problems in time-resolved x-ray scattering*, Ukr. J. Phys. 57 (2012), Eq. 4b.

    Examples
    --------
    >>> excited_distance([0.0, 100.0], DiatomicModel()).round(4).tolist()
    [4.5, 3.5518]
    """
    tc = np.clip(np.asarray(t, dtype=float), 0, None)
    return np.asarray(model.r_y + model.delta_r_y * np.exp(-tc / model.tau_r_ps), dtype=np.float64)


def delta_s_inst_r(r: ArrayLike, t: ArrayLike, model: DiatomicModel) -> NDArray[np.float64]:
    """Instantaneous r-space difference signal ΔS_inst[r, t] (TRXS paper Eqs 3-5).

    Parameters
    ----------
    r : array_like, shape (nr,)
        Pair distance, Å.
    t : array_like, shape (nt,)
        Time after the pump, ps; the signal is zero for t < 0 (causality).
    model : DiatomicModel

    Returns
    -------
    ndarray, shape (nt, nr)
        K {n_X g_X + n_Y g_Y − g_eq}, with unit-height Gaussians.

    References
    ----------
    *Convolution problems in time-resolved x-ray scattering*, Ukr. J. Phys. 57 (2012), Eqs 3-5.
    """
    r = np.asarray(r, dtype=float)[None, :]
    t = np.asarray(t, dtype=float)
    centre = excited_distance(t, model)[:, None]
    g_eq = np.exp(-model.a_x * (r - model.r_x) ** 2)
    g_y = np.exp(-model.a_y * (r - centre) ** 2)
    return model.k * excited_population(t, model)[:, None] * (g_y - g_eq)


def gaussian_shell_q(q: ArrayLike, centre: ArrayLike, a: float) -> NDArray[np.float64]:
    """Closed-form q-transform of exp[−a (r − R)²] (docs/trxs.md, q space; valid for R ≫ a^-1/2).

    (4π/q) ∫₀^∞ dr r exp[−a(r−R)²] sin(qr) ≈ (4π/q) √(π/a) e^{−q²/4a} [R sin(qR) + (q/2a) cos(qR)].

    Parameters
    ----------
    q : array_like, shape (nq,)
        Scattering vector, Å⁻¹ (> 0).
    centre : array_like, shape (nt,) or scalar
        Gaussian centre R, Å.
    a : float
        Width parameter, Å⁻².

    Returns
    -------
    ndarray, shape (nt, nq) (or (nq,) for scalar centre)

    References
    ----------
    *Convolution problems in time-resolved x-ray scattering*, Ukr. J. Phys. 57 (2012), Eq. 6 applied to the Gaussian pair distributions of Eq. 4.
    """
    q = np.asarray(q, dtype=float)
    R = np.asarray(centre, dtype=float)[..., None]
    pref = 4 * np.pi / q * np.sqrt(np.pi / a) * np.exp(-(q**2) / (4 * a))
    return pref * (R * np.sin(q * R) + q / (2 * a) * np.cos(q * R))


def delta_s_inst_q_closed_form(q: ArrayLike, t: ArrayLike, model: DiatomicModel) -> NDArray[np.float64]:
    """ΔS_inst(q, t) of Eq. 6 applied to Eqs 3-5 in closed form (Gaussian shells).

    Exact up to the Gaussian tails at r < 0 (relative size exp(−a R²) ≈ 1e-27 for the defaults).

    Parameters
    ----------
    q : array_like, shape (nq,)
        Scattering vector, Å⁻¹ (> 0).
    t : array_like, shape (nt,)
        Time after the pump, ps.
    model : DiatomicModel

    Returns
    -------
    ndarray, shape (nt, nq)

    References
    ----------
    *Convolution problems in time-resolved x-ray scattering*, Ukr. J. Phys. 57 (2012), Eqs 3-6.
    """
    t = np.asarray(t, dtype=float)
    # Late times share one centre R = r_Y (Δr_Y e^{-t/τ_r} below half an ulp of r_Y): each
    # distinct centre is transformed once (element-wise, so the same numbers bit for bit).
    centres, row = np.unique(excited_distance(t, model), return_inverse=True)
    s_y = gaussian_shell_q(q, centres, model.a_y)[row.reshape(t.shape)]
    s_eq = gaussian_shell_q(q, model.r_x, model.a_x)[None, :]
    return model.k * excited_population(t, model)[:, None] * (s_y - s_eq)
