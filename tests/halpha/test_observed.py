"""The observed path at the steps level: the simulated observation written in every format and read
back gives the simulated path's results; the shipped example's injected flows come out; no truth.

The round trip (issue 25's acceptance): the simulated observation (the default configuration with the
small raster and flare of config/test.yaml, on the analytic grid of test_pipeline.py, no Lightweaver;
the default raster takes minutes on a shared machine and tests nothing more) is written as netCDF, as a FITS raster and as a
FITS imaging cube, read by rule ``read_halpha_observation``'s step and analysed by the observed
rules' steps; every diagnostic, every recovered number and the decay fits equal the simulated
path's to 1e-12 (relative). The HXR correlations need the light curve: the observed path
interpolates a sampled curve (``hxr_curve.rate_at``), the simulation evaluates its formula, so they
are compared between formats to 1e-12 and with the simulation to the sampling.
"""

from __future__ import annotations

import copy
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml
from conftest import ROOT

from kineticflow.core.attrs import check_registered, dim_attrs
from kineticflow.core.io import write_dataset, write_text
from kineticflow.halpha import lines, measure, steps, timing
from kineticflow.halpha import observation_example as example
from kineticflow.halpha.config import Params
from kineticflow.halpha.fits_writers import write_fits_cube, write_fits_raster
from kineticflow.halpha.observed_config import HxrFile, Observation, ObservedKernel, Quiet

#: Columns of recovered.csv computed from the observation (the rest is truth, or the HXR rate).
MEASURED = (
    "t_s",
    "v_bisector_kms",
    "v_recovered_kms",
    "p0_calibration",
    "f20_calibration",
    "v_noise_free_kms",
    "p0_recovered",
    "f20_recovered",
    "wing_extent_a",
    "reversal_depth",
    "line_centre",
)
WRITERS = {
    "netcdf": lambda obs, tmp: [write_dataset(obs, tmp / "observed.nc")],
    "fits_raster": lambda obs, tmp: write_fits_raster(obs, tmp / "raster.fits"),
    "fits_raster_per_scan": lambda obs, tmp: write_fits_raster(obs, tmp / "raster_{scan:02d}.fits", split_scans=True),
    "fits_cube": lambda obs, tmp: [write_fits_cube(obs, tmp / "cube.fits")],
}


def analytic_grid() -> xr.Dataset:
    """The analytic P0 x F20 grid of test_pipeline.py (NLTE shapes without Lightweaver)."""
    dl = np.arange(-140, 141) * 0.05
    quiet = 1.0 - 0.83 * np.exp(-((dl / 0.6) ** 2)) - 0.1 / (1 + (dl / 2.0) ** 2)
    p0 = np.array([3.0, 30.0, 300.0, 3000.0])
    f20 = np.array([1e8, 1e10, 1e11])
    inten = np.empty((p0.size, f20.size, dl.size))
    for i, p in enumerate(p0):
        for j, f in enumerate(f20):
            core = 0.4 + 0.9 * np.log10(p)
            reversal = max(0.0, 0.6 - 0.25 * np.log10(p))
            wing = 0.1 * (f / 1e9) ** 0.5
            inten[i, j] = (
                quiet
                + core * np.exp(-((dl / 0.7) ** 2)) * (1 - reversal * np.exp(-((dl / 0.25) ** 2)))
                + wing / (1 + (dl / 1.5) ** 2)
            )
    return xr.Dataset(
        {"intensity": (("p0", "f20", "wavelength"), inten), "quiet_intensity": ("wavelength", quiet)},
        coords={
            "p0": p0,
            "f20": f20,
            "wavelength": ("wavelength", lines.HALPHA_AIR_A + dl, dim_attrs("wavelength")),
            "delta_wavelength": ("wavelength", dl, {"units": "angstrom", "long_name": "offset from Halpha"}),
        },
    )


def observation_of(p: Params, fmt: str) -> Observation:
    """The configured observation of the simulation: its kernels and episodes, the file already in I_c."""
    kernels = tuple(ObservedKernel(k.name, k.y, k.x, k.episodes.times_s) for k in p.flare.kernels)
    return Observation(name="sim", paths=(), format=fmt, kernels=kernels, hxr=HxrFile("hxr.csv"))


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    """The simulated path on the default config with the test raster, and the HXR light curve written as a CSV file."""
    section = copy.deepcopy(yaml.safe_load((ROOT / "config" / "config.yaml").read_text())["halpha"])
    small = yaml.safe_load((ROOT / "config" / "test.yaml").read_text())["halpha"]
    section["scan"].update(small["scan"])
    section["flare"] = small["flare"]
    p = Params.from_config(section)
    grid = analytic_grid()
    truth = steps.simulate_flare(grid, flare=p.flare, scan=p.scan)
    obs = steps.observe_slit_scan(truth, instrument=p.instrument, scan=p.scan, seed=p.seed)
    diag = steps.measure_lines(obs, truth, measure=p.measure, tracked=p.flare.tracked, seed=p.seed)
    table, fits, _ = steps.infer_parameters(diag, truth, grid, measure=p.measure, flare=p.flare)
    csv = tmp_path_factory.mktemp("hxr") / "hxr.csv"
    frame = pd.DataFrame({"time_s": truth["time"].values, "rate": truth["hxr_rate"].values})
    write_text(frame.to_csv(index=False, float_format="%.17g"), csv)
    hxr = steps.read_halpha_hxr(csv, obs, observation=observation_of(p, "netcdf"))
    return p, grid, obs, diag, table, fits, hxr


