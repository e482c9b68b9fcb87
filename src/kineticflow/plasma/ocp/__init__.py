"""One-component plasma (OCP, κ = 0) and Yukawa OCP (κ > 0): self-diffusion across coupling (plasma paper Eqs 1–4, Table I).

Mirrors :mod:`kineticflow.plasma.mixtures` over the shared MD engine :mod:`kineticflow.plasma.md`:

* :mod:`~kineticflow.plasma.ocp.formulas` — Eq. 2 (generalised Chapman–Spitzer), Eq. 4 (Eyring), the
  piecewise model; :mod:`~kineticflow.plasma.ocp.reference` — Table I and the melting line Γ_m(κ);
  :mod:`~kineticflow.plasma.ocp.boltzmann` — Chapman–Enskog and Landau weak-coupling theory;
* :mod:`~kineticflow.plasma.ocp.md` — schedule, LAMMPS input and one run → VACF, MSD;
* :mod:`~kineticflow.plasma.ocp.diffusion` — Green–Kubo D*(κ, Γ) with errors;
* :mod:`~kineticflow.plasma.ocp.fits` — fits of Eqs 2 and 4 beside Table I;
* :mod:`~kineticflow.plasma.ocp.kinetic_theory`, :mod:`~kineticflow.plasma.ocp.collisions`,
  :mod:`~kineticflow.plasma.ocp.eyring` — kinetic theory at the MD points, ν/ω_p (Fig. 1 inset),
  the free-exponent Eyring fit (footnote 18);
* :mod:`~kineticflow.plasma.ocp.plots` and :mod:`~kineticflow.plasma.ocp.config`.
"""
