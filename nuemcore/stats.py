r"""Statistics: chi-squared with analytically profiled pulls, Poisson likelihood ratio with
Gaussian-constrained nuisances, Poisson upper limits, thresholds, profiles, contours and the
vectorised (m4, mu) exclusion scan.

Conventions
-----------
* Pull parameters are *relative* normalisation shifts: a component enters as
  :math:`(1 + a_k)\,C_k` with a Gaussian penalty :math:`(a_k/\sigma_k)^2`.  Paper 003 eq. (23)
  writes :math:`((\mathbf a - 1)/\sigma)^2` with a multiplicative :math:`\mathbf a`; that is the
  same with :math:`a \to a - 1`.
* All functions broadcast over leading "batch" axes (parameter grids), bins on the last axis.
* :math:`\Delta\chi^2` thresholds for ``dof`` parameters at confidence level CL are
  ``scipy.stats.chi2.ppf(CL, dof)`` (2.706 for 90 % CL, 1 dof; 4.605 for 2 dof).

Which function for which paper
------------------------------
* paper 001 eq. (3.1), paper 003 eqs. (23)-(27): :func:`chi2_linear_pulls` (Gaussian, pulls
  linear in the prediction, minimised exactly by one linear solve).  001 eq. (3.1) has pulls on
  overlapping parts of the prediction (whole beam, antineutrino part, nu_e part) and additive
  background pulls: pass each part as a component and the total prediction as ``base``.
* paper 004 eq. (15): :func:`poisson_chi2_pulls` (Poisson -2 ln(L/L_sat) plus Gaussian penalties,
  profiled by a vectorised damped Newton method; the objective is convex in the pulls because
  the prediction is linear in them, so Newton with backtracking converges to the global minimum).
* paper 000 (background-free 90 % CL, 2.303 events) and paper 002 (N_sig <= 5.32):
  :func:`poisson_upper_limit` (classical) or ``method="fc"`` (Feldman-Cousins, 2.44 at n=0,b=0).
"""
from __future__ import annotations

import math

import numpy as np
from scipy import stats as _st
from scipy.special import gammainccinv

from .errors import GridError, NegativeEnergyError, NuemError, OutOfRangeError
from ._validate import ascending, finite, nonnegative

__all__ = ["chi2_linear_pulls", "poisson_chi2", "poisson_chi2_pulls", "poisson_upper_limit",
           "delta_chi2_threshold", "crossings", "profile_interval", "boundary_along_columns",
           "exclusion_curve", "SIGMA_CL"]

#: two-sided Gaussian coverage of 1, 2, 3 sigma: 0.6827, 0.9545, 0.9973
SIGMA_CL = {k: math.erf(k / math.sqrt(2.0)) for k in (1, 2, 3, 4, 5)}


# ----------------------------------------------------------------------------------------------
# thresholds
# ----------------------------------------------------------------------------------------------
def delta_chi2_threshold(cl=0.9, dof=1):
    r"""Delta chi^2 for confidence level ``cl`` and ``dof`` parameters (Wilks):
    ``chi2.ppf(cl, dof)``.  ``cl`` may be a probability (0.9, 0.95) or a string "1sigma",
    "2sigma", "3sigma" (two-sided Gaussian coverage).  E.g. 2.706 (90 %, 1 dof), 3.841 (95 %,
    1 dof), 4.605 (90 %, 2 dof), 1.0 / 4.0 / 9.0 for 1/2/3 sigma with 1 dof."""
    if isinstance(cl, str):
        key = cl.strip().lower().replace(" ", "")
        if not key.endswith("sigma"):
            raise NuemError(f"cl string must look like '2sigma', got {cl!r}")
        k = float(key[:-5])
        cl = math.erf(k / math.sqrt(2.0))
    cl = float(cl)
    if not 0.0 < cl < 1.0:
        raise OutOfRangeError(f"cl (confidence level) must lie in (0, 1), got {cl}")
    d = float(finite("dof", dof, "number of parameters"))
    if d < 1 or d != int(d):
        raise OutOfRangeError(f"dof must be an integer >= 1 (number of parameters), got {dof!r}")
    return float(_st.chi2.ppf(cl, int(d)))