def observed_path(p, grid, obs, hxr):
    """The observed rules' steps on an observation (already read)."""
    observation = observation_of(p, str(obs.attrs["reader"]))
    diag = steps.measure_observed_lines(obs, measure=p.measure, observation=observation)
    table, fits, fits_table = steps.infer_observed_parameters(
        diag, grid, hxr, measure=p.measure, observation=observation
    )
    return diag, table, fits, fits_table


@pytest.fixture(scope="module")
def in_memory(simulated):
    p, grid, obs, *_, hxr = simulated
    return observed_path(p, grid, obs, hxr)


def assert_close(a, b, what):
    np.testing.assert_allclose(np.asarray(a, float), np.asarray(b, float), rtol=1e-12, atol=0, err_msg=what)


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_round_trip_gives_the_simulated_paths_results(simulated, in_memory, tmp_path, fmt):
    p, grid, obs, sim_diag, sim_table, sim_fits, hxr = simulated
    paths = WRITERS[fmt](obs, tmp_path)
    reader = "fits_raster" if fmt.startswith("fits_raster") else fmt
    back = steps.read_halpha_observation(paths, observation=observation_of(p, reader))
    assert back.attrs["reader"] == reader and len(back.attrs["source_file_sha256"].split(";")) == len(paths)
    diag, table, fits, fits_table = observed_path(p, grid, back, hxr)
    # every diagnostic of the simulated path (the deconvolution error needs the truth)
    for name in sim_diag.data_vars:
        if name != "deconvolution_error":
            assert_close(diag[name].values, sim_diag[name].values, f"{fmt}: diagnostics {name}")
    assert np.all(np.isnan(diag["deconvolution_error"].values)) and "note" in diag["deconvolution_error"].attrs
    # recovered.csv: the simulated rows (kernel pixels) are among the observed ones (flare pixels)
    assert list(table.columns) == list(sim_table.columns)
    merged = sim_table.merge(table, on=["y", "x", "scan"], suffixes=("_sim", "_obs"))
    assert len(merged) == len(sim_table)
    for col in MEASURED:
        assert_close(merged[f"{col}_obs"], merged[f"{col}_sim"], f"{fmt}: recovered {col}")
    for col in ("v_true_kms", "p0_true", "f20_true"):
        assert table[col].isna().all()
    # decay fits of the tracked pixels: the same rows, the same fits
    for name in ("tau_fit", "tau_stderr", "tau_fit_bisector", "tau_stderr_bisector"):
        assert_close(fits[name].values, sim_fits[name].values, f"{fmt}: fits {name}")
    kernel = np.isfinite(sim_fits["velocity_recovered"].values)  # the map: kernel pixels of the simulation
    assert_close(fits["velocity_recovered"].values[kernel], sim_fits["velocity_recovered"].values[kernel], "map")
    assert np.all(np.isnan(fits["tau_true"].values)) and "note" in fits["tau_true"].attrs
    # the HXR correlations: the same in every format; the sampled curve vs the simulated formula
    _, mem_table, mem_fits, _ = in_memory
    for name in ("r_zero_lag", "best_lag", "r_best"):
        assert_close(fits[name].values, mem_fits[name].values, f"{fmt}: {name}")
    np.testing.assert_allclose(fits["r_best"].values, sim_fits["r_best"].values, atol=0.02)
    assert_close(table["hxr_rate"], mem_table["hxr_rate"], f"{fmt}: hxr_rate")
    for ds, name in ((back, "observed"), (diag, "diagnostics"), (fits, "fits")):
        check_registered(ds, name)
    assert fits.attrs["reader"] == reader and set(fits_table.kind) == set(timing.fits_table(sim_fits).kind)


