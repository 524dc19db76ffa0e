"""Rate-convolution benchmarks: nuemcore.rates vs a straightforward nested scipy quad.

Run:  .venv/bin/python tests/benchmarks/run.py          (prints a table)
      NUEM_BENCH=1 .venv/bin/pytest tests/benchmarks -s  (same cases, asserts the agreement only)

Each case computes counts in recoil bins,

    N_i = n_targets * exposure * int_{bin i} dT  sum_s int_{E_min(T)} dE  phi_s(E) dsigma_s/dT(E, T),

twice in the same process:

* reference: outer ``scipy.integrate.quad`` over T in each bin, inner ``quad`` over E_nu from
  E_min(T) (nuemcore.kinematics.neutrino_energy_min) to the flux end point, the flux evaluated by
  ``Flux.__call__`` (linear interpolation) and the cross section called with scalars;
* nuemcore: ``RateEngine`` on a Gauss-Legendre recoil grid (``gauss_bin_grid``, panels split at
  ``recoil_breakpoints``: the recoil edges of the flux support, where dR/dT has a kink) and
  ``binned_counts``.  Both integrals are given the same break points.  "cold" includes building the engine, "warm" reuses it (what a widget does).

Speed-ups are ratios of wall times measured in the same process (no absolute timings are
asserted anywhere).
"""
from __future__ import annotations

import math
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from scipy.integrate import IntegrationWarning, quad

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from nuemcore import constants as C  # noqa: E402
from nuemcore import kinematics, rates  # noqa: E402


def _timeit(fn, repeat=3):
    best, out = math.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def _reference_counts(flux, xsec_scalar, bins, target_mass, m4=0.0, epsrel=1e-6,
                      flavour_blind=False):
    """Nested quad: outer over T per bin, inner over E_nu (species summed inside the integrand;
    one cross-section call per E when it is flavour-blind)."""
    E_end = float(flux.energy[-1])
    species = list(flux.spectra)

    def integrand(E, T):
        if flavour_blind:
            return sum(float(flux(s, E)) for s in species) * xsec_scalar(species[0], E, T)
        return sum(float(flux(s, E)) * xsec_scalar(s, E, T) for s in species)

    nodes = np.asarray(flux.energy, dtype=float)

    def dRdT(T):
        emin = max(float(kinematics.neutrino_energy_min(T, target_mass, m4)), float(flux.energy[0]))
        if emin >= E_end:
            return 0.0
        # the flux kinks (grid nodes) as break points, as a careful quad user would pass them
        pts = nodes[(nodes > emin) & (nodes < E_end)]
        pts = pts if pts.size <= 350 else None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", IntegrationWarning)
            return quad(integrand, emin, E_end, args=(T,), epsabs=0.0, epsrel=epsrel, limit=800,
                        points=pts)[0]

    kinks = rates.recoil_breakpoints(flux, target_mass, m4)
    out = []
    for a, b in zip(bins[:-1], bins[1:]):
        pts = kinks[(kinks > a) & (kinks < b)]
        out.append(quad(dRdT, a, b, epsabs=0.0, epsrel=epsrel, limit=200,
                        points=pts if pts.size else None)[0])
    return np.array(out)


def _ours(flux, xsec, bins, target_mass, m4=0.0, n_per_bin=4, n_gauss=4, engine=None, log=True,
          flavour_blind=False):
    T, W = rates.gauss_bin_grid(bins, n_per_bin=n_per_bin, log=log,
                                breakpoints=rates.recoil_breakpoints(flux, target_mass, m4))
    eng = engine or rates.RateEngine(flux, T, target_mass, m4=m4, n_gauss=n_gauss)
    dRdT = eng.spectrum(xsec, flavour_blind=flavour_blind)
    return rates.binned_counts(dRdT, T, W, 1.0, 1.0), eng


def case_solar_b8_cevns_xenon():
    """8B solar neutrinos (B16-GS98, Winter shape, LMA-MSW oscillated to nu_e/nu_mu/nu_tau) on
    xenon via SM CEvNS with the Helm form factor: counts per nucleus per second in 5 log bins of
    nuclear recoil 0.5-5 keV."""
    from nuemcore.flux import solar
    from nuemcore.nuclear import nucleus
    from nuemcore.xsec import nucleus as xn

    try:
        flux = solar.solar_flux(["8B"], oscillate=True)
    except Exception:  # pragma: no cover - oscillation module not usable: unoscillated nu_e
        flux = solar.solar_component_flux("8B")
    Xe = nucleus("Xe")
    M = Xe.mass
    xsec = lambda s, E, T: xn.sm(E, T, target="Xe")
    xsec_scalar = lambda s, E, T: float(xn.sm(E, T, target="Xe"))
    bins = np.geomspace(0.5e-3, 5e-3, 6)
    return dict(name="solar 8B CEvNS on Xe", flux=flux, xsec=xsec, xsec_scalar=xsec_scalar,
                bins=bins, M=M, flavour_blind=True, n_gauss=2, n_per_bin=6)


