"""Rule measure_hologram: Poisson counts, reference subtraction, m-3m symmetrisation, (100) grid."""

from kineticflow.core.io import logged, read_dataset, write_dataset
from kineticflow.xfh import PAPER, steps
from kineticflow.xfh.config import MeasureParams

with logged(snakemake.log[0]):
    p = snakemake.params
    holo = read_dataset(snakemake.input[0], required=["chi", "polar", "direction"])
    ds = steps.measure_hologram(holo, MeasureParams(**p.xfh))
    source = f"{PAPER}, Eq. 1 and the experiment paragraph (spiral scan); Poisson counting noise"
    write_dataset(ds, snakemake.output[0], source=source, params={"measure_hologram": p.xfh})
