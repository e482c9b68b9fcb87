"""Cross-key checks of the escatter config section: one line naming the key."""

import pytest

from kineticflow.config import ConfigError
from kineticflow.escatter.config import check_escatter


def test_defaults_pass():
    check_escatter({"energies_ev": [50, 300], "data_file": "isoflurane_dcs.csv", "molecule": "isoflurane.xyz"})
    for model in ("lda", "quasi_free", "none", True, False):  # true/false: the earlier boolean key
        check_escatter({"absorption": model})


@pytest.mark.parametrize(
    "section,match",
    [
        ({"energies_ev": [10]}, r"escatter.energies_ev' = 10 eV is outside"),
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
