"""Rule plot_trxs: every TRXS figure and table in one job (one matplotlib start-up).

Instantaneous and pulse-averaged signals (TRXS Figs 3-6), peak film, effective pulse vs jitter
(Eqs 7-8) with its table, the Eq. 2 inversion of each pulse; then the deconvolution error vs SNR,
the fitted vs true parameters and their summary tables.
"""

from kineticflow.core.io import logged, read_dataset, write_text
from kineticflow.core.plotting import save
from kineticflow.core.report import table_html
from kineticflow.trxs import plots as fig
from kineticflow.trxs.analysis import jitter_broadening_table
from kineticflow.trxs.deconvolution_report import deconvolution_report

with logged(snakemake.log[0]):
    p, out = snakemake.params, snakemake.output
    inst = read_dataset(snakemake.input.instantaneous, required=["delta_s_r", "delta_s_q"])
    conv = [read_dataset(f, required=["delta_s_r", "delta_s_q"]) for f in snakemake.input.convolved]
    jit = [read_dataset(f, required=["pulse_analytic", "pulse_monte_carlo"]) for f in snakemake.input.jitter]
    inv = [
        read_dataset(f, required=["delta_s_r", "delta_s_r_unmodified", "delta_s_r_reference"])
        for f in snakemake.input.inverted
    ]
    figures = fig.paper_figures(inst, conv, jit, inv, p.times, p.inversion_times)
    paths = [out.inst_r, out.inst_q, out.pulses_r, out.pulses_q, out.peak, out.jitter_figure, *out.inversions]
    for figure, path in zip(figures, paths, strict=True):
        save(figure, path)
    table = jitter_broadening_table(jit)
    write_text(table.to_csv(index=False), out.jitter_table)
    write_text(table_html(table, "Jitter broadening of the effective pulse (TRXS paper Eqs 7-8)"), out.jitter_html)
    deconvolution_report(
        list(snakemake.input.deconvolved),
        list(snakemake.input.fits),
        list(out.figures),
        out.fit_table,
        out.deconvolution_table,
    )
