"""Measured observations: readers and writers of each format, units, the contract, bad files, the example."""

from __future__ import annotations

import hashlib

import h5py
import numpy as np
import pytest
from conftest import ROOT

from kineticflow.core.attrs import check_registered
from kineticflow.core.io import DataFileError
from kineticflow.core.svd import weighted_svd
from kineticflow.trxs.global_fit import global_fit
from kineticflow.trxs.observation import ObservationError, make_observation, read_observation, write_observation
from kineticflow.trxs.observation_example import simulate_example, write_example

EXAMPLE = ROOT / "resources" / "trxs_observed_example.txt"
PUBLISHED = {"q": "q", "tau": "delay_ns", "delta_s": "I", "sigma": "sigma"}  # names of published T-jump sets

# (format, file name, writer keywords, reader keywords)
FORMATS = [
    ("text", "obs.txt", {}, {}),
    ("text", "obs.csv", {"companion": True}, {}),
    ("hdf5", "obs.h5", {}, {}),
    ("mat", "obs.mat", {"variables": PUBLISHED}, {"variables": PUBLISHED}),
    ("netcdf", "obs.nc", {}, {}),
]


@pytest.fixture(scope="module")
def small():
    return simulate_example(n_q=24, n_tau=16, seed=11)


def fit(ds):
    return global_fit(ds, [20.0, 500.0], fwhm_ps=100.0, jitter=0.2)


