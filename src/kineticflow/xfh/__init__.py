"""X-ray fluorescence holography in reciprocal space (Marchesini et al.; SPEC.md "Branch 3").

Modules: :mod:`crystals` (structures, S_h, F_h, Bragg angles), :mod:`kernels` (K_h, χ, a(h), b(h)),
:mod:`measurement` (spiral scan, noise, reference, symmetrisation), :mod:`reconstruction`
(G(h′), U(r′)), :mod:`phases` (families, backgrounds, signs, scale fit), :mod:`pipeline`
(rule-level functions), :mod:`config` (cross-key checks), :mod:`plots`.
"""
