"""From counts to the symmetrised hologram: m-3m symmetrisation onto the (100) grid."""

from __future__ import annotations

import numpy as np
import pytest

from kineticflow.xfh import crystals as cr
from kineticflow.xfh import instrument as ins
from kineticflow.xfh import processing as pr
from kineticflow.xfh.kernels import hologram


def test_symmetrisation_leaves_a_symmetric_hologram_unchanged() -> None:
    """Binning the images g·v of a cubic-invariant χ equals binning χ computed at g·v directly."""
    v = cr.make_crystal("V", 3.03)
    k = float(cr.wavenumber(6.3))
    hkl = cr.reciprocal_lattice(v, 1.2 * 2 * k)
    f = cr.structure_factor_f(cr.structure_factor_s(v, hkl, 6.3), v.volume)
    s = ins.spiral_scan(80, 2, 3600, 20_000)
    d = ins.scan_directions(s, [1, 1, 1])
    grid = pr.SphereGrid(2.0)
    ops = pr.point_group_m3m()
    chi = hologram(f, cr.h_vectors(v, hkl), d, k, 0.01 * k, dtype=np.float64)
    sym, hits = pr.symmetrise(chi, d, ops, grid)
    images = np.vstack([d @ g.T for g in ops])
    chi_images = hologram(f, cr.h_vectors(v, hkl), images, k, 0.01 * k, dtype=np.float64)
    direct, hits2 = pr.symmetrise(chi_images, images, ops[:1], grid)
    np.testing.assert_array_equal(hits, hits2)
    np.testing.assert_allclose(sym, direct, rtol=1e-9, atol=1e-15)
    # a smooth cubic invariant x⁴+y⁴+z⁴ comes back at the cell centres (to the cell size)
    smooth, _ = pr.symmetrise(np.sum(d**4, axis=1), d, ops, grid)
    centre = np.sum(grid.directions() ** 4, axis=-1)
    assert np.max(np.abs(smooth - centre)[hits > 0]) < 0.03
    assert grid.solid_angle().sum() == pytest.approx(4 * np.pi)


def test_reference_subtraction_keeps_a_modulation_that_is_not_smooth_in_theta() -> None:
    """A cos(6 phi) pattern survives the polynomial-in-cos(theta) reference fit; its mean goes."""
    s = ins.spiral_scan(80, 2, 3600, 40_000)
    chi = 0.01 * np.cos(6 * s.azimuth)
    lam = ins.expected_counts(chi, s.polar, 1e6, 0.3)
    out = pr.subtract_reference(lam, s.polar, 4)
    np.testing.assert_allclose(out, chi, atol=2e-4)
