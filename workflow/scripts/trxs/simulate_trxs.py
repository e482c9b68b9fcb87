"""Rule simulate_trxs: ΔS_inst[r, t] and ΔS_inst(q, t) on the configured grids (TRXS Eqs 3-6)."""

from kineticflow.core.io import logged, write_dataset
from kineticflow.trxs.signals import simulate_instantaneous

with logged(snakemake.log[0]):
    p = snakemake.params
    ds = simulate_instantaneous(p.model, p.grid, p.weighting)
    write_dataset(ds, snakemake.output[0], params={"grid": p.grid, "weighting": p.weighting})
