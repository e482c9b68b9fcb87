"""Rule fit_phases: sign of Re F_h from Re G and the scale fit of Re G = c a(h) Re F_h (XFH Eq. 11)."""

from kineticflow.core.io import logged, read_dataset, write_dataset
from kineticflow.xfh import PAPER, steps

with logged(snakemake.log[0]):
    ds = steps.fit_phases(read_dataset(snakemake.input[0], required=["re_g", "background", "a_measured"]))
    write_dataset(ds, snakemake.output[0], source=f"{PAPER}, Eq. 11")
