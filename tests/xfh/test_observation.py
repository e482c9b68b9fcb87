"""A user's measured hologram: the contract, its readers, the round trips and the supported crystals."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import h5py
import numpy as np
import pytest
import xarray as xr
import yaml
from conftest import ROOT, TEST_CONFIG

from kineticflow.config import fill_defaults, load_schema
from kineticflow.xfh import crystals as cr
from kineticflow.xfh import steps
from kineticflow.xfh.cif import BUILTIN_SPACE_GROUPS, SUPPORTED_SPACE_GROUPS, crystal_from_cif, write_cif
from kineticflow.xfh.config import MeasureParams, ReconstructParams, SimulateParams, WaveParams
from kineticflow.xfh.observation import ObservationError, make_hologram, read_hologram, write_hologram
from kineticflow.xfh.observation_example import EXAMPLE_SECTION, grid_chi, write_example
from kineticflow.xfh.observation_measure import measured_from_observation, observation_from_simulation
from kineticflow.xfh.wave import wave_attrs


def xfh_section() -> dict[str, Any]:
    """The ``xfh`` section of the test config with the schema defaults."""
    cfg = {"xfh": copy.deepcopy(yaml.safe_load(open(TEST_CONFIG))["xfh"])}
    fill_defaults(cfg, load_schema(ROOT / "workflow" / "schemas" / "config.schema.yaml"))
    return cfg["xfh"]


SECTION = xfh_section()
MEAS = {"grid_step_deg": SECTION["measurement"]["grid_step_deg"], "reference_degree": 4}
EXAMPLE_FILE = ROOT / "resources" / "xfh_hologram_example.txt"
COMPARED = ("re_g", "im_g", "background", "re_g_plane", "im_g_plane", "u_real", "u_abs", "a_measured")


# The simulated path: the only calls into kineticflow.xfh.steps (the rule functions).
def _reconstruct(meas: xr.Dataset) -> xr.Dataset:
    return steps.reconstruct_hologram(meas, ReconstructParams.from_config(SECTION, meas.attrs["crystal"]))


def _wave_attrs(name: str, section: dict[str, Any]) -> dict[str, Any]:
    return wave_attrs(WaveParams(**WaveParams.wave_fields(section, name)), section["object_term"])


@pytest.fixture(scope="module")
def direct() -> dict[str, Any]:
    """The simulated path for V on the test config: hologram, measured, reconstruction, phases."""
    holo = steps.simulate_hologram(SimulateParams.from_config(SECTION, "V"))
    meas = steps.measure_hologram(holo, MeasureParams.from_config(SECTION))
    rec = _reconstruct(meas)
    obs = observation_from_simulation(holo, meas, SECTION["crystals"]["V"]["surface_normal"])
    return {"holo": holo, "meas": meas, "rec": rec, "phases": steps.fit_phases(rec), "obs": obs}


def _measured(obs: xr.Dataset, wave: dict[str, Any]) -> xr.Dataset:
    return measured_from_observation(obs, **MEAS, wave_attrs=wave)


def _assert_same(a: xr.Dataset, b: xr.Dataset, names: tuple[str, ...], rtol: float = 1e-12) -> None:
    for name in names:
        x, y = a[name].values, b[name].values
        np.testing.assert_allclose(y, x, rtol=rtol, atol=rtol * np.abs(x).max(), err_msg=name)


def test_contract_path_equals_the_measure_rule(direct: dict[str, Any]) -> None:
    """The simulated spiral as a contract, measured by the observation path: the rule's arrays."""
    meas = _measured(direct["obs"], dict(direct["meas"].attrs))
    for name in ("counts", "chi_measured", "chi_symmetrised", "hits", "solid_angle"):
        np.testing.assert_array_equal(meas[name].values, direct["meas"][name].values, err_msg=name)
    assert meas.attrs["k_r_inv_angstrom"] == direct["meas"].attrs["k_r_inv_angstrom"]


