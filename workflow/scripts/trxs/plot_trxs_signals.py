"""Rule plot_trxs_signals: instantaneous and pulse-averaged signals (TRXS Figs 3-6), peak film."""

from kineticflow.core.io import logged, read_dataset
from kineticflow.core.plotting import save
from kineticflow.trxs import plots as fig

with logged(snakemake.log[0]):
    times = snakemake.params.times
    inst = read_dataset(snakemake.input.instantaneous, required=["delta_s_r", "delta_s_q"])
    conv = [read_dataset(f, required=["delta_s_r", "delta_s_q"]) for f in snakemake.input.convolved]
    out = snakemake.output
    save(fig.instantaneous_figure(inst, "r", times), out.inst_r)
    save(fig.instantaneous_figure(inst, "q", times), out.inst_q)
    save(fig.pulses_figure(inst, conv, "r", times), out.pulses_r)
    save(fig.pulses_figure(inst, conv, "q", times), out.pulses_q)
    save(fig.peak_position_figure(inst, conv), out.peak)
