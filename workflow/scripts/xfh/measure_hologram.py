"""Rule measure_hologram: Poisson counts, reference subtraction, m-3m symmetrisation, (100) grid."""

from kineticflow.core.io import logged, read_dataset, write_dataset
from kineticflow.xfh.pipeline import measure

with logged(snakemake.log[0]):
    p = snakemake.params
    ds = measure(read_dataset(snakemake.input[0], required=["chi", "polar", "direction"]), p.xfh)
    write_dataset(ds, snakemake.output[0], source="XFH instrument (spiral scan, Poisson noise)", params=p.xfh)