@pytest.mark.parametrize("fmt", ["netcdf", "hdf5", "text"])
def test_default_observation_round_trip(direct: dict[str, Any], fmt: str, tmp_path: Path) -> None:
    """The default simulated observation written and read back: the same reconstruction (1e-12)."""
    path = write_hologram(direct["obs"], tmp_path / f"obs.{ {'netcdf': 'nc', 'hdf5': 'h5', 'text': 'txt'}[fmt] }")
    obs = read_hologram(path)
    assert obs.attrs["reader"] == fmt and obs.attrs["layout"] == "scattered"
    assert len(obs.attrs["source_file_sha256"]) == 64
    for name in ("polar", "azimuth", "counts", "counts_stderr"):
        np.testing.assert_array_equal(obs[name].values, direct["obs"][name].values)
    rec = _reconstruct(_measured(obs, dict(direct["meas"].attrs)))
    _assert_same(direct["rec"], rec, COMPARED)


@pytest.fixture(scope="module")
def grid_obs() -> xr.Dataset:
    """χ of V on a regular 2° × 3° sample-frame grid (θ ≤ 80°), from the same χ as the simulation."""
    polar, azimuth = np.arange(1.0, 80.0, 2.0), np.arange(1.5, 360.0, 3.0)
    pp, aa = (x.ravel() for x in np.meshgrid(polar, azimuth, indexing="ij"))
    chi = grid_chi("V", SECTION, pp, aa)
    attrs = {"crystal": "V", "emitter": "V", "energy_kev": 6.3, "geometry": "inside_detector"}
    return make_hologram(pp, aa, {"chi": chi}, surface_normal=[1, 1, 1], layout="regular grid 40 x 120", **attrs)


@pytest.mark.parametrize("fmt", ["text", "hdf5", "netcdf"])
def test_regular_grid_round_trip(direct: dict[str, Any], grid_obs: xr.Dataset, fmt: str, tmp_path: Path) -> None:
    """A regular-grid χ hologram (text rows, HDF5 transposed matrix, netCDF) reads back to the same grid."""
    suffix = {"text": "txt", "hdf5": "h5", "netcdf": "nc"}[fmt]
    path = write_hologram(grid_obs, tmp_path / f"grid.{suffix}", grid=(40, 120) if fmt == "hdf5" else None)
    if fmt == "hdf5":
        with h5py.File(path) as h5:
            assert h5["chi"].shape == (120, 40)  # stored as (azimuth, polar): the other orientation
    obs = read_hologram(path)
    assert obs.attrs["layout"] == ("scattered" if fmt == "netcdf" else "regular grid 40 x 120")
    np.testing.assert_array_equal(obs["chi"].values, grid_obs["chi"].values)
    wave = dict(direct["meas"].attrs)
    _assert_same(_measured(grid_obs, wave), _measured(obs, wave), ("chi_measured", "chi_symmetrised", "hits"))


def test_netcdf_grid_in_either_orientation(grid_obs: xr.Dataset, tmp_path: Path) -> None:
    """A netCDF chi(azimuth, polar) with 1-D coordinate variables reads as the (polar, azimuth) grid."""
    chi = grid_obs["chi"].values.reshape(40, 120)
    ds = xr.Dataset(
        {"chi": (("phi", "theta"), chi.T)},
        coords={"theta": ("theta", np.arange(1.0, 80.0, 2.0), {"units": "degree"}), "phi": np.arange(1.5, 360.0, 3.0)},
        attrs={k: grid_obs.attrs[k] for k in ("crystal", "emitter", "energy_kev", "geometry", "surface_normal")},
    )
    ds.to_netcdf(tmp_path / "grid.nc")
    obs = read_hologram(tmp_path / "grid.nc", variables={"polar": "theta", "azimuth": "phi"})
    assert obs.attrs["layout"] == "regular grid 40 x 120"
    for name in ("polar", "azimuth", "chi"):
        np.testing.assert_array_equal(obs[name].values, grid_obs[name].values)


def test_azimuth_from_minus_180_is_normalised(grid_obs: xr.Dataset) -> None:
    phi = grid_obs["azimuth"].values
    shifted = make_hologram(
        grid_obs["polar"].values,
        np.where(phi >= 180, phi - 360, phi),
        {"chi": grid_obs["chi"].values},
        **{k: grid_obs.attrs[k] for k in ("crystal", "emitter", "energy_kev", "geometry", "surface_normal")},
    )
    np.testing.assert_allclose(shifted["azimuth"].values, phi, rtol=0, atol=1e-12)


