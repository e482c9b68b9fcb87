"""Issue 18 additions: the collision frequency of Fig. 1's inset and footnote 18's free-exponent Eyring fit."""

from __future__ import annotations

import math

import numpy as np
import pytest
import xarray as xr

from kineticflow.core.fitting import FitError
from kineticflow.plasma.md.correlations import current_autocorr, particle_groups, vacf
from kineticflow.plasma.mixtures.diffusion import mixture_run_diffusion
from kineticflow.plasma.mixtures.formulas import Mixture
from kineticflow.plasma.mixtures.impurity import brownian_limit_table, impurity_table, vacf_shape
from kineticflow.plasma.mixtures.md import interdiffusion_current
from kineticflow.plasma.ocp.collisions import (
    collision_frequency,
    collision_summary,
    coulomb_logarithm,
    nu_from_d_star,
    nu_model,
)
from kineticflow.plasma.ocp.config import FitSettings
from kineticflow.plasma.ocp.eyring import eyring_exponent, eyring_free_exponent_d_star, fit_eyring_free_exponent
from kineticflow.plasma.ocp.formulas import chapman_spitzer_d_star, eyring_d_star


def test_nu_of_the_model_against_hand_values():
    # by hand, kappa = 0 Table I (alpha = 0.647, C = 2.159), sqrt(3 pi) = 3.069980:
    # Gamma = 1:  C/sqrt3 = 1.246499, ln(2.246499) = 0.809373 -> nu = 0.647 * 0.809373 / 3.069980 = 0.170576
    assert float(nu_model(1.0, 0.647, 2.159)) == pytest.approx(0.170576, rel=1e-5)
    # Gamma = 10: x = 1.246499/31.622777 = 0.039418, ln(1.039418) = 0.038661, 10^1.5 = 31.622777
    #   nu = 0.647 * 31.622777 * 0.038661 / 3.069980 = 0.257655
    assert float(nu_model(10.0, 0.647, 2.159)) == pytest.approx(0.257655, rel=1e-4)
    # Rutherford ansatz at Gamma = 1: 0.5 ln(1 + 1.553760) = 0.468791 -> 0.647 * 0.468791 / 3.069980 = 0.098798
    assert float(nu_model(1.0, 0.647, 2.159, "rutherford")) == pytest.approx(0.098798, rel=1e-4)
    # CS limit at Gamma = 0.1: ln(1.246499/0.0316228) = ln(39.41793) = 3.674223; 0.1^1.5 = 0.0316228
    assert float(nu_model(0.1, 0.647, 2.159, "chapman_spitzer")) == pytest.approx(
        0.647 * 0.0316228 * 3.674223 / 3.069980, rel=1e-5
    )
    assert np.isnan(coulomb_logarithm(10.0, 2.159, "chapman_spitzer"))  # ln Lambda_CS < 0 there
    # nu = 1/(3 Gamma D*) of Eq. 2 itself, and the Gamma << 1 limits agree
    g = np.logspace(-2, 2, 9)
    assert np.allclose(
        nu_model(g, 0.647, 2.159), nu_from_d_star(chapman_spitzer_d_star(g, 0.647, 2.159), g), rtol=1e-12
    )
    assert float(nu_model(1e-4, 0.647, 2.159, "rutherford") / nu_model(1e-4, 0.647, 2.159)) == pytest.approx(
        1.0, abs=1e-5
    )
    with pytest.raises(ValueError, match="form"):
        coulomb_logarithm(1.0, 2.0, "landau")


def test_model_saturates_and_the_ansatz_does_not():
    g = np.logspace(np.log10(4), np.log10(30), 50)
    nu = nu_model(g, 0.647, 2.159)
    assert 0.24 < nu.min() and nu.max() < 0.27  # the paper: nu ~ 0.25 omega_p for 4 <= Gamma <= 30
    assert float(nu_model(30.0, 0.647, 2.159, "rutherford") / nu_model(30.0, 0.647, 2.159)) < 0.01


