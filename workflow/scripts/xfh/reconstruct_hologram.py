"""Rule reconstruct_hologram: G(h') at the lattice families and on a plane, U(r') (XFH Eqs 3-5, 11)."""

from kineticflow.core.io import logged, read_dataset, write_dataset
from kineticflow.xfh import PAPER, steps
from kineticflow.xfh.config import ReconstructParams

with logged(snakemake.log[0]):
    p = snakemake.params
    meas = read_dataset(snakemake.input[0], required=["chi_symmetrised", "hits", "solid_angle"])
    ds = steps.reconstruct_hologram(meas, ReconstructParams(**p.xfh), chunk_elements=snakemake.resources.chunk_elements)
    write_dataset(ds, snakemake.output[0], source=f"{PAPER}, Eqs 3-5, 11", params={"reconstruct_hologram": p.xfh})
