"""The bad-input cases of tests/test_bad_inputs.py as data, so that the same list can be replayed
against an older nuemcore (``python tests/bad_input_cases.py`` prints the outcome of each case;
used for the before/after table of issue 14).

Each case: (id, thunk, expected exception type name, key words of the message).
"""
from __future__ import annotations

import numpy as np

NAN, INF = float("nan"), float("inf")


def _mods():
    from nuemcore import decay, detector, kinematics, rates, stats
    from nuemcore import form_factors as FF
    from nuemcore.flux import base
    from nuemcore.xsec import electron as X
    from nuemcore.xsec import nucleus as N
    return X, N, kinematics, FF, decay, detector, rates, stats, base


def cases():
    X, N, kin, FF, decay, det, rates, stats, base = _mods()
    T2 = np.linspace(0.0, 2.0, 21)           # a recoil grid ending at 2 MeV
    y2 = np.ones_like(T2)
    Tg = np.linspace(1e-3, 0.1, 50)
    flat = lambda v: (lambda x: np.full(np.shape(x), v))
    fl = base.Flux(energy=np.linspace(1.0, 10.0, 10), spectra={"nu_e": np.ones(10)})
    xs_e = lambda s, E, T: X.sm(E, T, "e")
    x_scan = np.linspace(0.0, 3.0, 31)
    chi = (x_scan - 1.0) ** 2
    S = np.ones((2, 3))
    c = []
    add = lambda *a: c.append(a)
    # ---- xsec.electron
    add("e.sm E=inf", lambda: X.sm(INF, 0.1, "e"), "NonFiniteError", ["E_nu", "finite", "inf"])
    add("e.sm T=nan", lambda: X.sm(1.0, NAN, "e"), "NonFiniteError", ["T", "finite", "nan"])
    add("e.sm E<0", lambda: X.sm(-1.0, 0.1, "e"), "NegativeEnergyError", ["E_nu", ">= 0", "MeV", "-1"])
    add("e.sm sin2w=nan", lambda: X.sm(1.0, 0.1, "e", sin2w=NAN), "NonFiniteError", ["sin2w", "finite"])
    add("e.sm sin2w=2", lambda: X.sm(1.0, 0.1, "e", sin2w=2), "OutOfRangeError", ["sin2w", "(0, 1)", "2"])
    add("e.sm sin2w=-0.3", lambda: X.sm(1.0, 0.1, "e", sin2w=-0.3), "OutOfRangeError", ["sin2w", "(0, 1)", "-0.3"])
    add("e.sm sin2w=0", lambda: X.sm(1.0, 0.1, "e", sin2w=0.0), "OutOfRangeError", ["sin2w", "(0, 1)"])
    add("e.sm charge_radius=nan", lambda: X.sm(1.0, 0.1, "e", charge_radius=NAN), "NonFiniteError", ["charge_radius", "cm^2"])
    add("e.sm charge_radius=inf", lambda: X.sm(1.0, 0.1, "e", charge_radius=INF), "NonFiniteError", ["charge_radius", "cm^2", "inf"])
    add("e.mu=nan", lambda: X.magnetic_moment(1.0, 0.1, NAN), "NonFiniteError", ["mu", "mu_B"])
    add("e.mu=inf", lambda: X.magnetic_moment(1.0, 0.1, INF), "NonFiniteError", ["mu", "mu_B", "inf"])
    add("e.dipole m4<0", lambda: X.magnetic_moment(1.0, 0.1, 1e-10, m4=-1.0), "NegativeEnergyError", ["m_out", "MeV", "-1"])
    add("e.millicharge q=inf", lambda: X.millicharge(1.0, 0.1, INF, "e"), "NonFiniteError", ["q", "e", "inf"])
    add("e.anapole a=nan", lambda: X.anapole(1.0, 0.1, NAN), "NonFiniteError", ["a", "cm^2"])
    add("e.total n=0", lambda: X.total(1.0, lambda E, T: X.sm(E, T, "e"), n=0), "NuemError", ["n", ">= 1", "0"])
    add("e.sm flavour", lambda: X.sm(1.0, 0.1, "sterile"), "UnknownFlavourError", ["flavour", "sterile"])
    # ---- xsec.nucleus
    add("N.sm mass in GeV", lambda: N.sm(10.0, 1e-3, 54, 77, mass=122.0), "UnitSlipError", ["mass", "MeV", "122"])
    add("N.sm mass=0", lambda: N.sm(10.0, 1e-3, 54, 77, mass=0.0), "OutOfRangeError", ["mass", "> 0", "MeV"])
    add("N.sm mass=nan", lambda: N.sm(10.0, 1e-3, 54, 77, mass=NAN), "NonFiniteError", ["mass", "MeV"])
    add("N.sm E=inf", lambda: N.sm(INF, 1e-3, target="Xe"), "NonFiniteError", ["E_nu", "inf"])
    add("N.sm sin2w=2", lambda: N.sm(10.0, 1e-3, target="Xe", sin2w=2.0), "OutOfRangeError", ["sin2w", "(0, 1)"])
    add("N.sm sin2w=nan", lambda: N.sm(10.0, 1e-3, target="Xe", sin2w=NAN), "NonFiniteError", ["sin2w"])
    add("N.sm neutron_radius=-5", lambda: N.sm(10.0, 1e-3, target="Xe", neutron_radius=-5.0), "NegativeEnergyError", ["neutron_radius", "fm", "-5"])
    add("N.sm neutron_radius=0", lambda: N.sm(10.0, 1e-3, target="Xe", neutron_radius=0.0), "NuemError", ["neutron_radius", "> 0", "fm"])
    add("N.sm neutron_radius=nan", lambda: N.sm(10.0, 1e-3, target="Xe", neutron_radius=NAN), "NonFiniteError", ["neutron_radius", "fm"])
    add("N.sm charge_radius=nan", lambda: N.sm(10.0, 1e-3, target="Xe", charge_radius=NAN), "NonFiniteError", ["charge_radius", "cm^2"])
    add("N.mu=inf", lambda: N.magnetic_moment(10.0, 1e-3, target="Xe", mu=INF), "NonFiniteError", ["mu", "mu_B"])
    add("N.millicharge q=nan", lambda: N.millicharge(10.0, 1e-3, target="Xe", q=NAN), "NonFiniteError", ["q", "e"])
    add("N.integrate_recoil n=0", lambda: N.integrate_recoil(lambda E, T: N.sm(E, T, target="Xe"), 10.0, 0.0, 1e-3, n=0), "NuemError", ["n", ">= 1"])
    add("N.sm unknown target", lambda: N.sm(10.0, 1e-3, target="Kr"), "UnknownTargetError", ["Kr"])
    # ---- kinematics / form factors
    add("kin.recoil_window M=0", lambda: kin.recoil_window(10.0, 0.0), "OutOfRangeError", ["target_mass", "> 0", "MeV"])
    add("kin.E_min M=0", lambda: kin.neutrino_energy_min(1e-3, 0.0), "OutOfRangeError", ["target_mass", "> 0"])
    add("kin.recoil_max E=inf", lambda: kin.recoil_max(INF, 1000.0), "NonFiniteError", ["E_in", "inf"])
    add("kin.recoil_max M=nan", lambda: kin.recoil_max(10.0, NAN), "NonFiniteError", ["target_mass", "nan"])
    add("kin.m4_max M<0", lambda: kin.m4_max(10.0, 1e-3, -1.0), "NegativeEnergyError", ["target_mass", ">= 0", "-1"])
    add("FF.helm q=inf", lambda: FF.helm(INF, A=131), "NonFiniteError", ["q", "inf"])
    add("FF.helm q=nan", lambda: FF.helm(NAN, A=131), "NonFiniteError", ["q", "nan"])
    add("FF.helm q<0", lambda: FF.helm(-1.0, A=131), "NegativeEnergyError", ["q", ">= 0"])
    add("FF.q_from_recoil M=inf", lambda: FF.q_from_recoil(1e-3, INF), "NonFiniteError", ["mass", "inf"])
    # ---- decay
    add("decay m4=inf", lambda: decay.width_nu_gamma(INF, 1e-8), "NonFiniteError", ["m4", "inf"])
    add("decay mu=nan", lambda: decay.width_nu_gamma(1.0, NAN), "NonFiniteError", ["mu", "mu_B"])
    add("decay L<0 in cm", lambda: decay.probability_decay_beyond(-1.0, 10.0, 1.0, 1e-8), "NegativeEnergyError", ["L", "cm", "-1"])
    add("decay L1=nan in cm", lambda: decay.probability_decay_between(NAN, 5.0, 10.0, 1.0, 1e-8), "NonFiniteError", ["L1", "cm"])
    add("decay E_N=inf", lambda: decay.decay_length(INF, 1.0, 1e-8), "NonFiniteError", ["E_N", "inf"])
    add("decay E_N<m4", lambda: decay.decay_length(0.5, 1.0, 1e-8), "NuemError", ["E_N", "m4", "MeV"])
    # ---- detector
    add("det eff=1.5", lambda: det.response_matrix(Tg, [0.0, 0.05, 0.1], efficiency=flat(1.5)), "OutOfRangeError", ["efficiency", "[0, 1]", "1.5"])
    add("det eff=-0.5", lambda: det.response_matrix(Tg, [0.0, 0.05, 0.1], efficiency=flat(-0.5)), "OutOfRangeError", ["efficiency", "[0, 1]", "-0.5"])
    add("det eff=nan", lambda: det.response_matrix(Tg, [0.0, 0.05, 0.1], efficiency=flat(NAN)), "NonFiniteError", ["efficiency", "finite"])
    add("det eff=90 (percent)", lambda: det.response_matrix(Tg, [0.0, 0.05, 0.1], efficiency=flat(90.0)), "OutOfRangeError", ["efficiency", "percentage", "90"])
    add("det observed eff=1.5", lambda: det.response_matrix(Tg, [0.0, 0.05, 0.1], efficiency=flat(1.5), efficiency_on="observed", resolution=lambda E: 0.01 + 0 * E), "OutOfRangeError", ["efficiency", "[0, 1]"])
    add("Detector targets<0", lambda: det.Detector("d", {"e": -1.0}, 1.0, [0.0, 0.1]), "NegativeEnergyError", ["targets", "'e'", "-1"])
    add("Detector exposure<0", lambda: det.Detector("d", {"e": 1.0}, -1.0, [0.0, 0.1]), "NegativeEnergyError", ["exposure", "s", "-1"])
    add("Detector exposure=nan", lambda: det.Detector("d", {"e": 1.0}, NAN, [0.0, 0.1]), "NonFiniteError", ["exposure"])
    add("det bins beyond grid", lambda: det.response_matrix(T2, [0.0, 5.0, 10.0]), "GridError", ["bins", "10", "outside='zero'"])
    add("det bins nan", lambda: det.response_matrix(Tg, [0.0, NAN]), "GridError", ["bins", "finite"])
    add("det T_grid descending", lambda: det.response_matrix(Tg[::-1], [0.0, 0.1]), "GridError", ["T_grid", "ascending"])
    # ---- rates
    add("integrate beyond grid", lambda: rates.integrate_spectrum(y2, T2, 0.0, 10.0), "GridError", ["T_hi", "10", "outside='zero'"])
    add("integrate lo>hi", lambda: rates.integrate_spectrum(y2, T2, 1.5, 0.5), "NuemError", ["T_lo", "T_hi", "1.5"])
    add("integrate dRdT nan", lambda: rates.integrate_spectrum(np.full(21, NAN), T2), "NonFiniteError", ["dRdT"])
    add("integrate T_grid descending", lambda: rates.integrate_spectrum(y2, T2[::-1]), "GridError", ["T_grid", "ascending"])
    add("binned_counts exposure<0", lambda: rates.binned_counts(y2, T2, np.ones((1, 21)), 1e30, -1.0), "NegativeEnergyError", ["exposure", "-1"])
    add("binned_counts n_targets=nan", lambda: rates.binned_counts(y2, T2, np.ones((1, 21)), NAN, 1.0), "NonFiniteError", ["n_targets"])
    add("RateEngine M=0", lambda: rates.RateEngine(fl, Tg, 0.0), "OutOfRangeError", ["target_mass", "> 0"])
    add("RateEngine T=inf", lambda: rates.RateEngine(fl, [INF], 0.511), "NonFiniteError", ["T", "inf"])
    add("RateEngine NaN xsec", lambda: rates.RateEngine(fl, Tg, 0.511).spectrum(lambda s, E, T: np.where(E > 5, NAN, 1e-45) + 0 * T),
        "NonFiniteError", ["cross section", "nu_e", "E_nu=", "T="])
    # ---- flux
    add("Flux negative spectrum", lambda: base.Flux(energy=[1.0, 2.0], spectra={"nu_e": [-1.0, 1.0]}), "NegativeEnergyError", ["spectrum", "nu_e", ">= 0", "-1"])
    add("Flux negative line", lambda: base.Flux(energy=[], lines={"nu_e": [(0.86, -5.0)]}), "NegativeEnergyError", ["line", "nu_e", ">= 0", "-5"])
    add("Flux nan spectrum", lambda: base.Flux(energy=[1.0, 2.0], spectra={"nu_e": [NAN, 1.0]}), "NonFiniteError", ["spectrum", "nu_e", "finite"])
    add("Flux.scaled(-1)", lambda: fl.scaled(-1), "NegativeEnergyError", ["factor", ">= 0", "-1"])
    add("Flux.scaled(nan)", lambda: fl.scaled(NAN), "NonFiniteError", ["factor"])
    add("lhc lumi=-1", lambda: __import__("nuemcore.flux.lhc_forward", fromlist=["x"]).lhc_forward_flux("FASERnu2", luminosity_fb=-1), "NegativeEnergyError", ["luminosity_fb", "fb^-1", "-1"])
    add("Cr51 activity<0", lambda: __import__("nuemcore.flux.chromium51", fromlist=["x"]).chromium51_flux(-1.0, 100.0), "NegativeEnergyError", ["activity_MCi", "MCi"])
    add("reactor distance=nan", lambda: __import__("nuemcore.flux.reactor", fromlist=["x"]).reactor_flux(1000.0, NAN), "NonFiniteError", ["distance_cm", "cm"])
    add("pion DAR pot<0", lambda: __import__("nuemcore.flux.pion_dar", fromlist=["x"]).pion_dar_flux(-1.0, 0.08, 2000.0), "NegativeEnergyError", ["pot", "-1"])
    # ---- oscillation
    from nuemcore import oscillation as osc
    add("vacuum_probability L<0", lambda: osc.vacuum_probability("e", "e", -1.0, 3.0), "NegativeEnergyError", ["L_cm", "cm", "-1"])
    add("vacuum_probability L=nan", lambda: osc.vacuum_probability("e", "mu", NAN, 3.0), "NonFiniteError", ["L_cm", "cm"])
    add("matter_potential n_e<0", lambda: osc.matter_potential(-1e20), "NegativeEnergyError", ["n_e_cm3", "cm^-3"])
    # ---- stats
    add("upper_crossing NaN", lambda: stats.upper_crossing(x_scan, np.where(x_scan == 2.0, NAN, chi), 2.7), "NonFiniteError", ["chi2", "nan"])
    add("upper_crossing descending", lambda: stats.upper_crossing(x_scan[::-1], chi[::-1], 2.7), "GridError", ["x", "ascending"])
    add("profile_interval descending", lambda: stats.profile_interval(x_scan[::-1], chi[::-1]), "GridError", ["x", "ascending"])
    add("profile_interval NaN", lambda: stats.profile_interval(x_scan, np.where(x_scan == 0.5, NAN, chi)), "NonFiniteError", ["chi2"])
    add("exclusion data<0", lambda: stats.exclusion_curve([1.0, 2.0], S, [1.0, 1.0, 1.0], [1.0, -1.0, 1.0]), "NegativeEnergyError", ["data", "counts", "-1"])
    add("exclusion background<0", lambda: stats.exclusion_curve([1.0, 2.0], S, [1.0, -2.0, 1.0], [1.0, 1.0, 1.0]), "NegativeEnergyError", ["background", "counts", "-2"])
    add("exclusion power=0", lambda: stats.exclusion_curve([1.0, 2.0], S, [1.0, 1.0, 1.0], [1.0, 1.0, 1.0], test="counting", power=0), "OutOfRangeError", ["power", "> 0"])
    add("poisson_upper_limit b=nan", lambda: stats.poisson_upper_limit(2, b=NAN), "NonFiniteError", ["b", "background"])
    add("poisson_upper_limit n=1.5", lambda: stats.poisson_upper_limit(1.5), "NuemError", ["n", "integer", "1.5"])
    add("delta_chi2 dof=0", lambda: stats.delta_chi2_threshold(0.9, dof=0), "OutOfRangeError", ["dof", ">= 1", "0"])
    add("delta_chi2 cl=1.5", lambda: stats.delta_chi2_threshold(1.5), "OutOfRangeError", ["cl", "(0, 1)", "1.5"])
    return c


def outcome(thunk):
    """Classify what a call does: ('nuem', type, message) | ('raw', type, message) | ('value', repr)."""
    try:
        v = thunk()
    except Exception as exc:  # noqa: BLE001 - we classify every outcome
        from nuemcore.errors import NuemError
        kind = "nuem" if isinstance(exc, NuemError) else "raw"
        return kind, type(exc).__name__, str(exc)
    r = repr(v)
    return "value", r[:60]


if __name__ == "__main__":
    import warnings
    warnings.simplefilter("ignore")
    for cid, thunk, etype, words in cases():
        o = outcome(thunk)
        if o[0] == "value":
            print(f"{cid}\tvalue\t{o[1]}")
        else:
            hit = all(w.lower() in o[2].lower() for w in words)
            print(f"{cid}\t{o[0]}:{o[1]}\t{'keywords-ok' if hit else 'keywords-missing'}\t{o[2][:110]}")