def test_collision_frequency_from_md_points():
    dims = ("kappa", "gamma")
    d = xr.Dataset({"d_star": (dims, [[0.5, 0.10, 0.04]]), "d_star_stderr": (dims, [[0.01, 0.002, 0.002]]),
                    "gamma_measured": (dims, [[2.0, 10.0, 30.0]])},
                   coords={"kappa": [0.0], "gamma": [2.0, 10.0, 30.0]})  # fmt: skip
    fits = xr.Dataset({"alpha": ("kappa", [0.7]), "C": ("kappa", [2.0])}, coords={"kappa": [0.0]})
    nu = collision_frequency(d, fits)
    assert nu["nu_md"].values[0] == pytest.approx([1 / 3.0, 1 / 3.0, 1 / 3.6])
    assert nu["nu_md_stderr"].values[0, 1] == pytest.approx(0.02 / 3.0)
    s = collision_summary(nu).set_index("quantity")
    w = np.array([1 / (0.02 / 3) ** 2, 1 / (0.05 / 3.6) ** 2])
    assert s.loc["nu_saturation_md", "value"] == pytest.approx((w @ [1 / 3.0, 1 / 3.6]) / w.sum())
    assert s.loc["nu_saturation_md", "n_points"] == 2 and s.loc["nu_saturation_md", "paper"] == 0.25
    assert s.loc["rutherford_over_model_gamma_10", "value"] == pytest.approx(
        float(nu_model(10.0, 0.647, 2.159, "rutherford") / nu_model(10.0, 0.647, 2.159))
    )


def test_free_exponent_fit_recovers_a_known_exponent():
    gm = 175.0
    g = np.array([50.0, 75.0, 100.0, 125.0, 150.0, 175.0])
    truth = {"A": 2.0, "s": 1.3, "gamma_e": 1.2}
    d = eyring_free_exponent_d_star(g, truth["A"], truth["s"], truth["gamma_e"], gm)
    rng = np.random.default_rng(18)
    noisy = d * (1 + 0.01 * rng.standard_normal(g.size))
    f = fit_eyring_free_exponent(g, noisy, 0.01 * d, gm)
    for p, v in truth.items():
        assert abs(f.values[p] - v) < 4 * f.stderr[p], (p, f.values[p], f.stderr[p])
    assert 0 < f.stderr["s"] < 0.5
    exact = fit_eyring_free_exponent(g, d, 0.01 * d, gm)
    assert exact.values["s"] == pytest.approx(1.3, abs=1e-6)
    # s = 1 is Eq. 4 with B = gamma/Gamma_m
    assert np.allclose(eyring_free_exponent_d_star(g, 1.52, 1.0, 0.0082 * gm, gm), eyring_d_star(g, 1.52, 0.0082))
    with pytest.raises(FitError, match=">= 4"):
        fit_eyring_free_exponent(g[:3], d[:3], 0.01 * d[:3], gm)


def test_eyring_exponent_per_kappa_with_table1_gamma():
    gm = 175.0
    gam = np.array([1.0, 50.0, 100.0, 150.0, 175.0])
    d = eyring_free_exponent_d_star(gam, 1.52, 1.0, 0.0082 * gm, gm)
    dims = ("kappa", "gamma")
    diff = xr.Dataset({"d_star": (dims, [d]), "d_star_stderr": (dims, [0.01 * d]), "gamma_measured": (dims, [gam])},
                      coords={"kappa": [0.0], "gamma": gam})  # fmt: skip
    fits = xr.Dataset({"B": ("kappa", [0.0082]), "B_stderr": ("kappa", [0.0001])}, coords={"kappa": [0.0]})
    cfg = FitSettings(eyring_gamma_min=50.0, min_relative_error=0.005, use_measured_gamma=True)
    ds = eyring_exponent(diff, fits, cfg).sel(kappa=0.0)
    assert int(ds["n_points"]) == 4  # Gamma = 1 is outside the Eyring range
    assert float(ds["s"]) == pytest.approx(1.0, abs=1e-6) and float(ds["gamma_free"]) == pytest.approx(1.435, abs=1e-5)
    assert float(ds["gamma_eyring"]) == pytest.approx(0.0082 * 175) and float(ds["gamma_eyring_paper"]) == 1.41
    assert math.isclose(float(ds["s_paper_stderr"]), 0.006)


