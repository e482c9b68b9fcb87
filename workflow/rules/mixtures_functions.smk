# Functions of the mixtures rules (workflow/rules/mixtures.smk): run list and targets.
# Kept apart from the rules (snakemake --lint: no functions beside rules).


def mixture_runs():
    """One MD result per (mixture, gamma, seed) of the config."""
    return [
        f"results/plasma/mixtures/{name}_gamma-{fmt(g)}_seed-{s}.nc"
        for name, m in MIXTURE_ENTRIES.items()
        for g in (m.get("gammas") or MIXTURES["gammas"])
        for s in MIXTURE_SEEDS
    ]


def mixtures_targets():
    if not MIXTURES["enabled"]:
        return []
    return [
        "results/plasma/mixtures/diffusion.nc",
        "results/plasma/mixtures/table2.csv",
        "results/plasma/mixtures/fits.nc",
        "results/plasma/mixtures/fits.csv",
        *expand(
            "results/plasma/figures/mixtures_{mixture}.png",
            mixture=list(MIXTURE_ENTRIES),
        ),
    ]
