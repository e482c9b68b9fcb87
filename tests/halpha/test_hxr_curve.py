"""The hard X-ray light curve reader: CSV and FITS, relative and absolute times, bad files."""

from __future__ import annotations

import numpy as np
import pytest
from astropy.io import fits
from conftest import ROOT

from kineticflow.halpha import observation_example as example
from kineticflow.halpha.hxr_curve import rate_at, read_hxr
from kineticflow.halpha.observation import ObservationError

DATE = "2026-05-16T17:00:00"


def test_shipped_csv_is_the_example_light_curve():
    curve = read_hxr(ROOT / "resources" / "halpha_hxr.csv")
    table = example.hxr_table()
    np.testing.assert_array_equal(curve["time"].values, table["time_s"].values)
    np.testing.assert_array_equal(curve["rate"].values, table["rate"].values)
    np.testing.assert_allclose(curve["rate_stderr"].values, table["rate_stderr"].values, rtol=1e-5)
    assert curve["rate"].attrs["units"] == "count s-1" and curve["time"].attrs["units"] == "s"
    # the spikes of the example: the largest rate near 20 s, well above the 50 counts/s background
    assert abs(float(curve["time"][int(np.argmax(curve["rate"].values))]) - 20.0) <= 1.0
    assert float(curve["rate"].max()) > 20 * 50


def test_fits_table_with_absolute_start_matches_csv(tmp_path):
    t = np.array([0.0, 1.0, 2.0, 3.0])
    rate = np.array([50.0, 900.0, 400.0, 60.0])
    columns = [
        fits.Column(name="TIME", format="D", unit="ms", array=t * 1e3),
        fits.Column(name="RATE", format="D", unit="count/s", array=rate),
        fits.Column(name="RATE_ERR", format="D", array=np.sqrt(rate)),
    ]
    table = fits.BinTableHDU.from_columns(columns)
    table.header["DATE-OBS"] = "2026-05-16T17:00:10"  # the HXR curve starts 10 s after the Halpha raster
    table.writeto(tmp_path / "hxr.fits")
    curve = read_hxr(tmp_path / "hxr.fits", date_obs=DATE)
    np.testing.assert_allclose(curve["time"].values, t + 10.0, atol=1e-6)
    np.testing.assert_array_equal(curve["rate_stderr"].values, np.sqrt(rate))
    relative = read_hxr(tmp_path / "hxr.fits")  # no date of the observation: times as in the file
    np.testing.assert_array_equal(relative["time"].values, t)


def test_csv_with_utc_times_and_interpolation(tmp_path):
    path = tmp_path / "hxr.csv"
    path.write_text("time_utc, rate\n2026-05-16T16:59:58,10\n2026-05-16T17:00:02,30\n")
    curve = read_hxr(path, date_obs=DATE)
    np.testing.assert_allclose(curve["time"].values, [-2.0, 2.0], atol=1e-6)
    assert np.all(np.isnan(curve["rate_stderr"].values))
    np.testing.assert_allclose(rate_at(curve, [[0.0, 1.0], [5.0, -2.0]]), [[20.0, 25.0], [np.nan, 10.0]])


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("time_s,counts\n0,1\n", "rate: missing"),
        ("t,rate\n0,1\n", "time_s: missing"),
        ("time_s,rate\n0,1\n2,1\n1,1\n", "time: not monotonic at index 2"),
        ("time_s,rate\n0,1\n1,nan\n", "rate: 1 non-finite value(s)"),
        ("time_utc,rate\n2026-05-16T17:00:00,1\n", "time_utc: absolute times"),
    ],
)
def test_bad_light_curves_fail_in_one_line(tmp_path, text, words):
    path = tmp_path / "hxr.csv"
    path.write_text(text)
    with pytest.raises(ObservationError) as exc:
        read_hxr(path)
    message = str(exc.value)
    assert message.startswith(f"{path}: {words}") and "expected" in message and "\n" not in message, message


def test_fits_light_curve_with_an_unknown_time_unit_fails(tmp_path):
    columns = [
        fits.Column(name="TIME", format="D", unit="fortnight", array=[0.0, 1.0]),
        fits.Column(name="RATE", format="D", array=[1.0, 2.0]),
    ]
    fits.BinTableHDU.from_columns(columns).writeto(tmp_path / "hxr.fits")
    with pytest.raises(ObservationError, match=r"hxr.fits: TIME \(TUNIT\): unit 'fortnight'; expected a time unit"):
        read_hxr(tmp_path / "hxr.fits")