# ----------------------------------------------------------------------------------------------
# (a) Gaussian chi^2 with analytic pulls
# ----------------------------------------------------------------------------------------------
def chi2_linear_pulls(data, prediction_components, sigma_data, pull_sigmas, base=None,
                      return_pulls=False):
    r"""Gaussian chi^2 minimised exactly over pulls entering linearly.

    .. math::
        \chi^2 = \min_{\mathbf a} \sum_i \frac{(D_i - P_i - \sum_k a_k C_{ki})^2}{\sigma_i^2}
                 + \sum_k \frac{a_k^2}{s_k^2},\qquad P = \sum_k C_k\ (\text{or } \texttt{base}),

    i.e. prediction :math:`\sum_k (1 + a_k) C_k`.  The minimum is one linear solve:
    :math:`(C W C^T + S^{-2})\,\hat a = C W (D - P)`.

    Parameters
    ----------
    data : (..., n) observed values D.
    prediction_components : (..., K, n) components C_k (counts per bin).
    sigma_data : (..., n) Gaussian errors sigma_i (> 0) of each bin.
    pull_sigmas : (K,) relative uncertainties s_k; ``0`` or ``None`` entries fix a_k = 0
        (component enters unscaled), ``inf`` leaves a_k free (no penalty).
    base : (..., n) or None: the central prediction P (default: sum of the components).  Use it
        when pulls act on overlapping pieces (paper 001 eq. 3.1).
    return_pulls : also return the best-fit pulls (..., K) (0 for fixed ones).

    Returns chi^2 (...) [and pulls].
    """
    C = np.asarray(prediction_components, dtype=float)
    if C.ndim < 2:
        raise NuemError("prediction_components must have shape (..., K, n_bins)")
    D = np.asarray(data, dtype=float)
    sig = np.asarray(sigma_data, dtype=float)
    if np.any(sig <= 0) or np.any(np.isnan(sig)):
        raise NuemError("sigma_data must be > 0")
    K = C.shape[-2]
    ps = [0.0 if s is None else float(s) for s in np.broadcast_to(np.asarray(pull_sigmas, dtype=object), (K,))]
    ps = np.array(ps)
    if np.any(ps < 0) or np.any(np.isnan(ps)):
        raise NuemError("pull_sigmas must be >= 0 (0: fixed, inf: free)")
    P = C.sum(axis=-2) if base is None else np.asarray(base, dtype=float)
    r = D - P
    w = 1.0 / sig**2
    act = ps > 0
    a_full = np.zeros(np.broadcast_shapes(r.shape[:-1], C.shape[:-2]) + (K,))
    if np.any(act):
        Ca = C[..., act, :]
        with np.errstate(divide="ignore"):
            prec = np.where(np.isinf(ps[act]), 0.0, 1.0 / ps[act] ** 2)
        A = np.einsum("...ki,...li,...i->...kl", Ca, Ca, np.broadcast_to(w, r.shape))
        A = A + np.diag(prec)
        b = np.einsum("...ki,...i->...k", Ca, r * w)
        a = np.linalg.solve(A, b[..., None])[..., 0]
        resid = r - np.einsum("...k,...ki->...i", a, Ca)
        chi2 = np.sum(resid**2 * w, axis=-1) + np.sum(a**2 * prec, axis=-1)
        a_full[..., act] = a
    else:
        chi2 = np.sum(r**2 * w, axis=-1)
    if return_pulls:
        return chi2, a_full
    return chi2


# ----------------------------------------------------------------------------------------------
# (b) Poisson likelihood ratio with Gaussian-constrained normalisations
# ----------------------------------------------------------------------------------------------
def poisson_chi2(data, prediction):
    r"""Poisson -2 ln(L/L_saturated) = 2 sum_i [N_i - D_i + D_i ln(D_i/N_i)] (paper 004 eq. 15
    without nuisances).  D_i = 0 bins contribute 2 N_i; N_i = 0 with D_i > 0 gives +inf."""
    D = np.asarray(data, dtype=float)
    N = np.asarray(prediction, dtype=float)
    if np.any(D < 0) or np.any(N < 0):
        raise NuemError("Poisson chi2 needs non-negative data and prediction")
    with np.errstate(divide="ignore", invalid="ignore"):
        log_term = np.where(D > 0, D * np.log(np.where(D > 0, D, 1.0) / np.where(N > 0, N, 1.0)), 0.0)
        term = N - D + log_term
        term = np.where((D > 0) & (N <= 0), np.inf, term)
    return 2.0 * np.sum(term, axis=-1)


