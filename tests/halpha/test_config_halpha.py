"""Bad Hα input: one-line ConfigError naming the key (wavelength range, grid bounds, negative rates, bad observation files)."""

from __future__ import annotations

import copy

import pytest
import yaml
from astropy.io import fits
from conftest import ROOT, run_snakemake

from kineticflow.branches import SECTIONS, config_checks
from kineticflow.config import ConfigError
from kineticflow.core.io import write_dataset
from kineticflow.halpha import fits_readers
from kineticflow.halpha.config import Params, check
from kineticflow.halpha.fits_writers import write_fits_cube
from kineticflow.halpha.observation import read_observation

EXAMPLE_FILE = ROOT / "resources" / "halpha_observed_raster.fits"


@pytest.fixture
def section():
    return copy.deepcopy(yaml.safe_load((ROOT / "config" / "config.yaml").read_text())["halpha"])


def _fails(section, key):
    with pytest.raises(ConfigError) as err:
        check(section, {})
    msg = str(err.value)
    assert "\n" not in msg and key in msg, msg
    return msg


def test_default_and_test_configs_pass(section):
    check(section, {})
    test = yaml.safe_load((ROOT / "config" / "test.yaml").read_text())["halpha"]
    merged = copy.deepcopy(section)
    for k, v in test.items():
        merged[k] = {**merged.get(k, {}), **v} if isinstance(v, dict) and k != "flare" else v
    check(merged, {})
    assert "halpha" in SECTIONS and "halpha" in config_checks()


def test_wavelength_range_outside_computed_profiles(section):
    section["instrument"]["half_range_a"] = 6.0
    msg = _fails(section, "halpha.instrument.half_range_a")
    assert "profile_half_range_a" in msg


@pytest.mark.parametrize(
    ("key", "value", "name"), [("p0_peak", 1e4, "p0_peak"), ("p0_peak", 1.0, "p0_peak"), ("f20_peak", 1e12, "f20_peak")]
)
def test_kernel_outside_the_grid(section, key, value, name):
    section["flare"]["kernels"]["north"][key] = value
    _fails(section, f"halpha.flare.kernels.north.{name}")


@pytest.mark.parametrize("value", [0.0, 1.5])
def test_pressure_fill_fraction_outside_0_1(section, value):
    section["flare"]["kernels"]["strand"]["p0_fill_fraction"] = value
    _fails(section, "halpha.flare.kernels.strand.p0_fill_fraction")


def test_negative_count_rate(section):
    section["flare"]["hxr"]["background"] = -1.0
    _fails(section, "halpha.flare.hxr")
    section["flare"]["hxr"]["background"] = 10.0
    section["flare"]["hxr"]["peaks"] = [100.0, -5.0, 3.0]
    _fails(section, "halpha.flare.hxr")


def test_grid_not_increasing(section):
    section["p0_grid"] = [300.0, 30.0]
    _fails(section, "halpha.p0_grid")


def test_bisector_level_outside_unit_interval(section):
    section["measure"]["bisector_levels"] = [0.5, 1.2]
    _fails(section, "halpha.measure.bisector_levels")


def test_params_are_frozen_and_keep_the_kernel_order(section):
    p = Params.from_config(section)
    assert p.flare.tracked == (("north", 15, 20), ("strand", 32, 30))
    assert p.flare.kernels[0].p0_fill_fraction == 1.0 and p.flare.kernels[1].p0_fill_fraction == 0.1
    assert p.measure.bisector_levels == (0.5, 0.6, 0.7, 0.8, 0.9)
    assert isinstance(p.scan.n_scans, int) and isinstance(p.instrument.continuum_counts, float)
    with pytest.raises(AttributeError):
        p.scan.n_scans = 3  # type: ignore[misc]
    section["flare"]["kernels"] = dict(reversed(list(section["flare"]["kernels"].items())))
    assert Params.from_config(section).flare.tracked[0][0] == "strand"