def test_a_file_without_noise_free_intensity_has_no_self_check(simulated, tmp_path):
    p, grid, obs, sim_diag, *_ = simulated
    bare = obs.drop_vars(["counts", "expected_intensity"])
    back = steps.read_halpha_observation(
        WRITERS["fits_raster"](bare, tmp_path), observation=observation_of(p, "fits_raster")
    )
    diag = steps.measure_observed_lines(back, measure=p.measure, observation=observation_of(p, "fits_raster"))
    assert np.all(np.isnan(diag["velocity_noise_free"].values)) and "note" in diag["velocity_noise_free"].attrs
    assert_close(diag["velocity"].values, sim_diag["velocity"].values, "velocity")
    assert set(measure.MAY_BE_NAN_OBSERVED) >= {"velocity_noise_free", "deconvolution_error"}


@pytest.fixture(scope="module")
def shipped(simulated):
    """The shipped example raster and light curve through the observed steps (quiet reference: scan 0)."""
    p, grid, *_ = simulated
    observation = Observation(
        name="example",
        paths=("resources/halpha_observed_raster.fits",),
        format="fits_raster",
        kernels=(ObservedKernel("kernel", *example.KERNEL[:2], example.HXR_TIMES_S),),
        quiet=Quiet(scan=0),
        level_ic=0.984,
        slit_fwhm_a=0.15,
        hxr=HxrFile("resources/halpha_hxr.csv"),
    )
    obs = steps.read_halpha_observation([ROOT / observation.paths[0]], observation=observation)
    hxr = steps.read_halpha_hxr(ROOT / "resources" / "halpha_hxr.csv", obs, observation=observation)
    diag = steps.measure_observed_lines(obs, measure=p.measure, observation=observation)
    table, fits, _ = steps.infer_observed_parameters(diag, grid, hxr, measure=p.measure, observation=observation)
    return observation, obs, hxr, diag, table, fits


def test_shipped_example_recovers_the_injected_downflow(shipped):
    observation, obs, hxr, diag, table, fits = shipped
    assert obs.attrs["quiet_reference"] == "scan 0" and obs.attrs["observation"] == "example"
    assert set(obs.data_vars) <= {"intensity", "quiet_spectrum", "counts", "expected_intensity"}
    y, x = example.KERNEL[:2]
    kernel = table[(table.y == y) & (table.x == x) & (table.t_s > example.HXR_TIMES_S[0])]
    injected = example.downflow(kernel.t_s.values)
    # after the first spike the raw bisector of the difference spectrum is the injected velocity (only
    # the emission moves; before it the emission is too weak for a bisector of its own)
    assert len(kernel) >= 5 and np.all(np.abs(kernel.v_bisector_kms.values - injected) < 1.0)
    # the second episode decays with the injected 40 s (the first has 2 scans: no fit)
    assert np.isnan(fits["tau_fit_bisector"].values[0])
    assert fits["tau_fit_bisector"].values[1] == pytest.approx(example.EPISODE_DECAY_S[1], rel=0.1)
    # the HXR rate at each exposure is the light curve's; the redshift follows the spikes
    assert_close(kernel.hxr_rate, np.interp(kernel.t_s, hxr["time"], hxr["rate"]), "hxr_rate")
    r = fits["r_best"].to_pandas()
    assert float(r.loc["kernel", "v_bisector_kms"]) > 0.8
    assert table.p0_true.isna().all() and fits.attrs["source_file"].endswith("halpha_observed_raster.fits")


def test_observed_figures_and_provenance(shipped, tmp_path):
    observation, obs, hxr, diag, table, fits = shipped
    figures = steps.plot_halpha_observed(obs, diag, table, hxr, tracked=observation.tracked)
    assert set(figures) == {"sequences", "wing", "velocity", "maps"}
    assert len(figures["maps"].axes) == 4  # bisector v and recovered P0 with their colour bars (no truth)
    no_curve = steps.plot_halpha_observed(obs, diag, table, None, tracked=observation.tracked)
    assert "no hard X-ray light curve" in [t.get_text() for t in no_curve["wing"].axes[0].texts]
    rows = steps.tabulate_halpha_observations({"example": obs, "bare": obs}, {"example": hxr})
    assert list(rows.role) == ["observation", "hard X-ray light curve", "observation"]
    assert rows.sha256.str.len().tolist() == [64, 64, 64]
    assert rows.reader.tolist() == ["fits_raster", "hxr_curve", "fits_raster"]
    assert set(rows.observation) == {"example", "bare"}


def test_no_light_curve_leaves_the_timing_empty(simulated, shipped):
    p, grid, *_ = simulated
    observation, obs, hxr, diag, table, fits = shipped
    bare = replace(observation, hxr=None)
    table2, fits2, fits_table = steps.infer_observed_parameters(diag, grid, None, measure=p.measure, observation=bare)
    assert table2.hxr_rate.isna().all() and np.all(np.isnan(fits2["r_best"].values))
    assert "note" in fits2["r_best"].attrs
    assert_close(fits2["tau_fit"].values, fits["tau_fit"].values, "tau_fit")
    assert isinstance(fits_table, pd.DataFrame) and isinstance(fits2, xr.Dataset)
