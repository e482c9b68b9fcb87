"""Cross-key checks of the escatter config section: one line naming the key, before any job."""

import pytest

from kineticflow.config import ConfigError
from kineticflow.escatter.config import Params, check, check_escatter

GOOD = "energy_ev,angle_deg,dcs,uncertainty,note\n100,30,3.50,0.99,\n100,35,2.51,0.71,\n100,ICS,30.4,9.1,paper\n"


def test_defaults_pass():
    check_escatter(
        {"energies_ev": [50, 100, 150, 200, 250, 300], "data_file": "isoflurane_dcs.csv", "molecule": "isoflurane.xyz"}
    )
    for model in ("lda", "quasi_free", "none", True, False):  # true/false: the earlier boolean key
        check_escatter({"absorption": model})


@pytest.mark.parametrize(
    "section,match",
    [
        ({"energies_ev": [10]}, r"escatter.energies_ev' = 10 eV is outside .*; allowed: 20-2000 eV"),
        ({"energies_ev": [100, 5000]}, r"escatter.energies_ev' = 5000 eV is outside"),
        ({"data_file": "nope.csv"}, r"escatter.data_file' = 'nope.csv': no such file"),
        ({"molecule": "nope.xyz"}, r"escatter.molecule' = 'nope.xyz': no such file"),
        ({"absorption": "blanco"}, r"escatter.absorption' = 'blanco' is not a model; allowed: lda, quasi_free, none"),
    ],
)
def test_bad_values(section, match):
    with pytest.raises(ConfigError, match=match) as exc:
        check_escatter(section)
    assert "\n" not in str(exc.value)


def test_unknown_element_in_molecule(tmp_path):
    p = tmp_path / "sf6.xyz"
    p.write_text("2\nSF\nS 0 0 0\nF 0 0 1.56\n")
    with pytest.raises(ConfigError, match=r"element\(s\) S without optical-potential parameters"):
        check_escatter({"molecule": str(p)})


@pytest.mark.parametrize(
    "text,energies,match",
    [
        (GOOD.replace("2.51", "-2.51"), [100], r"line 3: dcs = -2.51 must be >= 0"),
        (GOOD.replace("0.71", "n/a"), [100], r"line 3: uncertainty = 'n/a' is not a number"),
        (GOOD + "5000,30,1,1,\n", [100], r"line 5: energy_ev = 5000 eV is outside what the optical-potential model"),
        (GOOD + "300,30,1,1,\n", [100], r"line 5: energy_ev = 300 eV is not in escatter.energies_ev \[100\]"),
    ],
)
def test_data_file_is_checked_with_the_config(tmp_path, text, energies, match):
    """A broken data file (or one with an energy the theory lacks) stops the run when the config is checked,
    in one line naming the key, the file, the line and the column; before, it failed (or was skipped) in a job."""
    p = tmp_path / "gas.csv"
    p.write_text(text)
    section = {"enabled": True, "data_file": str(p), "energies_ev": energies}
    with pytest.raises(ConfigError, match=match) as exc:
        check(section, {"escatter": section})
    msg = str(exc.value)
    assert "\n" not in msg and msg.startswith("config key 'escatter.data_file': ") and str(p) in msg


def test_data_file_of_a_disabled_branch_is_not_read(tmp_path):
    p = tmp_path / "gas.csv"
    p.write_text(GOOD.replace("2.51", "-2.51"))
    check_escatter({"enabled": False, "data_file": str(p), "energies_ev": [100]})


def test_params_from_the_default_section():
    section = {
        "energies_ev": [50, 100],
        "angle_step_deg": 0.5,
        "absorption": True,
        "numerics": {"r_max_bohr": 20.0, "l_total": 3000, "log_step": 0.002},
        "dipole_debye": 2.47,
        "temperature_k": 300,
        "interference": "product",
        "resolution_fwhm_deg": 4.0,
        "fit_exclude_notes": ["distrusted"],
        "extrapolation_match_deg": 5.0,
    }
    p = Params.from_config(section)
    assert p.energies_ev == (50.0, 100.0) and p.absorption == "quasi_free" and p.match_deg == 5.0
    assert p.fit_exclude_notes == ("distrusted",) and p.l_total == 3000
    with pytest.raises(AttributeError):
        p.l_total = 10  # frozen