def test_scattered_text_interpolated_onto_the_grid(direct: dict[str, Any], tmp_path: Path) -> None:
    """A third of the spiral's pixels, interpolated (linear) onto the 1° grid: the same sign pattern.

    Tolerance: the recovered sign of Re F_h equal at every Bragg-accessible family, and Re G within
    10 % of the direct path (linear interpolation smooths the sharp Kossel lines: ~5 % lower).
    """
    rng = np.random.default_rng(1)
    keep = np.sort(rng.choice(direct["obs"].sizes["pixel"], 20000, replace=False))
    path = write_hologram(direct["obs"].isel(pixel=keep), tmp_path / "scattered.txt")
    obs = read_hologram(path, interpolation="linear", grid_step_deg=1.0)
    assert "LinearNDInterpolator" in obs.attrs["regridding"] and obs.attrs["layout"] == "scattered"
    assert obs.sizes["pixel"] > 20000  # the grid cells inside the hull of the measured directions
    ph = steps.fit_phases(_reconstruct(_measured(obs, dict(direct["meas"].attrs))))
    ph0 = direct["phases"]
    acc = ph0["bragg_accessible"].values
    np.testing.assert_array_equal(ph["sign_recovered"].values[acc], ph0["sign_recovered"].values[acc])
    np.testing.assert_array_equal(ph["sign_recovered"].values[acc], ph0["sign_true"].values[acc])
    np.testing.assert_allclose(ph["re_g"].values[acc], ph0["re_g"].values[acc], rtol=0.1)
    nearest = read_hologram(path, interpolation="nearest", grid_step_deg=1.0)
    assert "nearest" in nearest.attrs["regridding"]
    assert np.isin(nearest["counts"].values, direct["obs"]["counts"].values[keep]).all()


def test_example_file_is_reproduced_and_reconstructs_v(tmp_path: Path) -> None:
    """resources/xfh_hologram_example.txt: its generator writes it again; V's signs come out right."""
    assert EXAMPLE_FILE.stat().st_size < 300_000
    again = read_hologram(write_example(tmp_path / "example.txt"))
    obs = read_hologram(EXAMPLE_FILE)
    assert obs.attrs["layout"] == "regular grid 32 x 144" and obs.attrs["crystal"] == "V"
    for name in ("polar", "azimuth"):
        np.testing.assert_array_equal(again[name].values, obs[name].values)
    # Poisson counts of the same seed; rtol for a last-digit change of χ on another machine
    np.testing.assert_allclose(again["counts"].values, obs["counts"].values, rtol=1e-5)
    wave = _wave_attrs("V", {**SECTION, **EXAMPLE_SECTION})
    meas = measured_from_observation(obs, grid_step_deg=2.5, reference_degree=4, wave_attrs=wave)
    ph = steps.fit_phases(_reconstruct(meas))
    acc = ph["bragg_accessible"].values
    assert ph["miller"].values[acc].tolist() == [[1, 1, 0], [2, 0, 0], [2, 1, 1], [2, 2, 0]]
    np.testing.assert_array_equal(ph["sign_recovered"].values[acc], ph["sign_true"].values[acc])


def test_observation_must_match_the_configured_wave(direct: dict[str, Any]) -> None:
    wave = dict(direct["meas"].attrs, energy_kev=7.0)
    with pytest.raises(ObservationError, match=r"hologram: attribute 'energy_kev': 6.3 keV; expected 7 keV"):
        _measured(direct["obs"], wave)


# --- bad files: one line naming the file and the variable -------------------------------------------


def _h5(path: Path, **datasets: Any) -> Path:
    with h5py.File(path, "w") as h5:
        for name, (data, units) in datasets.items():
            h5.create_dataset(name, data=data).attrs["units"] = units
        h5.attrs.update(crystal="V", emitter="V", energy_kev=6.3, geometry="inside_detector", surface_normal=[1, 1, 1])
    return path


ANG = np.array([10.0, 20.0, 30.0])


