"""Variable projection: the blockwise covariance is the inverse of the full problem's JᵀJ."""

from __future__ import annotations

import numpy as np
import pytest

from kineticflow.core.varpro import VarproError, full_covariance, linear_amplitudes, varpro_fit

X = np.linspace(0.0, 5.0, 25)


def basis(theta: np.ndarray) -> np.ndarray:
    return np.stack([np.exp(-X * theta[0]), np.exp(-X * theta[1]), np.ones_like(X)], axis=1)


def dbasis(theta: np.ndarray) -> np.ndarray:
    zero = np.zeros_like(X)
    return np.array(
        [
            np.stack([-X * np.exp(-X * theta[0]), zero, zero], axis=1),
            np.stack([zero, -X * np.exp(-X * theta[1]), zero], axis=1),
        ]
    )


def test_blockwise_covariance_equals_the_inverse_of_the_full_gauss_newton_matrix():
    rng = np.random.default_rng(0)
    m, theta = 4, np.array([0.7, 3.0])
    amplitudes = rng.normal(size=(m, 3))
    sigma = rng.uniform(0.5, 2.0, size=(m, X.size))
    data = amplitudes @ basis(theta).T + 0.01 * rng.normal(size=(m, X.size))
    w = 1.0 / sigma
    a, _, q, r = linear_amplitudes(data, w, basis(theta))
    theta_cov, a_var = full_covariance(w, dbasis(theta), a, q, r)
    # explicit Jacobian of r = W (Y - A Phi^T) over (theta, A row by row)
    dphi = dbasis(theta)
    jac = np.zeros((m * X.size, 2 + 3 * m))
    for i in range(m):
        rows = slice(i * X.size, (i + 1) * X.size)
        for l in range(2):
            jac[rows, l] = -w[i] * (dphi[l] @ a[i])
        jac[rows, 2 + 3 * i : 5 + 3 * i] = -w[i][:, None] * basis(theta)
    cov = np.linalg.inv(jac.T @ jac)
    np.testing.assert_allclose(theta_cov, cov[:2, :2], rtol=1e-9)
    np.testing.assert_allclose(a_var, np.diag(cov)[2:].reshape(m, 3), rtol=1e-9)


def test_fit_recovers_noise_free_parameters():
    theta = np.array([0.7, 3.0])
    amplitudes = np.array([[1.0, -0.5, 0.2], [0.3, 0.8, -0.1], [-0.6, 0.4, 0.5]])
    data = amplitudes @ basis(theta).T
    res = varpro_fit(data, np.full(data.shape, 1e-3), basis, [0.5, 2.0])
    np.testing.assert_allclose(np.sort(res.theta), theta, rtol=1e-8)
    assert res.chi2 < 1e-12 and res.dof == data.size - 2 - 9


def test_bad_input_is_refused():
    with pytest.raises(VarproError, match="sigma"):
        varpro_fit(np.ones((2, X.size)), np.zeros((2, X.size)), basis, [1.0, 2.0])
    with pytest.raises(VarproError, match="more data than parameters"):
        varpro_fit(np.ones((2, 3)), np.ones((2, 3)), lambda t: np.ones((3, 3)), [1.0])
