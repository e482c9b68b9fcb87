"""Targets, report entry, file resolution and elements of the e-scattering rules."""

from pathlib import Path

from kineticflow.escatter import targets

CONFIG = {"escatter": {"enabled": True, "data_file": "isoflurane_dcs.csv", "molecule": "isoflurane.xyz"}}


def test_targets_and_report():
    files = targets.targets(CONFIG)
    assert files == [
        "results/escatter/measured.nc",
        "results/escatter/theory.nc",
        "results/escatter/ics.nc",
        "results/escatter/ics.csv",
        "results/escatter/figures/dcs.png",
        "results/escatter/figures/ics.png",
    ]
    r = targets.report(CONFIG)
    assert r.category == "e-scattering" and dict(r.tables) == {"ics": "results/escatter/ics.csv"}
    h, choices = r.headlines
    assert h.csv == "results/escatter/ics.csv" and h.query == ""
    assert (
        h.columns[:2] == ("energy_ev", "scale_factor") and "ics_paper" in h.columns and "ics_extrapolated" in h.columns
    )
    # the three interference weightings beside the paper's row
    assert choices.csv == h.csv and choices.columns[:2] == ("energy_ev", "ics_paper")
    for w in ("none", "sqrt", "product"):
        assert {f"ics_extrapolated_{w}", f"ics_ratio_{w}", f"ics_theory_{w}", f"forward_share_{w}"} <= set(
            choices.columns
        )
    assert list(r.inputs) == files


def test_disabled_branch_has_no_targets():
    off = {"escatter": dict(CONFIG["escatter"], enabled=False)}
    assert targets.targets(off) == [] and targets.elements(off, ".") == []
    assert targets.report(off).inputs == ()


def test_files_resolve_as_path_then_under_basedir_then_package_data(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shipped = Path(targets.data_file(CONFIG, tmp_path))
    assert shipped == targets.DATA_DIR / "isoflurane_dcs.csv" and shipped.is_file()
    (tmp_path / "wf").mkdir()
    (tmp_path / "wf" / "isoflurane_dcs.csv").write_text("x")
    assert Path(targets.data_file(CONFIG, tmp_path / "wf")) == tmp_path / "wf" / "isoflurane_dcs.csv"
    (tmp_path / "isoflurane_dcs.csv").write_text("y")  # a path as given (relative to the working directory) wins
    assert targets.data_file(CONFIG, tmp_path / "wf") == "isoflurane_dcs.csv"
    assert targets.resolve_file("nope.csv", tmp_path) == Path("nope.csv")


def test_elements_of_the_molecule(tmp_path):
    assert targets.elements(CONFIG, ".") == ["C", "Cl", "F", "H", "O"]
    p = tmp_path / "co.xyz"
    p.write_text("2\nCO\nC 0 0 0\nO 0 0 1.13\n")
    cfg = {"escatter": dict(CONFIG["escatter"], molecule=str(p))}
    assert targets.elements(cfg, ".") == ["C", "O"] and targets.molecule_file(cfg, ".") == str(p)