def poisson_chi2_pulls(data, prediction_components, pull_sigmas, base=None, return_pulls=False,
                       max_iter=100, tol=1e-10):
    r"""Paper 004 eq. (15): :math:`\min_{\mathbf a}\{2\sum_i[N_i - D_i + D_i\ln(D_i/N_i)]
    + \sum_k (a_k/s_k)^2\}` with :math:`N = P + \sum_k a_k C_k`, :math:`P = \sum_k C_k`
    (or ``base``): prediction :math:`\sum_k (1 + a_k) C_k`.

    Profiled numerically by a vectorised damped Newton method over all batch entries at once
    (analytic gradient and Hessian; backtracking keeps N > 0 where D > 0 and enforces descent).
    The objective is convex in a (N linear in a), so this finds the global minimum.  Arguments as
    in :func:`chi2_linear_pulls`; ``pull_sigmas`` 0/None fixes a pull, inf leaves it free.
    """
    C = np.asarray(prediction_components, dtype=float)
    if C.ndim < 2:
        raise NuemError("prediction_components must have shape (..., K, n_bins)")
    D = np.asarray(data, dtype=float)
    K = C.shape[-2]
    ps = np.array([0.0 if s is None else float(s) for s in
                   np.broadcast_to(np.asarray(pull_sigmas, dtype=object), (K,))])
    if np.any(ps < 0) or np.any(np.isnan(ps)):
        raise NuemError("pull_sigmas must be >= 0 (0: fixed, inf: free)")
    P = C.sum(axis=-2) if base is None else np.asarray(base, dtype=float)
    batch = np.broadcast_shapes(D.shape[:-1], C.shape[:-2], P.shape[:-1])
    n = D.shape[-1]
    D = np.broadcast_to(D, batch + (n,))
    P = np.broadcast_to(P, batch + (n,))
    act = ps > 0
    a_full = np.zeros(batch + (K,))
    if not np.any(act):
        chi = poisson_chi2(D, P)
        return (chi, a_full) if return_pulls else chi
    Ca = np.broadcast_to(C[..., act, :], batch + (int(act.sum()), n))
    with np.errstate(divide="ignore"):
        prec = np.where(np.isinf(ps[act]), 0.0, 1.0 / ps[act] ** 2)

    def objective(a):
        N = P + np.einsum("...k,...ki->...i", a, Ca)
        bad = np.any((N < 0) | ((N <= 0) & (D > 0)), axis=-1)
        Nc = np.where(N > 0, N, 0.0)
        f = poisson_chi2(D, Nc) + np.sum(a * a * prec, axis=-1)
        return np.where(bad, np.inf, f), N

    a = np.zeros(batch + (int(act.sum()),))
    f, N = objective(a)
    for _ in range(int(max_iter)):
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(N > 0, D / np.where(N > 0, N, 1.0), 0.0)
            g = 2.0 * np.einsum("...ki,...i->...k", Ca, 1.0 - ratio) + 2.0 * a * prec
            curv = np.where(N > 0, D / np.where(N > 0, N, 1.0) ** 2, 0.0)
        H = 2.0 * np.einsum("...ki,...li,...i->...kl", Ca, Ca, curv) + 2.0 * np.diag(prec)
        # tiny ridge for components that no bin constrains (empty components)
        H = H + 1e-300 * np.eye(H.shape[-1]) + 1e-12 * np.abs(np.diagonal(H, axis1=-2, axis2=-1)).max(
            axis=-1, keepdims=True)[..., None] * np.eye(H.shape[-1])
        step = -np.linalg.solve(H, g[..., None])[..., 0]
        dec = -np.sum(g * step, axis=-1)  # Newton decrement^2 (>= 0)
        if np.all(~np.isfinite(f) | (dec < tol)):
            break
        t = np.ones(batch)
        for _ in range(60):
            a_new = a + t[..., None] * step
            f_new, N_new = objective(a_new)
            ok = f_new <= f - 0.25 * t * dec + 1e-12 * np.abs(f)
            if np.all(ok | (dec < tol)):
                break
            t = np.where(ok | (dec < tol), t, 0.5 * t)
        accept = (dec >= tol) & np.isfinite(f_new) & (f_new <= f + 1e-12 * np.abs(f))
        a = np.where(accept[..., None], a_new, a)
        f = np.where(accept, f_new, f)
        N = np.where(accept[..., None], N_new, N)
    a_full[..., act] = a
    return (f, a_full) if return_pulls else f