@pytest.mark.parametrize(
    ("datasets", "variable", "expected"),
    [
        ({"polar": (ANG, "degree"), "counts": (ANG, "count")}, "'azimuth' (azimuth)", "a numeric dataset"),
        ({"polar": (ANG, "degree"), "azimuth": (ANG, "degree")}, "'counts' or 'chi'", "exactly one of counts or chi"),
        ({"polar": (ANG, "grad"), "azimuth": (ANG, "grad"), "counts": (ANG, "count")}, "polar", "one of degree"),
        ({"polar": (ANG + 170, "degree"), "azimuth": (ANG, "degree"), "counts": (ANG, "count")}, "polar", "0 <= theta"),
        (
            {"polar": (ANG, "degree"), "azimuth": (ANG + 340, "degree"), "counts": (ANG, "count")},
            "azimuth",
            "phi < 360",
        ),
        ({"polar": (ANG, "degree"), "azimuth": (ANG, "degree"), "counts": (-ANG, "count")}, "counts", ">= 0"),
        ({"polar": (ANG, "degree"), "azimuth": (ANG, "degree"), "counts": (ANG[:2], "count")}, "counts", "one value"),
        (
            {
                "polar": (ANG, "degree"),
                "azimuth": (ANG, "degree"),
                "counts": (ANG, "count"),
                "counts_stderr": (0 * ANG, "count"),
            },
            "counts_stderr",
            "> 0",
        ),
    ],
)
def test_bad_hdf5_is_one_line(tmp_path: Path, datasets: dict[str, Any], variable: str, expected: str) -> None:
    path = _h5(tmp_path / "bad.h5", **datasets)
    with pytest.raises(ObservationError) as err:
        read_hologram(path)
    msg = str(err.value)
    assert "\n" not in msg and msg.startswith(f"{path}: {variable}") and expected in msg, msg