def test_rule_params_survive_the_dict_form_snakemake_records(section):
    """halpha.smk passes asdict(section) (Snakemake ignores dataclass params when deciding reruns)."""
    import dataclasses

    from kineticflow.halpha.config import Params, from_params

    params = Params.from_config(section)
    for f in dataclasses.fields(params):
        value = getattr(params, f.name)
        plain = dataclasses.asdict(value) if dataclasses.is_dataclass(value) else value
        assert from_params({f.name: plain})[f.name] == value, f.name
    smk = (ROOT / "workflow" / "rules" / "halpha.smk").read_text()
    assert "=HALPHA.flare," not in smk and "=asdict(HALPHA.flare)," in smk


# ----------------------------------------------------------------------------- observations: bad files


OWN = {
    "format": "fits_raster",
    "quiet": {"scan": 0},
    "level_ic": 0.984,
    "slit_fwhm_a": 0.15,
    "kernels": {"kernel": {"y": 4, "x": 5, "episodes": {"times_s": [20.0, 50.0]}}},
}


def _observed(tmp_path, edit=None, format="fits_raster", name="raster.fits"):
    """The shipped example raster (or its netCDF / cube form), optionally edited, in tmp_path."""
    obs = read_observation(EXAMPLE_FILE, "fits_raster", quiet={"scan": 0}, level_ic=0.984, slit_fwhm_a=0.15)
    path = tmp_path / name
    if format == "netcdf":
        write_dataset(obs.drop_vars("t_s") if edit == "no-t_s" else obs, path)
        return path
    source = write_fits_cube(obs, tmp_path / "good_cube.fits") if format == "fits_cube" else EXAMPLE_FILE
    with fits.open(source) as hdul:
        if callable(edit):
            edit(hdul)
        hdul.writeto(path, output_verify="silentfix")
    return path


def _config_fails(section, tmp_path, entry, *words):
    section["observations"] = {"own": entry}
    with pytest.raises(ConfigError) as err:
        check(section, {}, workdir=tmp_path)
    msg = str(err.value)
    assert "\n" not in msg and msg.startswith("config key 'halpha.observations.own."), msg
    for word in ("expected", *words):
        assert word in msg, msg
    return msg


def _swap_line_positions(hdul):
    table = hdul["WCS-TAB"].data["WAVELENGTH"]
    table[0, 3, 0], table[0, 4, 0] = table[0, 4, 0], table[0, 3, 0]


@pytest.mark.parametrize(
    ("edit", "format", "words"),
    [
        (lambda h: h[1].header.update(CTYPE1="PIXEL"), "fits_raster", ["spectral axis", "'AWAV'"]),
        (lambda h: h[1].header.update(CUNIT1="furlong"), "fits_raster", ["CUNIT1", "'furlong'"]),
        (lambda h: h.pop(1), "fits_raster", ["data: no image HDU with three or more axes"]),
        ("no-t_s", "netcdf", ["t_s: missing"]),
        (_swap_line_positions, "fits_cube", ["wavelength: not monotonic at index 4"]),
    ],
    ids=["missing-axis", "unknown-unit", "missing-data", "missing-dataset", "non-monotonic-wavelength"],
)
def test_a_bad_observation_file_fails_the_config_check_in_one_line(section, tmp_path, edit, format, words):
    name = {"netcdf": "observed.nc", "fits_cube": "cube.fits"}.get(format, "raster.fits")
    path = _observed(tmp_path, edit, format, name)
    entry = {**OWN, "path": str(path), "format": format}
    if format == "netcdf":
        entry.pop("quiet")  # the contract itself: already in units of I_c
    msg = _config_fails(section, tmp_path, entry, str(path), *words)
    assert msg.startswith("config key 'halpha.observations.own.path':")


def test_the_config_check_reads_headers_only(section, tmp_path, monkeypatch):
    # a file whose data cannot be read passes the header check (values are the job's business)
    calls = []
    original = fits_readers._arrays
    monkeypatch.setattr(fits_readers, "_arrays", lambda *a: calls.append(a[-1]) or original(*a))
    section["observations"] = {"own": {**OWN, "path": str(EXAMPLE_FILE)}}
    check(section, {}, workdir=tmp_path)
    assert calls == [False]


