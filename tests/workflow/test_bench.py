"""`make bench` measures in every section: benchmarks/run.py --tiny on the test config.

A renamed config key or library function used to switch a section off silently (the md section
stopped at ``KeyError: 'sample_wp'`` and reported "not measured"); here each section
must produce its rows. The numbers of a tiny run mean nothing and are not checked.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
from conftest import ROOT, snakemake_env

from kineticflow.core.report import collect_benchmarks

SECTIONS = ("md", "trxs", "workflow", "e2e")


@pytest.fixture(scope="module")
def tiny_bench(tmp_path_factory) -> dict:
    """latest.json of ``benchmarks/run.py --tiny`` (every section), with a fake finished run for e2e."""
    tmp = tmp_path_factory.mktemp("bench")
    results = tmp / "results"
    tsv = results / "benchmarks" / "trxs" / "simulate_trxs.tsv"
    tsv.parent.mkdir(parents=True)
    tsv.write_text("s\th:m:s\tmax_rss\n1.25\t0:00:01\t150.0\n")
    collect_benchmarks([tsv], results / "benchmarks").to_csv(results / "benchmarks.csv", index=False)
    out = tmp / "out"
    cmd = [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--tiny", "--out", str(out), "--results", str(results)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=snakemake_env(), timeout=3600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads((out / "latest.json").read_text())


@pytest.mark.workflow
@pytest.mark.md
@pytest.mark.parametrize("section", SECTIONS)
def test_every_section_measures(tiny_bench, section):
    rows = [r for r in tiny_bench["rows"] if r["section"] == section]
    absolute = [a for a in tiny_bench["absolute"] if a[0] == section]
    broken = [f"{r['benchmark']}: {r['measured']}" for r in rows if r["measured"].startswith("not measured")]
    assert not broken, broken
    assert rows or absolute, f"section {section} reported nothing"


@pytest.mark.workflow
@pytest.mark.md
def test_each_section_has_its_key_numbers(tiny_bench):
    rows = pd.DataFrame(tiny_bench["rows"])
    measured = rows[rows["ratio"].notna()].groupby("section")["benchmark"].apply(list)
    # the MD rule against bare LAMMPS (wall and CPU time), both transforms against numpy, the DAG
    assert sum("simulate_md" in b for b in measured.get("md", [])) == 2
    assert sum("sine transform" in b for b in measured.get("trxs", [])) == 4
    assert any(b.startswith("TRXS branch alone") for b in measured.get("trxs", []))
    assert any(b.startswith("DAG build") for b in measured.get("workflow", []))
    assert any(b.startswith("per-job overhead") for b in measured.get("workflow", []))
    e2e = {what: value for section, what, value in tiny_bench["absolute"] if section == "e2e"}
    assert e2e["trxs/simulate_trxs"].startswith("1 jobs, total 1.25 s")