def _ou_velocities(rng: np.random.Generator, n_frames: int, taus: np.ndarray, dt: float) -> np.ndarray:
    """Independent Ornstein-Uhlenbeck velocities (unit variance per component): a non-interacting mixture."""
    a = np.exp(-dt / taus)[None, :, None]
    v = np.empty((n_frames, taus.size, 3))
    v[0] = rng.standard_normal((taus.size, 3))
    noise = rng.standard_normal((n_frames, taus.size, 3)) * np.sqrt(1 - a**2)[0]
    for t in range(1, n_frames):
        v[t] = a[0] * v[t - 1] + noise[t]
    return v


def test_interdiffusion_green_kubo_known_integral():
    # <J(t).J(0)> = 3 A e^{-t/tau}: D12 = (1/(3 N x1 x2)) 3 A tau (isotopic: thermodynamic factor 1)
    n1, n2, a, tau = 30, 10, 2.0, 1.5
    lag = np.arange(0.0, 30.0, 0.01)
    acf = 3 * a * np.exp(-lag / tau)
    mix = Mixture("syn", 1, 1, 1, 5, n2 / (n1 + n2))
    ds = xr.Dataset(
        {"vacf_1": ("lag", acf), "vacf_2": ("lag", acf), "vacf_1_block": (("b1", "lag"), [acf, acf]),
         "vacf_2_block": (("b2", "lag"), [acf, acf]), "interdiffusion_acf": ("lag", acf),
         "interdiffusion_acf_block": (("time_block", "lag"), [acf * 0.99, acf * 1.01])},
        coords={"lag": lag}, attrs={**mix.attrs(), "gamma": 1.0, "seed": 1, "n_1": n1, "n_2": n2},
    )  # fmt: skip
    out = mixture_run_diffusion(ds)
    expected = a * tau / ((n1 + n2) * 0.75 * 0.25)
    assert float(out["d_12_gk"]) == pytest.approx(expected, rel=1e-4)
    assert float(out["d_12_gk_stderr"]) == pytest.approx(0.01 * expected, rel=1e-3)
    # Z1 != Z2: the thermodynamic factor is not sampled, so no Green-Kubo D12
    hhe = ds.assign_attrs(Mixture("hhe", 1, 2, 1, 4, 0.25).attrs())
    assert np.isnan(float(mixture_run_diffusion(hhe)["d_12_gk"]))


def test_mixing_rule_is_exact_for_an_ideal_mixture():
    # non-interacting ions: velocities of different particles uncorrelated, so
    # <J J> = x2^2 N1 <v1 v1> + x1^2 N2 <v2 v2> and D12 = x2 D1 + x1 D2 exactly (up to statistics)
    rng = np.random.default_rng(5)
    n1, n2, dt = 30, 10, 0.1
    taus = np.r_[np.full(n1, 0.5), np.full(n2, 2.0)]
    v = _ou_velocities(rng, 40000, taus, dt)
    n_lags = 300
    lag = np.arange(n_lags) * dt
    g1 = particle_groups(n1, 4, 1)
    g2 = particle_groups(n2, 4, 2)
    b1 = vacf(v[:, :n1], n_lags, g1).T
    b2 = vacf(v[:, n1:], n_lags, g2).T
    j_acf, j_blocks = current_autocorr(interdiffusion_current(v, n1), n_lags, 8)
    mix = Mixture("ideal", 1, 1, 1, 4, n2 / (n1 + n2))
    ds = xr.Dataset(
        {"vacf_1": ("lag", b1.mean(axis=0)), "vacf_2": ("lag", b2.mean(axis=0)), "vacf_1_block": (("b1", "lag"), b1),
         "vacf_2_block": (("b2", "lag"), b2), "interdiffusion_acf": ("lag", j_acf),
         "interdiffusion_acf_block": (("time_block", "lag"), j_blocks)},
        coords={"lag": lag}, attrs={**mix.attrs(), "gamma": 1.0, "seed": 1, "n_1": n1, "n_2": n2},
    )  # fmt: skip
    out = mixture_run_diffusion(ds)
    d1, d2 = float(out["d_1"]), float(out["d_2"])
    assert d1 == pytest.approx(0.5, rel=0.05) and d2 == pytest.approx(2.0, rel=0.1)  # <v^2>/3 * 3 tau / 3 = tau
    gk, err = float(out["d_12_gk"]), float(out["d_12_gk_stderr"])
    rule = float(out["d_12"])
    assert rule == pytest.approx(0.25 * d1 + 0.75 * d2)
    assert 0 < err < 0.15 * gk
    assert abs(gk - rule) < 4 * err, (gk, rule, err)