def test_relative_paths_resolve_to_the_workflow_folder_and_good_files_pass(section, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    section["observations"] = {
        "own": {**OWN, "path": "resources/halpha_observed_raster.fits", "hxr": {"path": "resources/halpha_hxr.csv"}}
    }
    check(section, {}, workdir=ROOT)
    section["enabled"] = False  # a switched-off branch reads no file
    section["observations"]["own"]["path"] = "missing.fits"
    check(section, {}, workdir=ROOT)


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        ({"path": "missing.fits"}, "path", ["missing.fits", "does not exist"]),
        (
            {"kernels": {"k": {"y": 8, "x": 0, "episodes": {"times_s": [1.0]}}}},
            "kernels.k",
            ["outside the field 8 x 10"],
        ),
        ({"region": [0, 9, 0, 4]}, "region", ["0 <= y0 < y1 <= 8"]),
        ({"quiet": {"box": [0, 4, 0, 12]}}, "path", ["quiet box", "x1 <= 10"]),
        ({"quiet": None}, "path", ["intensity: unit 'count' as read"]),
        ({"hxr": {"path": "bad.csv"}}, "hxr.path", ["bad.csv", "rate: missing"]),
    ],
    ids=["no-file", "kernel-outside", "region-outside", "quiet-box-outside", "counts-without-reference", "bad-hxr"],
)
def test_bad_observation_entries_fail_in_one_line(section, tmp_path, change, key, words):
    (tmp_path / "bad.csv").write_text("time_s,counts\n0,1\n1,2\n")
    entry = {**OWN, "path": str(EXAMPLE_FILE), **change}
    entry = {k: v for k, v in entry.items() if v is not None}
    if "hxr" in entry:
        entry["hxr"] = {"path": str(tmp_path / entry["hxr"]["path"])}
    _config_fails(section, tmp_path, entry, f"halpha.observations.own.{key}", *words)


def test_observed_range_must_lie_inside_the_profiles(section, tmp_path):
    section["profile_half_range_a"] = 4.9  # the example spans +-4.75 A; + 3 x 0.15 A needs 5.2 A
    section["instrument"]["half_range_a"] = 1.0  # (the simulated instrument within the profiles)
    _config_fails(section, tmp_path, {**OWN, "path": str(EXAMPLE_FILE)}, "profile_half_range_a", "5.20")


@pytest.mark.parametrize(
    ("override", "words"),
    [
        ({"halpha": {"observations": {"example": {"path": "{bad}"}}}}, ["CUNIT1", "'furlong'"]),
        ({"halpha": {"observations": {"example": {"format": "hdf5"}}}}, ["halpha.observations.example.format"]),
    ],
    ids=["bad-file", "bad-format"],
)
def test_snakemake_stops_before_any_job_and_keeps_earlier_results(tmp_path, override, words):
    bad = _observed(tmp_path, lambda h: h[1].header.update(CUNIT1="furlong"))
    overlay = tmp_path / "bad.yaml"
    overlay.write_text(yaml.safe_dump(override).replace("'{bad}'", str(bad)))
    earlier = tmp_path / "results" / "halpha" / "observed" / "example" / "fits.csv"
    earlier.parent.mkdir(parents=True)
    earlier.write_text("kind,value\nkept,1\n")
    proc = run_snakemake(tmp_path, "--configfile", str(ROOT / "config" / "test.yaml"), str(overlay), check=False)
    assert proc.returncode != 0
    everything = proc.stdout + proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("kineticflow: invalid config:")]
    assert len(lines) == 1 and "Traceback" not in everything, proc.stderr[-3000:]
    for word in words:
        assert word in lines[0], lines[0]
    assert "Building DAG" not in everything and "Job stats" not in everything  # stopped while parsing
    assert earlier.read_text() == "kind,value\nkept,1\n"