@pytest.mark.parametrize(
    ("text", "variable", "expected"),
    [
        ("theta_deg, phi_deg, counts\n190, 10, 5\n", "'theta_deg' (polar)", "0 <= theta <= 180"),
        ("theta_deg, phi_deg, counts\n10, 10, 5\n11, 12\n", "line 8", "3 columns"),
        ("theta_deg, psi_deg, counts\n10, 10, 5\n", "column 'psi_deg'", "one of"),
        ("theta_deg, counts\n10, 5\n", "column azimuth", "columns theta_deg, phi_deg"),
        ("theta_deg, phi_deg, counts\n10, 10, x\n", "line 7", "numbers"),
    ],
)
def test_bad_text_is_one_line(tmp_path: Path, text: str, variable: str, expected: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_text("# crystal: V\n# emitter: V\n# energy_kev: 6.3\n# geometry: inside_detector\n"
                    "# surface_normal: 1 1 1\n" + text)  # fmt: skip
    with pytest.raises(ObservationError) as err:
        read_hologram(path)
    msg = str(err.value)
    assert "\n" not in msg and msg.startswith(f"{path}: {variable}") and expected in msg, msg


def test_missing_attribute_and_geometry_are_one_line(tmp_path: Path) -> None:
    path = tmp_path / "noattrs.txt"
    path.write_text("theta_deg, phi_deg, counts\n10, 10, 5\n20, 30, 6\n")
    with pytest.raises(ObservationError, match=r"noattrs.txt: attribute 'crystal': missing"):
        read_hologram(path)
    with pytest.raises(ObservationError, match=r"attribute 'geometry': 'inside'; expected one of inside_source"):
        read_hologram(path, crystal="V", emitter="V", energy_kev=6.3, geometry="inside", surface_normal=[0, 0, 1])
    obs = read_hologram(
        path, crystal="V", emitter="V", energy_kev=6.3, geometry="inside_source", surface_normal="0 0 1"
    )
    assert obs.attrs["surface_normal"] == [0.0, 0.0, 1.0] and obs.sizes["pixel"] == 2


def test_radians_are_converted(tmp_path: Path) -> None:
    path = tmp_path / "rad.txt"
    path.write_text("theta_rad phi_rad chi\n0.5 1.0 0.01\n1.0 -1.0 -0.02\n")
    obs = read_hologram(
        path, crystal="V", emitter="V", energy_kev=6.3, geometry="inside_source", surface_normal=[0, 0, 1]
    )
    np.testing.assert_allclose(obs["polar"].values, np.degrees([0.5, 1.0]))
    np.testing.assert_allclose(obs["azimuth"].values, [np.degrees(1.0), 360 - np.degrees(1.0)])


# --- crystals: the built-ins as CIF, the supported space groups, refusals ----------------------------


@pytest.mark.parametrize("name", ["V", "PbSe"])
def test_builtin_crystal_through_cif(name: str, tmp_path: Path) -> None:
    """A CIF of a built-in crystal gives its lattice and structure factors (1e-12)."""
    a = SECTION["crystals"][name]["lattice_constant"]
    builtin = cr.make_crystal(name, a)
    assert BUILTIN_SPACE_GROUPS[name] in SUPPORTED_SPACE_GROUPS
    crystal = crystal_from_cif(
        write_cif(builtin, BUILTIN_SPACE_GROUPS[name], tmp_path / f"{name}.cif"), builtin.emitter
    )
    hkl = cr.reciprocal_lattice(builtin, 12.0)
    np.testing.assert_array_equal(cr.reciprocal_lattice(crystal, 12.0), hkl)
    s0, s1 = (cr.structure_factor_s(c, hkl, 12.0) for c in (builtin, crystal))
    np.testing.assert_allclose(s1, s0, rtol=1e-12, atol=1e-12 * np.abs(s0).max())


def test_asymmetric_unit_cif_with_the_emitter_off_the_origin(tmp_path: Path) -> None:
    """PbSe given by its two Wyckoff sites, Pb at the origin: Se is moved there (emitter)."""
    path = tmp_path / "pbse.cif"
    path.write_text(_cif("F m -3 m", 225, "6.12(1)", "Pb1 Pb2+ 0 0 0 1\nSe1 Se2- 0.5 0.5 0.5 1.0"))
    crystal = crystal_from_cif(path, emitter="Se")
    builtin = cr.make_crystal("PbSe", 6.12)
    assert crystal.a == 6.12 and crystal.emitter == "Se" and crystal.sites[0] == ("Se", (0.0, 0.0, 0.0))
    assert len(crystal.sites) == 8 and crystal.centring == builtin.centring
    hkl = cr.reciprocal_lattice(builtin, 10.0)
    np.testing.assert_allclose(
        cr.structure_factor_s(crystal, hkl, 12.0), cr.structure_factor_s(builtin, hkl, 12.0), rtol=1e-12, atol=1e-10
    )


def _cif(hm: str, number: int, a: str, sites: str, b: str | None = None, gamma: str = "90") -> str:
    return (
        f"data_test\n_cell_length_a {a}\n_cell_length_b {b or a}\n_cell_length_c {a}\n_cell_angle_alpha 90\n"
        f"_cell_angle_beta 90\n_cell_angle_gamma {gamma}\n_symmetry_space_group_name_H-M '{hm}'\n"
        f"_space_group_IT_number {number}\nloop_\n_atom_site_label\n_atom_site_type_symbol\n_atom_site_fract_x\n"
        f"_atom_site_fract_y\n_atom_site_fract_z\n_atom_site_occupancy\n{sites}\n"
    )


@pytest.mark.parametrize(
    ("cif", "emitter", "variable", "expected"),
    [
        (
            _cif("F d -3 m", 227, "5.43", "Si1 Si 0 0 0 1"),
            None,
            "space group",
            "one of 221 Pm-3m, 225 Fm-3m, 229 Im-3m",
        ),
        (_cif("P 4/m m m", 123, "3.0", "Fe1 Fe 0 0 0 1", b="3.0"), None, "space group", "one of 221"),
        (_cif("I m -3 m", 229, "3.03", "V1 V 0 0 0 1", b="3.1"), None, "_cell_length_b", "a cubic cell"),
        (_cif("I m -3 m", 229, "3.03", "V1 V 0 0 0 1", gamma="120"), None, "_cell_angle_gamma", "90 degrees"),
        (_cif("F m -3 m", 225, "5.6", "Cu1 Cu 0 0 0 0.5"), None, "_atom_site_occupancy", "full occupancy"),
        (_cif("P m -3 m", 221, "3.9", "Ti1 Ti 0.5 0.5 0.5 1\nO1 O 0 0.5 0.5 1"), "O", "_atom_site_fract_x", "m-3m"),
        (_cif("P m -3 m", 221, "4.1", "Cs1 Cs 0 0 0 1\nCl1 Cl .5 .5 .5 1"), "Br", "_atom_site_type_symbol", "emitter"),
    ],
)
def test_unsupported_crystal_is_refused_in_one_line(
    tmp_path: Path, cif: str, emitter: str | None, variable: str, expected: str
) -> None:
    path = tmp_path / "bad.cif"
    path.write_text(cif)
    with pytest.raises(ObservationError) as err:
        crystal_from_cif(path, emitter)
    msg = str(err.value)
    assert "\n" not in msg and msg.startswith(f"{path}: {variable}") and expected in msg, msg