def test_vacf_shape_tells_caging_from_brownian_decay():
    t = np.linspace(0.0, 20.0, 2001)
    brownian = vacf_shape(3.0 * np.exp(-t / 4.0), t)
    assert brownian["caging"] == 0.0 and np.isnan(brownian["t_zero"]) and brownian["min_ratio"] > 0
    caged = vacf_shape(3.0 * np.exp(-t / 2.0) * np.cos(2.0 * t), t)  # back-scattering off the cage
    assert caged["caging"] == 1.0 and caged["t_zero"] == pytest.approx(math.pi / 4, abs=0.01)
    # first minimum where tan 2t = -1/4: t = (pi - atan(1/4))/2 = 1.4483, e^{-0.7242} cos(2.8966) = -0.4702
    assert caged["min_ratio"] == pytest.approx(-0.4702, abs=0.002) and caged["t_min"] == pytest.approx(1.448, abs=0.01)


def _collected(values: dict[str, tuple[float, float, float]]) -> xr.Dataset:
    """A collected mixture dataset at Gamma = 100 from {name: (m2, d1, d2)}, 2 % errors, x2 = 0.005."""
    from kineticflow.plasma.mixtures.diffusion import collect_mixture_diffusion

    runs = []
    for name, (m2, d1, d2) in values.items():
        mix = Mixture(name, 1, 1, 1, m2, 0.005)
        runs.append(xr.Dataset({"d_1": d1, "d_1_stderr": 0.02 * d1, "d_2": d2, "d_2_stderr": 0.02 * d2, "d_12": d2,
                                "d_12_stderr": 0.02 * d2, "gamma_measured": 100.0, "energy_drift": 0.001},
                               attrs={**mix.attrs(), "gamma": 100.0}))  # fmt: skip
    return collect_mixture_diffusion(runs)


def test_impurity_ratios_and_the_brownian_limit():
    d = _collected({"m2": (2.0, 0.010, 0.008), "m10": (10.0, 0.010, 0.006), "m100": (100.0, 0.010, 0.0058)})
    t = impurity_table(d).set_index("mixture")
    assert t.loc["m10", "d2_over_d1"] == pytest.approx(0.6)
    assert t.loc["m10", "d2_over_d1_stderr"] == pytest.approx(0.6 * math.hypot(0.02, 0.02))
    b = brownian_limit_table(d)
    assert len(b) == 1 and b.loc[0, "x2"] == 0.005
    assert b.loc[0, "ratio"] == pytest.approx(0.006 / 0.0058) and b.loc[0, "ratio_stderr"] == pytest.approx(
        0.006 / 0.0058 * math.hypot(0.02, 0.02)
    )
    assert len(brownian_limit_table(_collected({"m2": (2.0, 0.01, 0.008)}))) == 0  # one mass ratio: nothing to compare


def test_weak_coupling_points_are_picked_by_nominal_gamma():
    """A run at nominal Γ = 0.2 measured at 0.2002 is a weak-coupling point of the OCP (Γ ≤ 0.2)."""
    import xarray as xr

    from kineticflow.plasma.ocp.kinetic_theory import kinetic_theory, weak_coupling_table

    gam = [0.2, 2.0]
    diffusion = xr.Dataset(
        {
            "d_star": (("kappa", "gamma"), [[29.3, 0.77]]),
            "d_star_stderr": (("kappa", "gamma"), [[0.7, 0.006]]),
            "gamma_measured": (("kappa", "gamma"), [[0.200216, 2.00017]]),
        },
        coords={"kappa": [0.0], "gamma": gam},
    )
    theory = kinetic_theory(diffusion, n_curve=3)
    ce = theory["d_star_ce"].sel(kappa=0.0)
    assert np.isfinite(float(ce.sel(gamma=0.2))) and np.isnan(float(ce.sel(gamma=2.0)))
    table = weak_coupling_table(theory, diffusion)
    assert list(table["gamma"]) == [0.2]
