"""Rule simulate_hologram: χ(k̂) on the spiral pixels and the structure factors (XFH Eqs 7-10)."""

from kineticflow.core.io import logged, write_dataset
from kineticflow.xfh.pipeline import simulate

with logged(snakemake.log[0]):
    p = snakemake.params
    section = {**p.xfh, "chunk_elements": snakemake.config["xfh"]["chunk_elements"]}
    ds = simulate(snakemake.wildcards.crystal, section)
    write_dataset(ds, snakemake.output[0], source="Marchesini et al. Eqs 7-10", params=p.xfh)