# ----------------------------------------------------------------------------------------------
# (c) Poisson upper limits
# ----------------------------------------------------------------------------------------------
def _classical_upper(n, b, cl):
    # sum_{k<=n} Pois(k; mu) = Q(n+1, mu) = 1 - cl  ->  mu = gammainccinv(n+1, 1-cl)
    mu = gammainccinv(np.asarray(n, dtype=float) + 1.0, 1.0 - cl)
    return np.maximum(mu - b, 0.0)


def _fc_accepts(n_obs, mu, b, cl, n_max):
    """Does the Feldman-Cousins acceptance region of signal mu (array) contain n_obs?"""
    mu = np.atleast_1d(np.asarray(mu, dtype=float))
    k = np.arange(n_max + 1)
    lam = mu[:, None] + b
    p = _st.poisson.pmf(k[None, :], lam)
    mu_best = np.maximum(k - b, 0.0)
    p_best = _st.poisson.pmf(k, mu_best + b)
    with np.errstate(divide="ignore", invalid="ignore"):
        R = np.where(p_best[None, :] > 0, p / p_best[None, :], 0.0)
    order = np.argsort(-R, axis=1, kind="stable")
    p_sorted = np.take_along_axis(p, order, axis=1)
    cum = np.cumsum(p_sorted, axis=1)
    # number of entries needed to reach cl (the first index where cum >= cl, inclusive)
    need = np.argmax(cum >= cl, axis=1) + 1
    rank = np.argsort(order, axis=1)  # rank of each k
    return rank[:, n_obs] < need


def poisson_upper_limit(n, b=0.0, cl=0.9, method="classical"):
    r"""Upper limit on the Poisson signal mean s for ``n`` observed events and known background
    ``b`` at confidence level ``cl``.

    ``method="classical"``: Neyman upper limit, :math:`\sum_{k\le n} \mathrm{Pois}(k; s+b) = 1-CL`
    (solved exactly with the inverse regularised incomplete gamma function), clipped at 0;
    n = 0, b = 0, CL = 90 %: s < -ln(0.1) = 2.303.  Vectorised over n and b.
    ``method="fc"``: Feldman-Cousins (likelihood-ratio ordering, PRD 57, 3873 (1998)) upper end
    of the interval: the largest signal whose acceptance region (n added in decreasing
    P(n|s+b)/P(n|max(0, n-b)+b) until the probability reaches CL) contains n; n = 0, b = 0,
    90 %: 2.44 and n = 3, b = 0: 7.42 as in their Table IV, and n = 0 with b = 0.5, 1, 1.5, 2.5
    gives 1.94, 1.61, 1.33, 1.18 as tabulated.  At some (n, b) this plain construction falls
    below the published table (n = 0: b = 2 -> 1.08 vs 1.26, b = 3 -> 0.95 vs 1.08), which we
    attribute to FC's adjustments for the discrete case (not implemented); quote the table when
    reproducing a paper that uses it.
    """
    if not 0 < cl < 1:
        raise OutOfRangeError(f"cl (confidence level) must lie in (0, 1), got {cl}")
    n_arr = np.asarray(n)
    n_f = finite("n", n_arr, "observed events")
    if np.any(n_f < 0) or np.any(n_f % 1 != 0):
        raise NuemError(f"n must be a non-negative integer count (events), got {n!r}")
    nonnegative("b", b, "expected background events")
    if method == "classical":
        out = _classical_upper(n_arr, np.asarray(b, dtype=float), cl)
        return out if np.ndim(out) else float(out)
    if method != "fc":
        raise NuemError(f"unknown method {method!r}; 'classical' or 'fc'")
    if np.ndim(n) or np.ndim(b):
        return np.vectorize(lambda nn, bb: poisson_upper_limit(int(nn), float(bb), cl, "fc"))(n, b)
    n, b = int(n), float(b)
    hi = float(_classical_upper(n, 0.0, 1 - (1 - cl) / 10)) + 5.0
    n_max = int(hi + b + 10 * math.sqrt(hi + b + 1) + 20)
    grid = np.linspace(0.0, hi, 2001)
    acc = _fc_accepts(n, grid, b, cl, n_max)
    if not acc.any():
        return 0.0
    j = np.nonzero(acc)[0][-1]
    if j == grid.size - 1:
        raise NuemError("FC construction did not close; increase the scan range")
    lo_, hi_ = grid[j], grid[j + 1]
    for _ in range(50):
        mid = 0.5 * (lo_ + hi_)
        if _fc_accepts(n, mid, b, cl, n_max)[0]:
            lo_ = mid
        else:
            hi_ = mid
    return 0.5 * (lo_ + hi_)


