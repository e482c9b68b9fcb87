"""The shipped Table 1 transcription and the one-line errors of a bad data file."""

import numpy as np
import pytest

from kineticflow.escatter import observation
from kineticflow.escatter.observation import DataFileError
from kineticflow.escatter.theory import ENERGY_RANGE_EV

GOOD = "energy_ev,angle_deg,dcs,uncertainty,note\n100,30,3.50,0.99,\n100,35,2.51,0.71,\n100,ICS,30.4,9.1,paper\n"


def load(path):
    return observation.observation_dataset(observation.read_table(path))


def test_shipped_table():
    ds = load("isoflurane_dcs.csv")
    assert ds["energy"].values.tolist() == [50, 100, 150, 200, 250, 300]
    assert ds["angle"].values.tolist() == list(range(25, 130, 5))
    assert np.isfinite(ds["dcs"].values).all() and (ds["dcs_uncertainty"].values > 0).all()
    # the two print glitches, as docs/escatter.md (Sec. 4) reads them
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
        (GOOD.replace("100,35,", "100,,"), r"line 3: angle_deg is empty; expected a number"),
        (GOOD.replace("2.51", "-2.51"), r"line 3: dcs = -2.51 must be >= 0"),
        (GOOD.replace(",uncertainty", ",unc"), r"line 1: missing column\(s\) uncertainty"),
        (GOOD.replace("0.71", "abc"), r"line 3: uncertainty = 'abc' is not a number"),
        (GOOD.replace("0.71", "0"), r"line 3: uncertainty = 0 must be > 0"),
        (GOOD.replace("100,35,", "100,200,"), r"line 3: angle_deg = 200 must be within 0-180"),
        (GOOD + "100,30,1,1,\n", r"line 5: repeated point"),
        (GOOD + "100,ICS,30,9,\n", r"line 5: a second ICS row"),
        (GOOD + "50,ICS,30,9,\n", r"line 5: ICS row at energy_ev = 50 has no DCS rows"),
    ],
)
def test_bad_file_one_line(tmp_path, text, match):
    p = tmp_path / "gas.csv"
    p.write_text(text)
    with pytest.raises(DataFileError, match=match) as exc:
        load(p)
    assert "\n" not in str(exc.value) and str(p) in str(exc.value)


@pytest.mark.parametrize(
    "text,match",
    [
        (GOOD + "5000,30,1,1,\n", r"line 5: energy_ev = 5000 eV is outside what the optical-potential model supports"),
        (GOOD.replace("100,35,", "150,35,"), r"line 3: energy_ev = 150 eV is not in escatter.energies_ev \[100, 300\]"),
    ],
)
def test_energy_without_theory_is_refused(tmp_path, text, match):
    """Every data energy must be a theory energy inside the model's range; before, such rows were skipped."""
    p = tmp_path / "gas.csv"
    p.write_text(text)
    with pytest.raises(DataFileError, match=match) as exc:
        observation.check_energies(observation.read_table(p), [100, 300], ENERGY_RANGE_EV)
    assert "\n" not in str(exc.value) and str(p) in str(exc.value)


def test_missing_angle_is_kept_as_a_gap(tmp_path):
    p = tmp_path / "gas.csv"
    p.write_text(GOOD + "300,30,1.0,0.3,\n")
    ds = load(p)
    assert observation.points_per_energy(ds).values.tolist() == [2, 1]
    assert observation.missing_angles(ds) == {300.0: [35.0]}
    assert int(ds["measured"].sel(energy=300, angle=35)) == 0
