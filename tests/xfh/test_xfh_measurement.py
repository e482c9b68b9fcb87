"""XFH instrument, config checks and the branch's acceptance numbers (test config)."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest
import xarray as xr
import yaml
from conftest import ROOT, TEST_CONFIG

from kineticflow.config import ConfigError, fill_defaults, load_schema, validate_config
from kineticflow.xfh import crystals as cr
from kineticflow.xfh import measurement as ms
from kineticflow.xfh import pipeline as pl
from kineticflow.xfh.config import check_xfh
from kineticflow.xfh.kernels import hologram
from kineticflow.xfh.phases import phase_table

SCHEMA = ROOT / "workflow" / "schemas" / "config.schema.yaml"


def xfh_section(path: Any = TEST_CONFIG, **changes: Any) -> dict[str, Any]:
    cfg = {"xfh": copy.deepcopy(yaml.safe_load(open(path))["xfh"])}
    fill_defaults(cfg, load_schema(SCHEMA))
    return cfg["xfh"]


def test_spiral_scan_of_the_paper() -> None:
    s = ms.spiral_scan(80, 2, 3600, 320_000)
    assert s.duration == pytest.approx(40.0)  # "a full pattern of 3.2e5 pixels in about 40 s"
    assert s.dwell == pytest.approx(1.25e-4)
    assert np.degrees(s.polar).min() >= 0 and np.degrees(s.polar).max() <= 80
    turns = np.sum(np.diff(s.azimuth) < 0)
    assert turns == 399  # 3600°/s × 40 s = 400 turns, 0.2° of polar angle apart


def test_sample_rotation_and_covering_angle() -> None:
    r = ms.sample_rotation([1, 1, 1])
    np.testing.assert_allclose(r @ [0, 0, 1], np.ones(3) / np.sqrt(3), atol=1e-12)
    np.testing.assert_allclose(r.T @ r, np.eye(3), atol=1e-12)
    ops = ms.point_group_m3m()
    assert len(ops) == 48 and len({tuple(np.round(g.ravel())) for g in ops}) == 48
    need = np.degrees(np.arccos(1 / np.sqrt(3)))  # 54.74°: (001) is that far from every <111>
    for normal in ([1, 1, 1], [0, 0, 1]):
        assert ms.covering_polar_angle(normal, ops) == pytest.approx(need, abs=0.3)


def test_reference_subtraction_and_noise() -> None:
    s = ms.spiral_scan(80, 2, 3600, 20_000)
    lam = ms.expected_counts(np.zeros(20_000), s.polar, 1e4, 0.3)
    np.testing.assert_allclose(ms.subtract_reference(lam, s.polar, 4), 0.0, atol=1e-12)
    n1, n2 = ms.poisson_counts(lam, 7), ms.poisson_counts(lam, 7)
    np.testing.assert_array_equal(n1, n2)
    assert np.var(n1 - lam) / lam.mean() == pytest.approx(1.0, rel=0.05)


def test_symmetrisation_leaves_a_symmetric_hologram_unchanged() -> None:
    """Binning the images g·v of a cubic-invariant χ equals binning χ computed at g·v directly."""
    v = cr.make_crystal("V", 3.03)
    k = float(cr.wavenumber(6.3))
    hkl = cr.reciprocal_lattice(v, 1.2 * 2 * k)
    f = cr.structure_factor_f(cr.structure_factor_s(v, hkl, 6.3), v.volume)
    s = ms.spiral_scan(80, 2, 3600, 20_000)
    d = ms.unit_vectors(s.polar, s.azimuth) @ ms.sample_rotation([1, 1, 1]).T
    grid = ms.SphereGrid(2.0)
    ops = ms.point_group_m3m()
    chi = hologram(f, cr.h_vectors(v, hkl), d, k, 0.01 * k, dtype=np.float64)
    sym, hits = ms.symmetrise(chi, d, ops, grid)
    images = np.vstack([d @ g.T for g in ops])
    chi_images = hologram(f, cr.h_vectors(v, hkl), images, k, 0.01 * k, dtype=np.float64)
    direct, hits2 = ms.symmetrise(chi_images, images, ops[:1], grid)
    np.testing.assert_array_equal(hits, hits2)
    np.testing.assert_allclose(sym, direct, rtol=1e-9, atol=1e-15)
    # a smooth cubic invariant x⁴+y⁴+z⁴ comes back at the cell centres (to the cell size)
    smooth, _ = ms.symmetrise(np.sum(d**4, axis=1), d, ops, grid)
    centre = np.sum(grid.directions() ** 4, axis=-1)
    assert np.max(np.abs(smooth - centre)[hits > 0]) < 0.03
    assert grid.solid_angle().sum() == pytest.approx(4 * np.pi)


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (lambda x: x.update(run=["V", "NaCl"]), "xfh.run"),
        (lambda x: x["crystals"]["V"].update(energy_kev=5.0), "xfh.crystals.V.energy_kev"),
        (lambda x: x["scan"].update(polar_max_deg=40), "xfh.scan.polar_max_deg"),
    ],
)
def test_bad_input_is_one_line_naming_the_key(change: Any, key: str) -> None:
    section = xfh_section()
    change(section)
    with pytest.raises(ConfigError) as err:
        check_xfh(section)
    assert key in str(err.value) and "\n" not in str(err.value)


def test_schema_refuses_unknown_crystal() -> None:
    section = xfh_section()
    section["run"] = ["NaCl"]
    with pytest.raises(ConfigError, match="xfh.run"):
        validate_config({"xfh": section}, SCHEMA, {})


@pytest.fixture(scope="module")
def phases() -> dict[str, xr.Dataset]:
    section = xfh_section()
    return {
        name: phase_table(pl.reconstruct(pl.measure(pl.simulate(name, section), section), section))
        for name in section["run"]
    }


def test_v_positive_re_g_exactly_at_the_bragg_accessible_reflections(phases: dict[str, xr.Dataset]) -> None:
    ph = phases["V"]
    acc = ph["bragg_accessible"].values
    assert ph["miller"].values[acc].tolist() == [[1, 1, 0], [2, 0, 0], [2, 1, 1], [2, 2, 0]]
    assert np.all(ph["re_g"].values[acc] > 0)
    assert np.all(ph["re_g_background_subtracted"].values[acc] > 0)
    assert np.all(ph["sign_recovered"].values[acc] == ph["sign_true"].values[acc])
    assert ph.attrs["energy_kev"] == 6.3
    # beyond 2k (310, 222, ...) no peak: |Re G| below 10 % of the smallest accessible peak
    assert (~acc).sum() >= 1
    assert np.all(np.abs(ph["re_g"].values[~acc]) < 0.1 * ph["re_g"].values[acc].min())


def test_pbse_sign_recovery(phases: dict[str, xr.Dataset]) -> None:
    ph = phases["PbSe"]
    acc = ph["bragg_accessible"].values
    assert acc.sum() >= 50
    assert ph.attrs["sign_fraction_correct"] >= 0.9
    assert ph.attrs["sign_fraction_correct_noise_free"] >= 0.9
    s = ph["s_re"].values[acc]
    odd = np.mod(ph["miller"].values[acc], 2).sum(axis=1) == 3
    assert np.all(s[odd] < 0) and np.all(s[~odd] > 0)


def test_scale_fit_has_the_expected_sign(phases: dict[str, xr.Dataset]) -> None:
    """Re G = c a(h) Re F_h with c < 0 (−8π for ideal sampling; smaller after binning/subtraction)."""
    for ph in phases.values():
        assert -8 * np.pi * 1.2 < ph.attrs["scale"] < 0
        assert ph.attrs["scale_error"] < 0.2 * abs(ph.attrs["scale"])


def test_plane_map_quadrant_symmetry() -> None:
    """G on the (1−10) plane from the quadrant u, v ≥ 0 equals the direct evaluation everywhere."""
    from kineticflow.xfh.reconstruction import reconstruct_reciprocal

    v_cr = cr.make_crystal("V", 3.03)
    k = float(cr.wavenumber(6.3))
    hkl = cr.reciprocal_lattice(v_cr, 2 * k)
    grid = ms.SphereGrid(2.0)
    d = grid.directions().reshape(-1, 3)
    f = cr.structure_factor_f(cr.structure_factor_s(v_cr, hkl, 6.3), v_cr.volume)
    chi = hologram(f, cr.h_vectors(v_cr, hkl), d, k, 0.01 * k, dtype=np.float64)
    w = grid.solid_angle().ravel()
    u, v = np.linspace(-4, 4, 9), np.linspace(-3, 3, 7)
    g = pl.plane_map(chi, d, w, u, v, k, 0.01 * k, 10**6)
    uu, vv = np.meshgrid(u, v, indexing="ij")
    pts = uu.ravel()[:, None] * pl.PLANE_AXES[0] + vv.ravel()[:, None] * pl.PLANE_AXES[1]
    full = reconstruct_reciprocal(chi, d, w, pts, k, 0.01 * k, dtype=np.float64).reshape(uu.shape)
    np.testing.assert_allclose(g, full, rtol=0, atol=1e-4 * np.abs(full).max())
