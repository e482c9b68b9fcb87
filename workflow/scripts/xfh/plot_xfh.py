"""Rule plot_xfh: hologram map (Fig. 2), Re G map (Fig. 3), Re G vs a(h) Re F_h, U(r')."""

from kineticflow.core.io import logged, read_dataset
from kineticflow.core.plotting import save
from kineticflow.xfh import steps

with logged(snakemake.log[0]):
    meas = read_dataset(snakemake.input.measured, required=["chi_symmetrised"])
    rec = read_dataset(snakemake.input.reconstruction, required=["re_g_plane", "u_abs"])
    ph = read_dataset(snakemake.input.phases, required=["a_re_f"])
    for name, fig in steps.plot_xfh(meas, rec, ph).items():
        save(fig, getattr(snakemake.output, name))