@pytest.mark.parametrize(("fmt", "name", "wkw", "rkw"), FORMATS)
def test_round_trip_gives_the_same_arrays_svd_and_fit(tmp_path, small, fmt, name, wkw, rkw):
    path = write_observation(small, tmp_path / name, fmt, **wkw)
    back = read_observation(path, fmt, **rkw)
    for v in ("q", "tau", "delta_s", "sigma"):
        np.testing.assert_array_equal(back[v].values, small[v].values)
    assert back["delta_s"].dims == ("q", "tau")
    s0, s1 = weighted_svd(small["delta_s"], small["sigma"]), weighted_svd(back["delta_s"], back["sigma"])
    np.testing.assert_allclose(s1["singular_value"].values, s0["singular_value"].values, rtol=1e-12)
    f0, f1 = fit(small), fit(back)
    np.testing.assert_allclose(f1["time_constant"].values, f0["time_constant"].values, rtol=1e-12)
    np.testing.assert_allclose(f1["das"].values, f0["das"].values, rtol=1e-12)
    assert back.attrs["source_file"] == str(path)
    assert back.attrs["source_file_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert back.attrs["reader"] == ("hdf5" if fmt == "mat" else fmt)
    assert (back.attrs["q_unit_read"], back.attrs["delay_unit_read"]) == ("1/angstrom", "ps")
    check_registered(back, str(path))


@pytest.mark.parametrize(("fmt", "name"), [("text", "obs.dat"), ("hdf5", "obs.h5"), ("mat", "obs.mat")])
def test_units_are_converted_and_recorded(tmp_path, small, fmt, name):
    path = write_observation(small, tmp_path / name, fmt, q_unit="1/nm", delay_unit="ns")
    back = read_observation(path, fmt, q_unit="1/nm", delay_unit="ns")
    np.testing.assert_allclose(back["q"].values, small["q"].values, rtol=1e-15)
    np.testing.assert_allclose(back["tau"].values, small["tau"].values, rtol=1e-15, atol=1e-12)
    assert (back.attrs["q_unit_read"], back.attrs["delay_unit_read"]) == ("1/nm", "ns")
    assert back["q"].attrs["units"] == "1/angstrom" and back["tau"].attrs["units"] == "ps"


def write(tmp_path, text, name="data.txt"):
    path = tmp_path / name
    path.write_text(text)
    return path


SIGMA_BLOCK = "sigma 1 2 3\n0.5 .1 .1 .1\n1.0 .1 .1 .1\n"


def test_text_layouts_labels_comments_and_separators(tmp_path):
    labelled = "# ID09-style header\nq, -100ps, 1ns, 10us  # delays with units\n0.5, 1, 2, 3\n1.0, 4, 5, 6\n\n"
    labelled += "sigma, -100ps, 1ns, 10us\n0.5, .1, .1, .1\n1.0, .2, .2, .2\n"
    ds = read_observation(write(tmp_path, labelled, "a.csv"), "csv")
    np.testing.assert_array_equal(ds["tau"].values, [-100.0, 1000.0, 1e7])
    np.testing.assert_array_equal(ds["delta_s"].values, [[1, 2, 3], [4, 5, 6]])
    assert ds.attrs["delay_unit_read"] == "ns,ps,us"
    # white space and tabs, no corner cell, a σ block whose header repeats the delays
    plain = "# no corner\n-1\t0\t2.5\n0.5  1 2\t3\n1.0 4 5 6\n-1 0 2.5\n0.5 .1 .1 .1\n1.0 .1 .1 .1\n"
    ds = read_observation(write(tmp_path, plain), "text", delay_unit="us")
    np.testing.assert_array_equal(ds["tau"].values, [-1e6, 0.0, 2.5e6])
    np.testing.assert_array_equal(ds["sigma"].values, np.full((2, 3), 0.1))
    # a companion file of another name; a decreasing q axis is reversed
    write(tmp_path, SIGMA_BLOCK.replace("0.5", "X").replace("1.0", "0.5").replace("X", "1.0"), "err.txt")
    ds = read_observation(
        write(tmp_path, "q 1 2 3\n1.0 4 5 6\n0.5 1 2 3\n", "b.txt"), "text", variables={"sigma": "err.txt"}
    )
    np.testing.assert_array_equal(ds["q"].values, [0.5, 1.0])
    np.testing.assert_array_equal(ds["delta_s"].values, [[1, 2, 3], [4, 5, 6]])
    assert ds.attrs["sigma_file"].endswith("err.txt")
    # Latin-1 with a byte-order-free "µs" label, as some Windows tools write
    (tmp_path / "latin.txt").write_bytes("q 1µs 2µs\n0.5 1 2\nsigma 1µs 2µs\n0.5 .1 .1\n".encode("latin-1"))
    np.testing.assert_array_equal(read_observation(tmp_path / "latin.txt", "text")["tau"].values, [1e6, 2e6])


def published_mat(tmp_path, n_q=5, n_tau=5, q_shape=None, sigma=None):
    """A MATLAB v7.3 file as MATLAB writes it: the transposes, a 1 x n q, delays in ns."""
    ds = simulate_example(n_q=n_q, n_tau=max(n_tau, 8), seed=2).isel(tau=slice(0, n_tau))
    path = write_observation(ds, tmp_path / "tjump.mat", "mat", variables=PUBLISHED, delay_unit="ns")
    if q_shape or sigma is not None:
        with h5py.File(path, "r+") as h5:
            if q_shape:
                data = h5["q"][()].reshape(q_shape)
                del h5["q"]
                h5["q"] = data
            if sigma is not None:
                del h5["sigma"]
                h5["sigma"] = sigma
    return path, ds


def test_matlab_orientation_square_and_singleton_dimensions(tmp_path):
    path, ds = published_mat(tmp_path, q_shape=(5,))  # square 5 x 5: MATLAB rows are q
    back = read_observation(path, "mat", variables=PUBLISHED, delay_unit="ns")
    np.testing.assert_allclose(back["delta_s"].values, ds["delta_s"].values, rtol=1e-15)
    with h5py.File(path) as h5:
        assert h5["I"].shape == (5, 5) and h5["delay_ns"].shape == (1, 5)
    path, ds = published_mat(tmp_path, n_tau=1)  # one delay: ΔS is a vector
    back = read_observation(path, "hdf5", variables=PUBLISHED, delay_unit="ns")
    assert back.sizes == {"q": 5, "tau": 1}
    np.testing.assert_allclose(back["delta_s"].values, ds["delta_s"].values, rtol=1e-15)


def one_line_error(path, variable, **kw):
    with pytest.raises(ObservationError) as info:
        read_observation(path, **kw)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ") and variable in message and "expected" in message, message
    return message


BAD_TEXT = {
    "non-monotonic q": ("q 1 2 3\n0.5 1 2 3\n1.5 1 2 3\n1.0 1 2 3\n" + SIGMA_BLOCK, "q"),
    "non-monotonic delays": ("q 1 3 2\n0.5 1 2 3\n1.0 1 2 3\nsigma 1 3 2\n0.5 .1 .1 .1\n1.0 .1 .1 .1\n", "tau"),
    "repeated delays": ("q 1 2 2\n0.5 1 2 3\n1.0 1 2 3\nsigma 1 2 2\n0.5 .1 .1 .1\n1.0 .1 .1 .1\n", "tau"),
    "NaN in delta_s": ("q 1 2 3\n0.5 1 nan 3\n1.0 1 2 3\n" + SIGMA_BLOCK, "delta_s"),
    "sigma <= 0": ("q 1 2 3\n0.5 1 2 3\n1.0 1 2 3\nsigma 1 2 3\n0.5 .1 0 .1\n1.0 .1 .1 .1\n", "sigma"),
    "ragged row": ("q 1 2 3\n0.5 1 2 3\n1.0 1 2\n" + SIGMA_BLOCK, "delta_s"),
    "not a number": ("q 1 2 3\n0.5 1 2 3\n1.0 1 abc 3\n" + SIGMA_BLOCK, "delta_s"),
    "shapes of the blocks": ("q 1 2 3\n0.5 1 2 3\n" + SIGMA_BLOCK, "sigma"),
    "no sigma": ("q 1 2 3\n0.5 1 2 3\n", "sigma"),
    "delay label unit": ("q 1ps 2ps 5min\n0.5 1 2 3\nsigma 1ps 2ps 5min\n0.5 .1 .1 .1\n", "tau"),
    "sigma delays": ("q 1 2 4\n0.5 1 2 3\n1.0 1 2 3\n" + SIGMA_BLOCK, "sigma"),
    "bad label": ("q 1 2 x3\n0.5 1 2 3\n" + SIGMA_BLOCK, "tau"),
}


@pytest.mark.parametrize("case", sorted(BAD_TEXT))
def test_bad_text_files_raise_one_line(tmp_path, case):
    text, variable = BAD_TEXT[case]
    one_line_error(write(tmp_path, text), variable, format="text")


def test_unknown_units_and_formats_raise_one_line(tmp_path, small):
    path = write_observation(small, tmp_path / "ok.txt", "text")
    one_line_error(path, "q", format="text", q_unit="1/m")
    one_line_error(path, "tau", format="text", delay_unit="min")
    one_line_error(path, "format", format="xlsx")
    one_line_error(tmp_path / "missing.txt", "file", format="text")
    assert issubclass(ObservationError, DataFileError)


def test_bad_hdf5_and_netcdf_files_raise_one_line(tmp_path, small):
    path, _ = published_mat(tmp_path)
    message = one_line_error(path, "'intensity' (delta_s)", variables={**PUBLISHED, "delta_s": "intensity"})
    assert "found: I, delay_ns, q, sigma" in message
    path, _ = published_mat(tmp_path, sigma=np.ones((3, 5)))
    one_line_error(path, "'sigma' (sigma)", variables=PUBLISHED, delay_unit="ns")
    path, _ = published_mat(tmp_path, sigma=-np.ones((5, 5)))
    assert "sigma: 25 value(s) <= 0" in one_line_error(path, "sigma", variables=PUBLISHED, delay_unit="ns")
    not_hdf5 = write(tmp_path, "q 1 2\n", "fake.h5")
    one_line_error(not_hdf5, "file")
    nc = write_observation(small, tmp_path / "obs.nc", "netcdf")
    one_line_error(nc, "'dS' (delta_s)", variables={"delta_s": "dS"})


def test_make_observation_checks_and_registers():
    q, tau = np.array([0.5, 1.0]), np.array([-10.0, 0.0, 100.0])
    ds = make_observation(q, tau, np.zeros((2, 3)), np.ones((2, 3)), sample="s")
    check_registered(ds, "contract")
    assert ds["delta_s"].dims == ("q", "tau") and ds.attrs["reader"] == "simulated"
    with pytest.raises(ObservationError, match=r"observation: sigma: .*expected sigma > 0"):
        make_observation(q, tau, np.zeros((2, 3)), np.zeros((2, 3)), sample="s")
    with pytest.raises(ObservationError, match=r"delta_s: shape \(3, 2\); expected"):
        make_observation(q, tau, np.zeros((3, 2)), np.ones((2, 3)), sample="s")


def test_shipped_example_is_regenerated_byte_for_byte(tmp_path):
    write_example(tmp_path / "example.txt")
    assert (tmp_path / "example.txt").read_bytes() == EXAMPLE.read_bytes()
    assert EXAMPLE.stat().st_size < 300_000


def test_shipped_example_gives_back_its_truth():
    obs = read_observation(EXAMPLE, "text")
    assert obs.sizes == {"q": 200, "tau": 40} and (obs["tau"] < 0).sum() == 3
    assert int(weighted_svd(obs["delta_s"], obs["sigma"])["n_significant"]) == 3  # two exponentials + offset
    result = global_fit(obs, [20.0, 500.0], fwhm_ps=100.0, jitter=0.2, fit_t0=True)
    truth = np.array([50.0, 2000.0])
    assert np.all(np.abs(result["time_constant"].values - truth) < 3 * result["time_constant_stderr"].values)
    assert abs(float(result["t0"])) < 3 * float(result["t0_stderr"])
    assert 0.8 < float(result["chi2_reduced"]) < 1.2
