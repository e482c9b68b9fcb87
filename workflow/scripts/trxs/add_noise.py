"""Rule add_noise: the jitter-averaged ΔS(q, τ) on the measured delays with seeded Gaussian noise."""

from kineticflow.core.noise import stable_seed
from kineticflow.trxs.measurement import measure
from kineticflow.core.io import logged, read_dataset, write_dataset

with logged(snakemake.log[0]):
    p = snakemake.params.measurement
    wc = snakemake.wildcards
    inst = read_dataset(snakemake.input.instantaneous, required=["delta_s_q"], dims=["t", "q"])
    jit = read_dataset(snakemake.input.jitter, required=["delta_s_q", "pulse_analytic"], dims=["tau", "q", "t_rel"])
    seed = stable_seed(p["seed"], {"fwhm": wc.fwhm, "jitter": wc.jitter, "snr": wc.snr})
    ds = measure(inst, jit, wc.snr, seed, p.get("delays_ps"), p.get("noise_reference", "instantaneous"))
    write_dataset(ds, snakemake.output[0], params={"measurement": p})
