"""Rule reconstruct_hologram: G(h') at the lattice families and on a plane, U(r') (XFH Eqs 3-5, 11)."""

from kineticflow.core.io import logged, read_dataset, write_dataset
from kineticflow.xfh.pipeline import reconstruct

with logged(snakemake.log[0]):
    p = snakemake.params
    section = {**p.xfh, "chunk_elements": snakemake.config["xfh"]["chunk_elements"]}
    ds = reconstruct(read_dataset(snakemake.input[0], required=["chi_symmetrised", "hits", "solid_angle"]), section)
    write_dataset(ds, snakemake.output[0], source="Marchesini et al. Eqs 3-5, 11", params=p.xfh)