def case_reactor_electron_germanium():
    """Reactor nubar_e (3 GW, 20 m, Huber-Mueller, grid from 1.8 MeV extrapolated) on the electrons
    of germanium: SM nubar_e e plus a magnetic moment 1e-11 mu_B; counts per free electron per
    second in 10 log bins of electron recoil 1 keV-8 MeV."""
    from nuemcore.flux import reactor
    from nuemcore.xsec import electron as xe

    flux = reactor.reactor_flux(3000.0, 2000.0, low_energy="extrapolate")

    def xsec(s, E, T):
        return xe.sm(E, T, "e", antineutrino=True) + xe.magnetic_moment(E, T, 1e-11)

    def xsec_scalar(s, E, T):
        return float(xe.sm(E, T, "e", antineutrino=True) + xe.magnetic_moment(E, T, 1e-11))

    bins = np.geomspace(1e-3, 8.0, 11)
    return dict(name="reactor nubar_e-e on Ge", flux=flux, xsec=xsec, xsec_scalar=xsec_scalar,
                bins=bins, M=C.m_e, flavour_blind=False, n_gauss=1, n_per_bin=4)


CASES = (case_solar_b8_cevns_xenon, case_reactor_electron_germanium)


def run_case(make, ref_epsrel=1e-6, n_per_bin=None, n_gauss=None):
    """Reference and nuemcore counts for one case; ``n_gauss`` (Gauss points per flux cell) and
    ``n_per_bin`` (Gauss points per recoil panel) default to the case's choice: the reactor grid
    has 5 keV cells, so one point per cell already integrates E to ~1e-6; the 8B grid has 0.1 MeV
    cells and needs two.  The recoil integration dominates the remaining difference."""
    c = make()
    n_gauss = c["n_gauss"] if n_gauss is None else n_gauss
    n_per_bin = c["n_per_bin"] if n_per_bin is None else n_per_bin
    fb = c["flavour_blind"]
    t_ref, ref = _timeit(lambda: _reference_counts(c["flux"], c["xsec_scalar"], c["bins"], c["M"],
                                                   epsrel=ref_epsrel, flavour_blind=fb), repeat=1)
    t_cold, (ours, eng) = _timeit(lambda: _ours(c["flux"], c["xsec"], c["bins"], c["M"],
                                               n_per_bin=n_per_bin, n_gauss=n_gauss,
                                               flavour_blind=fb))
    t_warm, (ours_w, _) = _timeit(lambda: _ours(c["flux"], c["xsec"], c["bins"], c["M"], engine=eng,
                                               n_per_bin=n_per_bin, flavour_blind=fb), repeat=5)
    ok = ref > 0
    rel = float(np.max(np.abs(ours[ok] / ref[ok] - 1.0)))
    return dict(name=c["name"], n_bins=len(c["bins"]) - 1, n_T=eng.T.size, n_E_nodes=eng.E_nodes.size,
                rel=rel, t_ref=t_ref, t_cold=t_cold, t_warm=t_warm,
                speed_cold=t_ref / t_cold, speed_warm=t_ref / t_warm, total=float(ref.sum()))


def main():
    rows = [run_case(m) for m in CASES]
    head = (f"{'case':28s} {'bins':>4s} {'T nodes':>7s} {'E nodes':>7s} {'max rel diff':>12s} "
            f"{'speed-up cold':>13s} {'speed-up warm':>13s}")
    print(head)
    print("-" * len(head))
    for r in rows:
        print(f"{r['name']:28s} {r['n_bins']:4d} {r['n_T']:7d} {r['n_E_nodes']:7d} {r['rel']:12.2e} "
              f"{r['speed_cold']:12.0f}x {r['speed_warm']:12.0f}x")
    print("\nreference: nested scipy quad (epsrel 1e-6) in the same process; times are ratios only.")
    return rows


if __name__ == "__main__":
    main()
