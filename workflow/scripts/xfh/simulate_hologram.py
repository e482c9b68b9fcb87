"""Rule simulate_hologram: χ(k̂) on the spiral pixels and the structure factors (XFH Eqs 7-10)."""

from kineticflow.core.io import logged, write_dataset
from kineticflow.xfh import PAPER, steps
from kineticflow.xfh.config import SimulateParams

with logged(snakemake.log[0]):
    p = snakemake.params
    ds = steps.simulate_hologram(SimulateParams(**p.xfh), chunk_elements=snakemake.resources.chunk_elements)
    write_dataset(ds, snakemake.output[0], source=f"{PAPER}, Eqs 7-10", params={"simulate_hologram": p.xfh})
