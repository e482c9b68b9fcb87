"""The shipped Table 1 transcription and the one-line errors of a bad data file."""

import numpy as np
import pytest

from kineticflow.escatter.measured import DataFileError, load_measured_dcs

GOOD = "energy_ev,angle_deg,dcs,uncertainty,note\n100,30,3.50,0.99,\n100,35,2.51,0.71,\n100,ICS,30.4,9.1,paper\n"


def test_shipped_table():
    ds = load_measured_dcs("isoflurane_dcs.csv")
    assert ds["energy"].values.tolist() == [50, 100, 150, 200, 250, 300]
    assert ds["angle"].values.tolist() == list(range(25, 130, 5))
    assert np.isfinite(ds["dcs"].values).all() and (ds["dcs_uncertainty"].values > 0).all()
    # the two print glitches, as SPEC.md reads them
    p = ds.sel(energy=150, angle=95)
    assert float(p["dcs"]) == 0.137 and float(p["dcs_uncertainty"]) == 0.035 and "print glitch" in str(p["note"].values)
    p = ds.sel(energy=250, angle=100)
    assert (
        float(p["dcs"]) == 0.1058 and float(p["dcs_uncertainty"]) == 0.023 and "print glitch" in str(p["note"].values)
    )
    assert str(ds.sel(energy=50, angle=25)["note"].values).startswith("distrusted")
    assert all("systematic" in str(n) for n in ds.sel(energy=150)["note"].values)
    np.testing.assert_allclose(ds["ics_paper"].values, [33.1, 30.4, 21.5, 22.4, 18.4, 18.0])
    # spot checks of the transcription (first, middle and last rows)
    assert (
        float(ds["dcs"].sel(energy=200, angle=50)) == 0.472
        and float(ds["dcs_uncertainty"].sel(energy=200, angle=50)) == 0.096
    )
    assert (
        float(ds["dcs"].sel(energy=300, angle=25)) == 2.74
        and float(ds["dcs_uncertainty"].sel(energy=300, angle=25)) == 0.78
    )
    assert (
        float(ds["dcs"].sel(energy=50, angle=125)) == 0.79
        and float(ds["dcs_uncertainty"].sel(energy=50, angle=125)) == 0.17
    )


@pytest.mark.parametrize(
    "text,match",
    [
        (GOOD.replace("100,35,", "100,,"), r"line 3: missing angle_deg"),
        (GOOD.replace("2.51", "-2.51"), r"line 3: negative dcs"),
        (GOOD.replace(",uncertainty", ",unc").replace("", ""), r"line 1: missing column\(s\) uncertainty"),
        (GOOD.replace("0.71", "abc"), r"line 3: uncertainty 'abc' is not a number"),
        (GOOD.replace("0.71", "0"), r"line 3: uncertainty 0.0 must be > 0"),
        (GOOD + "100,30,1,1,\n", r"line 5: repeated point"),
    ],
)
def test_bad_file_one_line(tmp_path, text, match):
    p = tmp_path / "gas.csv"
    p.write_text(text)
    with pytest.raises(DataFileError, match=match) as exc:
        load_measured_dcs(p)
    assert "\n" not in str(exc.value) and str(p) in str(exc.value)
