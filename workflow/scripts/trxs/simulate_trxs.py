"""Rule simulate_trxs: ΔS_inst[r, t] and ΔS_inst(q, t) on the configured grids (TRXS Eqs 3-6)."""

from kineticflow.core.io import logged, write_dataset
from kineticflow.trxs import steps
from kineticflow.trxs.config import Grid, Weighting
from kineticflow.trxs.model import DiatomicModel

with logged(snakemake.log[0]):
    p = snakemake.params
    ds = steps.simulate_trxs(DiatomicModel(**p.model), Grid.from_dict(p.grid), Weighting.from_dict(p.weighting))
    write_dataset(ds, snakemake.output[0], params={"grid": p.grid, "weighting": p.weighting})