# ----------------------------------------------------------------------------------------------
# (e) profiles and contours
# ----------------------------------------------------------------------------------------------
def upper_crossing(x, chi2, level):
    """Smallest ``x`` above the best-fit grid point where Delta chi^2 = chi2 - min(chi2) rises
    above ``level`` (linear interpolation between grid points); +inf if it never does.  The
    one-sided upper limit of a parameter scanned on an ascending grid ``x``.

    ``x`` must be finite and strictly ascending and ``chi2`` finite with the same length
    (GridError / NonFiniteError): a NaN in a scan is an error, not a limit."""
    x = ascending("x", x)
    d = finite("chi2", chi2, "chi^2")
    if d.shape != x.shape:
        raise GridError(f"chi2 has shape {d.shape}, x has {x.shape}")
    level = float(nonnegative("level", level, "Delta chi^2"))
    ib = int(np.argmin(d))
    d = d - d[ib]
    j = np.nonzero((d > level) & (np.arange(x.size) > ib))[0]
    if not j.size:
        return np.inf
    j = int(j[0])
    f = (level - d[j - 1]) / (d[j] - d[j - 1])
    return float(x[j - 1] + f * (x[j] - x[j - 1]))


def crossings(x, y, level, log_x=False):
    """All x where the piecewise-linear y(x) crosses ``level`` (linear interpolation; in log x if
    ``log_x``).  Returns (x_cross, direction) with direction +1 for upward, -1 for downward."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float) - level
    u = np.log(x) if log_x else x
    s = np.sign(y)
    idx = np.nonzero(s[:-1] * s[1:] < 0)[0]
    zero = np.nonzero(y == 0)[0]
    xs = list(u[zero])
    dirs = [int(np.sign(y[min(i + 1, y.size - 1)] - y[max(i - 1, 0)])) for i in zero]
    for i in idx:
        f = y[i] / (y[i] - y[i + 1])
        xs.append(u[i] + f * (u[i + 1] - u[i]))
        dirs.append(1 if y[i + 1] > y[i] else -1)
    order = np.argsort(xs)
    xs = np.asarray(xs)[order]
    xs = np.exp(xs) if log_x else xs
    return xs, np.asarray(dirs, dtype=int)[order]


def profile_interval(x, chi2, level=None, cl=0.9, dof=1, log_x=False):
    r"""1-D profile: returns (x_best, lo, hi) where [lo, hi] is the connected region around the
    minimum with :math:`\Delta\chi^2 \le` ``level`` (default ``delta_chi2_threshold(cl, dof)``),
    interpolated linearly between grid points; lo/hi = the grid end if the profile does not
    cross there (an open side).  ``x`` finite and strictly ascending, ``chi2`` finite (x > 0 for
    ``log_x``); so lo <= x_best <= hi always."""
    x = ascending("x", x)
    c = finite("chi2", chi2, "chi^2")
    if c.shape != x.shape:
        raise GridError(f"chi2 has shape {c.shape}, x has {x.shape}")
    if log_x and x[0] <= 0:
        raise GridError(f"log_x needs x > 0, got x[0]={x[0]:g}")
    level = delta_chi2_threshold(cl, dof) if level is None else float(level)
    d = c - np.nanmin(c)
    ib = int(np.nanargmin(c))
    u = np.log(x) if log_x else x

    def cross(i, j):
        f = (level - d[i]) / (d[j] - d[i])
        v = u[i] + f * (u[j] - u[i])
        return float(np.exp(v) if log_x else v)
    hi = x[-1]
    for j in range(ib + 1, x.size):
        if d[j] > level:
            hi = cross(j - 1, j)
            break
    lo = x[0]
    for j in range(ib - 1, -1, -1):
        if d[j] > level:
            lo = cross(j + 1, j)
            break
    return float(x[ib]), float(lo), float(hi)


def boundary_along_columns(x, y, z, level, log_y=True):
    r"""Matplotlib-free contour extraction for exclusion plots: for each column ``x[i]`` of the
    grid ``z[i, j]`` (shape (n_x, n_y), ``y`` ascending) return the lowest ``y`` where z rises
    through ``level`` (first upward crossing; interpolated linearly in log y if ``log_y``).
    NaN where the column never crosses.  Vectorised over columns."""
    y = np.asarray(y, dtype=float)
    z = np.asarray(z, dtype=float)
    if z.shape != (np.size(x), y.size):
        raise NuemError(f"z must have shape (len(x), len(y)) = {(np.size(x), y.size)}, got {z.shape}")
    above = z >= level
    first = np.argmax(above, axis=1)
    has = above.any(axis=1) & (first > 0)
    j = np.clip(first, 1, y.size - 1)
    rows = np.arange(z.shape[0])
    z0, z1 = z[rows, j - 1], z[rows, j]
    u = np.log(y) if log_y else y
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.clip((level - z0) / (z1 - z0), 0.0, 1.0)
    v = u[j - 1] + f * (u[j] - u[j - 1])
    out = np.exp(v) if log_y else v
    out = np.where(has, out, np.nan)
    # excluded already at the lowest y
    return np.where(above[:, 0], y[0], out)


# ----------------------------------------------------------------------------------------------
# (m4, mu) exclusion scan
# ----------------------------------------------------------------------------------------------
def exclusion_curve(m4_grid, signal_unit_counts, background, data, test="chi2", cl=0.9, power=2,
                    sigma_data=None, pull_sigmas=None, n_up=None, reference="best_fit",
                    n_scan=241, u_range=(1e-4, 1e7), n_bisect=60, method="classical"):
    r"""Upper limit on a coupling mu at each m4 when the signal is ``mu**power`` times a
    precomputed unit spectrum: the (m4, mu) exclusion curve.

    Parameters
    ----------
    m4_grid : (n_m) masses [MeV] (only used for the shape; returned curve is per entry).
    signal_unit_counts : (n_m, n_bins) counts per bin for mu = 1 (in whatever unit mu is, e.g.
        mu_B: then the result is in mu_B).
    background : (n_bins) or (n_B, n_bins) background components (counts).
    data : (n_bins) observed counts (use the background for an expected/Asimov sensitivity).
    test : "chi2" (Gaussian, :func:`chi2_linear_pulls`), "poisson" (:func:`poisson_chi2_pulls`),
        or "counting" (total counts against :func:`poisson_upper_limit` or a given ``n_up``).
    cl : confidence level; chi2/poisson use Delta chi^2 = chi2.ppf(cl, 1) (one parameter, mu^2
        at fixed m4; 2.706 at 90 %).
    power : signal proportional to mu**power (2 for magnetic moments).
    sigma_data : (n_bins) Gaussian errors for "chi2" (default sqrt(max(data, 1))).
    pull_sigmas : (1 + n_B) relative uncertainties of [signal, background components...]
        (default: no pulls).
    n_up : for "counting", the signal-count limit (e.g. 5.32 of paper 002); default from
        :func:`poisson_upper_limit` with n = sum(data), b = sum(background), ``method``.
    reference : "best_fit" (Delta chi^2 from the minimum over mu^2 >= 0) or "zero" (from mu = 0).

    Method: the test statistic is evaluated for all m4 at once on a log grid of the expected
    total signal u = x * S_tot (x = mu**power), the first crossing of the threshold above the
    best fit is bracketed on that grid and refined by vectorised bisection (``n_bisect`` steps);
    the counting test is analytic.  Returns mu_limit (n_m); +inf where the signal is zero or the
    threshold is not reached within ``u_range`` events.
    """
    S = np.atleast_2d(np.asarray(signal_unit_counts, dtype=float))
    n_m, n_b = S.shape
    if np.size(m4_grid) != n_m:
        raise NuemError("signal_unit_counts must have one row per m4")
    if np.any(S < 0):
        raise NegativeEnergyError(f"signal_unit_counts must be >= 0 (counts), got {S.min():g}")
    p_ = float(finite("power", power, ""))
    if p_ <= 0:
        raise OutOfRangeError(f"power must be > 0 (signal proportional to mu**power), got {power!r}")
    finite("signal_unit_counts", S, "counts")
    B = np.atleast_2d(nonnegative("background", background, "counts"))
    D = nonnegative("data", data, "counts")
    if B.shape[-1] != n_b or D.shape != (n_b,):
        raise NuemError("background/data must have the same number of bins as the signal")
    Stot = S.sum(axis=1)
    zero = Stot <= 0
    Ssafe = np.where(zero, 1.0, Stot)
    if test == "counting":
        if n_up is None:
            n_up = poisson_upper_limit(int(round(D.sum())), float(B.sum()), cl, method=method)
        x = float(n_up) / Ssafe
        return np.where(zero, np.inf, x ** (1.0 / power))
    if test not in ("chi2", "poisson"):
        raise NuemError(f"unknown test {test!r}: 'chi2', 'poisson' or 'counting'")
    level = delta_chi2_threshold(cl, 1)
    K = 1 + B.shape[0]
    ps = np.zeros(K) if pull_sigmas is None else np.asarray(
        [0.0 if s is None else float(s) for s in pull_sigmas], dtype=float)
    if ps.shape != (K,):
        raise NuemError(f"pull_sigmas must have {K} entries (signal + each background)")
    if test == "chi2":
        sig = np.sqrt(np.maximum(D, 1.0)) if sigma_data is None else np.asarray(sigma_data, dtype=float)

    shape_ = S / Ssafe[:, None]  # unit-normalised signal shape per m4

    def stat(u):  # u: (n_m, n_u) expected signal totals -> chi2 (n_m, n_u)
        comps = np.concatenate([(u[..., None] * shape_[:, None, :])[..., None, :],
                                np.broadcast_to(B, u.shape + B.shape)], axis=-2)
        if test == "chi2":
            return chi2_linear_pulls(D, comps, sig, ps)
        return poisson_chi2_pulls(D, comps, ps)

    u_grid = np.concatenate([[0.0], np.geomspace(u_range[0], u_range[1], int(n_scan))])
    U = np.broadcast_to(u_grid, (n_m, u_grid.size))
    c = stat(U)
    if reference == "best_fit":
        ib = np.argmin(c, axis=1)
        cmin = c[np.arange(n_m), ib]
    elif reference == "zero":
        ib = np.zeros(n_m, dtype=int)
        cmin = c[:, 0]
    else:
        raise NuemError("reference must be 'best_fit' or 'zero'")
    d = c - cmin[:, None]
    cols = np.arange(u_grid.size)[None, :]
    above = (d > level) & (cols > ib[:, None])
    found = above.any(axis=1)
    j = np.argmax(above, axis=1)
    j = np.clip(j, 1, u_grid.size - 1)
    lo = u_grid[j - 1].copy()
    hi = u_grid[j].copy()
    for _ in range(int(n_bisect)):
        mid = np.where(lo > 0, np.sqrt(lo * np.maximum(hi, 1e-300)), 0.5 * hi)
        dm = stat(mid[:, None])[:, 0] - cmin
        up = dm > level
        hi = np.where(up, mid, hi)
        lo = np.where(up, lo, mid)
    u_lim = 0.5 * (lo + hi)
    x = u_lim / Ssafe
    return np.where(zero | ~found, np.inf, x ** (1.0 / power))
