r"""The sterile-neutrino dipole portal across the book: one place that gathers every chapter's
bound or reach on a transition moment :math:`\mu_{\nu_\alpha N}` (nu_alpha -> N of mass m4).

This module computes **no physics**.  It only calls the public functions that the chapter
modules already have, and labels the results:

=================  ===========================================================================
chapter            curves (function called)
=================  ===========================================================================
``sterile_tmm``    COHERENT CsI/LAr (data), CENNS-750 (projection), TEXONO (data, Asimov
                   reconstruction), 51Cr CEvNS Ge and 51Cr-LXe C (projections), XENON1T excess
                   (allowed region): :func:`sterile_tmm.limit_curves_effective`,
                   :func:`sterile_tmm.coherent_limit` (nu_e weights), :func:`sterile_tmm.xenon1t_region`
                   (paper 003, Fig. 3)
``dark_moments``   XENONnT ER 2022, pp nu_e up-scattering nu_e e -> N e:
                   :func:`dark_moments.sterile_limit_curve` ("mu_nuN"; paper 002, Fig. 5)
``solar_cevns``    XENONnT 8B CEvNS (4-D release likelihood, SR0+SR1) and the electron-recoil bound
                   (XENONnT ER 2022 + LZ + PandaX-4T): :func:`solar_cevns.dipole_limits_cevns`,
                   :func:`solar_cevns.dipole_limits_er` (paper 004, Fig. 4)
``dune``           DUNE ND nu e -> N e reach, on-axis and PRISM plans:
                   :func:`dune.transition_moment_curve` (beyond paper 001)
``fpf``            FASERnu2, FLArE-10, FLArE-100 reach (strong cuts, non-prompt decays, paper's
                   counting prescription): :func:`fpf.scan` + :func:`fpf.band_edges` (paper 000,
                   Fig. 3)
=================  ===========================================================================

Which flavour each experiment probes: COHERENT (pi DAR: prompt nu_mu, delayed nu_e and
nubar_mu) constrains nu_mu (the paper's effective moment) and nu_e (the chapter's
``coherent_limit`` with weight 1 on nu_e: a book computation that paper 003 does not show);
TEXONO and 51Cr only nu_e; XENON1T, XENONnT and the solar CEvNS bounds the solar flux of each
flavour after oscillation (dark moments: nu_e only, P_ee = 0.553); DUNE nu_e and nu_mu; the FPF all
three.  Nothing probes nu_tau except the solar and FPF curves.

Return convention of :func:`bounds`: ``{label: (m4, mu, kind)}`` with m4 [MeV] strictly
ascending and positive, mu [mu_B] positive, and ``kind`` one of :data:`KINDS`:

* ``"current"``: 90 % CL upper limit from published data; ``mu`` has shape (n,), the region
  above the curve is excluded;
* ``"projected"``: 90 % CL reach of a future experiment; ``mu`` has shape (n,) (excluded above)
  or, for a band closed from above by prompt N decays (FPF), shape (2, n) with the lower and
  upper edges;
* ``"allowed region"``: a region favoured by data (the XENON1T excess, 90 % CL 2 dof): ``mu``
  has shape (2, n), lower and upper edges.

Points where a chapter returns inf or NaN (no sensitivity, e.g. above its kinematic reach) and
m4 = 0 are dropped.

Confidence levels (``convention``)
----------------------------------
The chapters reproduce their papers, and the papers use different rules for "90 % CL": a 1-dof
Delta chi^2 = 2.71 raster in m4 (paper 003, DUNE), a 2-dof Delta chi^2 = 4.61 (paper 004 Fig. 4),
paper 002's N_sig <= 5.32 (the classical limit for 2 observed events and no background, applied
to a window with 433 observed events over 426.5 expected), and Poisson counting with the paper's
backgrounds (FPF, 2.30 or 2.89 events).  Drawn together, such curves cannot be ranked.

``convention="common"`` (the default of every function here) puts every curve on one rule: **a
one-parameter 90 % CL upper limit on mu at fixed m4**, i.e.

* where the chapter has a chi^2 or likelihood: Delta chi^2 = 2.71 (1 dof) from the best fit over
  mu^2 >= 0, m4 a fixed hypothesis (raster).  sterile_tmm and DUNE already use it; solar_cevns is
  recomputed with ``level = DCHI2_90_1DOF`` (its functions take the level);
* where the analysis is a single count: the classical Poisson upper limit P(n <= n_obs | s + b) =
  0.10 with the observed count (dark moments: n_obs = 433, b = 426.5, s_up = 34.4 events instead
  of 5.32, a limit on mu sqrt(34.4/5.32) = 2.54 times weaker) or, for a projection, n_obs = b
  with the background **this book computes** (FPF strong cuts: 0.26, 0.27, 2.07 events instead of
  the paper's 0, 0, 1).

These are the standard frequentist 90 % limits of each type of analysis (they are not identical
rules: for a pure count with b = 0 the Poisson limit is 2.30 events, the Delta chi^2 = 2.71
crossing of the Poisson likelihood 1.35).  The XENON1T excess is an allowed *region* fitted in
(m4, mu) and stays 2 dof (Delta chi^2 <= 4.61): it is never ranked.

``convention="paper"`` returns each chapter's reproduction of its paper's own rule; its labels say
which rule.  Every label ends with the rule after the last ";", so it appears in any legend.
:func:`provenance` states the rule in full.

Cost: every chapter function is cached by its module; :func:`bounds` is cached here too.  All
three flavours together take about 10 s the first time (mostly sterile_tmm's eleven curves and
solar_cevns' CEvNS folding), then nothing.
"""
from __future__ import annotations

import functools

import numpy as np
from scipy.stats import poisson

from .. import stats
from .._validate import flavour as _flavour

__all__ = ["KINDS", "CONVENTIONS", "COMMON_CL", "CHAPTERS", "CHAPTER_LABEL", "FPF_DETECTORS", "DUNE_PLANS", "bounds",
           "provenance", "chapter_of", "envelope", "stronger_ranges", "plot_bounds",
           "default_style", "legend_entries", "legend_by_chapter"]

KINDS = ("current", "projected", "allowed region")
#: "common": one rule for every curve (module docstring); "paper": each paper's own rule
CONVENTIONS = ("common", "paper")
#: the common convention, as printed in figure titles
COMMON_CL = ("90% CL, one parameter (mu at fixed m4): Delta chi2 = 2.71 for fits, "
             "Poisson limit for single counts (Feldman-Cousins at the median count for "
             "background-only projections)")
#: short rule tags used at the end of labels
CL_1DOF = r"$\Delta\chi^2$=2.71"
CL_2DOF = r"2 dof $\Delta\chi^2$=4.61"
#: chapter module names, in plotting order
CHAPTERS = ("sterile_tmm", "dark_moments", "solar_cevns", "dune", "fpf")
#: short chapter names used inside curve labels
CHAPTER_LABEL = {"sterile_tmm": "sterile TMM", "dark_moments": "dark moments",
                 "solar_cevns": "solar CEvNS", "dune": "DUNE", "fpf": "FPF"}
FPF_DETECTORS = ("FASERnu2", "FLArE10", "FLArE100")
DUNE_PLANS = ("on-axis", "PRISM")


def _label(name, chapter, status, cl):
    return f"{name} [{CHAPTER_LABEL[chapter]}; {status}; {cl}]"


def _convention(convention):
    if convention not in CONVENTIONS:
        from ..errors import NuemError  # noqa: PLC0415
        raise NuemError(f"convention={convention!r}; expected one of {CONVENTIONS}")
    return convention


# ------------------------------------------------------------------------------ collection
# each collector returns a list of (label, chapter, m4, mu, kind, provenance)
def _clean(m4, mu):
    """Drop m4 <= 0 and columns with a non-finite or non-positive mu; mu (n,) or (2, n)."""
    m4 = np.asarray(m4, dtype=float)
    mu = np.asarray(mu, dtype=float)
    mu2 = np.atleast_2d(mu)
    ok = (m4 > 0) & np.all(np.isfinite(mu2) & (mu2 > 0), axis=0)
    m4, mu = m4[ok], (mu[ok] if mu.ndim == 1 else mu[:, ok])
    m4.setflags(write=False)
    mu.setflags(write=False)
    return m4, mu


def _sterile_tmm(fl, convention):
    # paper 003 uses the 1-dof raster, which is the common convention: same curves either way
    from . import sterile_tmm as st
    out = []
    curves = st.limit_curves_effective()
    cl = "90% CL, 1-dof raster (Delta chi2 = 2.71)"
    if fl == "mu":
        for name in ("COHERENT CsI", "COHERENT LAr"):
            g, y = curves[name]
            out.append((_label(name, "sterile_tmm", "data", CL_1DOF), "sterile_tmm", g, y,
                        "current",
                        f"sterile_tmm.limit_curves_effective()['{name}']: paper 003 Fig. 3, "
                        f"COHERENT data, prompt nu_mu + delayed nubar_mu; {cl}"))
        g, y = curves["CENNS-750"]
        out.append((_label("CENNS-750", "sterile_tmm", "projection", CL_1DOF), "sterile_tmm", g,
                    y, "projected", "sterile_tmm.limit_curves_effective()['CENNS-750']: paper 003 "
                    f"Fig. 3, 610 kg LAr 3 yr, Asimov data with modelled backgrounds; {cl}"))
    if fl == "e":
        for key, name in (("csi", "COHERENT CsI"), ("lar", "COHERENT LAr")):
            g = st.M4_GRIDS[key]
            y = np.array([st.coherent_limit(key, m, {"nu_e": 1.0}) for m in g])
            out.append((_label(name + r" $\nu_e$", "sterile_tmm", "data", CL_1DOF), "sterile_tmm",
                        g, y, "current",
                        f"sterile_tmm.coherent_limit('{key}', m4, weights=dict(nu_e=1)): "
                        "COHERENT data, delayed nu_e only (a book computation; paper 003 Fig. 3 "
                        f"shows COHERENT for nu_mu); {cl}"))
        g, y = curves["TEXONO"]
        out.append((_label("TEXONO", "sterile_tmm", "data, Asimov reconstr.", CL_1DOF),
                    "sterile_tmm", g, y, "current",
                    "sterile_tmm.limit_curves_effective()['TEXONO']: reactor "
                    "nubar_e e scattering, Asimov reconstruction of the published result "
                    f"(calibrated to 2.2e-10 mu_B at m4 -> 0); {cl}"))
        for name in ("51Cr CEvNS Ge", "51Cr-LXe C"):
            g, y = curves[name]
            out.append((_label(name, "sterile_tmm", "projection", CL_1DOF), "sterile_tmm", g, y,
                        "projected", f"sterile_tmm.limit_curves_effective()['{name}']: proposed "
                        f"51Cr source experiment (paper 003 sec. 3.4, modelled); {cl}"))
    m4, lo, hi, *_ = st.xenon1t_region(f"nu_{fl}")
    out.append((_label(r"XENON1T excess", "sterile_tmm", "allowed region", CL_2DOF),
                "sterile_tmm", m4, np.array([lo, hi]), "allowed region",
                f"sterile_tmm.xenon1t_region('nu_{fl}'): XENON1T 2020 ER excess fitted by solar "
                f"nu_{fl} up-scattering, 90% CL 2 dof (Delta chi2 <= 4.61 around the best fit); "
                "a region in (m4, mu), kept at 2 dof in both conventions and never ranked"))
    return out


def _dark_moments(fl, convention):
    if fl != "e":
        return []
    from . import dark_moments as dm
    if convention == "paper":
        m, y = dm.sterile_limit_curve("mu_nuN")
        return [(_label("XENONnT ER, pp", "dark_moments", "data", r"paper rule $N\leq5.32$"),
                 "dark_moments", m, y, "current",
                 "dark_moments.sterile_limit_curve('mu_nuN'): paper 002 Fig. 5, pp nu_e (P_ee = "
                 "0.553) e -> N e on XENONnT ER 2022, paper 002's rule N_sig <= 5.32 (the "
                 "classical 90% limit for 2 events and no background, applied to 433 observed "
                 "over 426.5 expected)")]
    a = dm.active_limits()
    m, y = dm.sterile_limit_curve("mu_nuN", rule=False)
    return [(_label("XENONnT ER, pp", "dark_moments", "data",
                    f"Poisson $n_{{obs}}$={a['n_obs']:.0f}"),
             "dark_moments", m, y, "current",
             "dark_moments.sterile_limit_curve('mu_nuN', rule=False): paper 002 Fig. 5 set-up, pp "
             "nu_e (P_ee = 0.553) e -> N e on XENONnT ER 2022 1-30 keV; classical Poisson 90% "
             f"limit with the observed count (n_obs = {a['n_obs']:.0f}, b = {a['b0']:.4g}: "
             f"s_up = {a['s_up_counting']:.3g} events, not 5.32)")]


def _solar_cevns(fl, convention):
    from . import solar_cevns as sc
    if convention == "paper":
        cev, er = sc.dipole_limits_cevns()[fl], sc.dipole_limits_er()[fl]
        cl, tag = "90% CL 2 dof (Delta chi2 = 4.61), as paper 004 Fig. 4", CL_2DOF
        args_c, args_e = "", ""
    else:
        cev = sc.dipole_limits_cevns(level=sc.DCHI2_90_1DOF)[fl]
        er = sc.dipole_limits_er(cl2=sc.DCHI2_90_1DOF)[fl]
        cl, tag = ("90% CL 1 dof at fixed m4 (Delta chi2 = 2.71; paper 004 Fig. 4 uses 2 dof, "
                   "4.61)"), CL_1DOF
        args_c, args_e = "level=DCHI2_90_1DOF", "cl2=DCHI2_90_1DOF"
    return [
        (_label(r"XENONnT $^8$B CE$\nu$NS", "solar_cevns", "data", tag), "solar_cevns",
         sc.M4_GRID, cev, "current",
         f"solar_cevns.dipole_limits_cevns({args_c})['{fl}']: paper 004 Fig. 4, 4-D release "
         f"likelihood SR0+SR1, profiled eq. (15) nuisances; {cl}"),
        (_label("XENONnT+LZ+PandaX-4T ER", "solar_cevns", "data", tag), "solar_cevns",
         sc.M4_GRID_ER, er, "current",
         f"solar_cevns.dipole_limits_er({args_e})['{fl}']: paper 004 Fig. 4 (ER), all "
         "SSM components; XENONnT ER 2022 official, LZ WS2022 and PandaX-4T Run1 from third-party "
         f"tables; {cl}"),
    ]


def _dune(fl, convention):
    # beyond paper 001; already Delta chi2 = 2.71 with profiled pulls (the common convention)
    if fl == "tau":
        return []
    from . import dune as D
    out = []
    for plan in DUNE_PLANS:
        status = "projection" if plan == "on-axis" else "projection, modelled flux"
        m, y = D.transition_moment_curve(plan, fl)
        out.append((_label(f"DUNE ND {plan}", "dune", status, CL_1DOF), "dune", m, y,
                    "projected",
                    f"dune.transition_moment_curve('{plan}', '{fl}'): nu e -> N e, N unseen, "
                    "E_e theta^2 bins, modelled backgrounds"
                    + (", modelled off-axis fluxes" if plan == "PRISM" else "")
                    + "; 90% CL (Delta chi2 = 2.71, pulls profiled)"))
    return out


@functools.lru_cache(maxsize=1)
def _fpf_scans():
    from . import fpf
    m4_grid, mu_grid = fpf.default_grids()
    return m4_grid, mu_grid, {d: fpf.scan(d, m4_grid, mu_grid, "strong", "nonprompt")
                              for d in FPF_DETECTORS}


def _fpf(fl, convention):
    from . import fpf
    from ..experiments import fpf as exp
    m4_grid, mu_grid, scans = _fpf_scans()
    out = []
    for d in FPF_DETECTORS:
        if convention == "paper":
            b = fpf.PAPER_BACKGROUND_FOR_LIMIT[d]
            s_lim = fpf.paper_signal_limit(d)
            rule = f"paper 000's background b = {b:g}"
            tag = f"Poisson, paper b={b:g}"
        else:
            # A projection has no data: the expected limit is the one at the median count of the
            # background, n = median Poisson(b).  The toy Monte Carlo of the coverage chapter
            # (nuemcore.coverage, fpf.* analyses) shows that the classical limit over-covers
            # these few-event counts by more than 5 %, and that the toy-calibrated threshold
            # (Neyman construction with Feldman-Cousins ordering) is the FC limit: use it.
            b = fpf.background(d, "strong")
            n_med = int(poisson.median(b))
            s_lim = stats.poisson_upper_limit(n_med, b, 0.9, method="fc")
            rule = (f"this book's strong-cut background b = {b:.3g}, Feldman-Cousins upper limit "
                    f"at the median count n = {n_med}")
            tag = f"FC, b={b:.2g}, n={n_med}"
        lo, hi = fpf.band_edges(scans[d][fl], mu_grid, s_lim)
        out.append((_label(exp.detector(d).label, "fpf", "projection", tag), "fpf", m4_grid,
                    np.array([lo, hi]), "projected",
                    f"fpf.scan('{d}', default_grids(), 'strong', 'nonprompt') + band_edges: "
                    f"paper 000 Fig. 3, 3 ab^-1; 90% CL, {rule}: "
                    f"{s_lim:.3g} signal events; band closed from above by prompt N decays"))
    return out


_COLLECTORS = {"sterile_tmm": _sterile_tmm, "dark_moments": _dark_moments,
               "solar_cevns": _solar_cevns, "dune": _dune, "fpf": _fpf}


@functools.lru_cache(maxsize=None)
def _collect(fl, convention):
    rows = []
    for ch in CHAPTERS:
        for label, chapter, m4, mu, kind, prov in _COLLECTORS[ch](fl, convention):
            m4, mu = _clean(m4, mu)
            if m4.size:
                rows.append((label, chapter, m4, mu, kind, prov))
    return tuple(rows)


def _rows(flavour, convention):
    return _collect(_flavour(flavour), _convention(convention))


def bounds(flavour, convention="common"):
    """Every dipole-portal curve of the book for ``flavour`` ("e", "mu", "tau"; aliases as in
    :func:`nuemcore._validate.flavour`): ``{label: (m4 [MeV], mu [mu_B], kind)}`` (module
    docstring for the conventions).  ``convention``: "common" (one 90% CL rule for all curves,
    the default) or "paper" (each paper's own rule, as the chapters reproduce them); the rule is
    the last ";"-field of each label.  Arrays are read-only and shared between calls (cached).
    Raises :class:`nuemcore.errors.UnknownFlavourError` for an unknown flavour and
    :class:`nuemcore.errors.NuemError` for an unknown convention."""
    return {r[0]: (r[2], r[3], r[4]) for r in _rows(flavour, convention)}


def provenance(flavour, convention="common"):
    """``{label: str}``: the chapter function called, the data or model behind it and its
    confidence-level rule, for every curve of :func:`bounds`."""
    return {r[0]: r[5] for r in _rows(flavour, convention)}


def chapter_of(flavour, convention="common"):
    """``{label: chapter module name}`` for the curves of :func:`bounds`."""
    return {r[0]: r[1] for r in _rows(flavour, convention)}


# ------------------------------------------------------------------------------ comparisons
def _selected(label, chapter, include, exclude):
    keys = {label, chapter}
    return bool(keys & set(include)) and not (keys & set(exclude))


def envelope(flavour, m4, include=CHAPTERS, exclude=(), kinds=("current",),
             convention="common"):
    """Strongest (smallest) mu [mu_B] among the selected upper-limit curves at masses ``m4``
    [MeV] (log-log interpolation; a curve counts only inside its own [m4_first, m4_last]; bands
    contribute their lower edge; allowed regions never).  Returns (mu_min, label of the curve
    giving it); inf and "" where no selected curve reaches.  ``convention``: "common" (default:
    every curve under one 90% CL rule, so the ranking means something) or "paper"."""
    fl = _flavour(flavour)
    m4 = np.atleast_1d(np.asarray(m4, dtype=float))
    best = np.full(m4.shape, np.inf)
    who = np.full(m4.shape, "", dtype=object)
    chap = chapter_of(fl, convention)
    for label, (g, mu, kind) in bounds(fl, convention).items():
        if kind == "allowed region" or kind not in kinds or not _selected(label, chap[label],
                                                                           include, exclude):
            continue
        y = mu[0] if mu.ndim == 2 else mu
        inside = (m4 >= g[0]) & (m4 <= g[-1])
        v = np.full(m4.shape, np.inf)
        v[inside] = np.exp(np.interp(np.log(m4[inside]), np.log(g), np.log(y)))
        better = v < best
        best[better], who[better] = v[better], label
    return best, who


def stronger_ranges(flavour, chapter, against_kinds=("current",), m4=None,
                    kinds=("current", "projected"), factor=1.0, convention="common"):
    """Mass intervals [(lo, hi), ...] [MeV] on the grid ``m4`` (default 1e-3 - 3e3 MeV, 600
    log points) where the best curve of ``chapter`` (of ``kinds``) is stronger by more than
    ``factor`` than every curve of the other chapters of ``against_kinds`` (or where no other
    chapter reaches at all).  Only masses inside the chapter's own curves count.  The comparison
    is among the curves this book computes (not the bounds it does not compute, e.g. those
    shaded in paper 000 Fig. 3), under ``convention`` ("common" by default)."""
    m4 = np.geomspace(1e-3, 3e3, 600) if m4 is None else np.asarray(m4, dtype=float)
    mine, _ = envelope(flavour, m4, include=(chapter,), kinds=kinds, convention=convention)
    other, _ = envelope(flavour, m4, exclude=(chapter,), kinds=against_kinds,
                        convention=convention)
    wins = np.isfinite(mine) & (factor * mine < other)
    out = []
    i = 0
    while i < wins.size:
        if wins[i]:
            j = i
            while j + 1 < wins.size and wins[j + 1]:
                j += 1
            out.append((float(m4[i]), float(m4[j])))
            i = j + 1
        else:
            i += 1
    return out


# ------------------------------------------------------------------------------ plotting
_COLOUR = {
    "COHERENT CsI": "darkcyan", "COHERENT LAr": "C1", "CENNS-750": "C1", "TEXONO": "C2",
    "51Cr CEvNS Ge": "C5", "51Cr-LXe C": "C9", "XENON1T excess": "C3",
    "XENONnT ER, pp": "C4", "XENONnT $^8$B": "C6", "XENONnT+LZ": "k",
    "DUNE ND": "navy", "DUNE ND PRISM": "mediumpurple", "FASER": "tab:green", "FLArE-10": "tab:red", "FLArE-100": "tab:blue",
}


def default_style(label, kind):
    """Matplotlib keyword arguments for a curve: colour by experiment, solid line for current
    data, dashed for projections (dash-dot for DUNE PRISM), a shaded band for allowed regions."""
    keys = [k for k in _COLOUR if label.startswith(k)]
    colour = _COLOUR[max(keys, key=len)] if keys else "0.3"     # longest prefix: FLArE-100
    if kind == "allowed region":
        return dict(color=colour, alpha=0.35, lw=0)
    style = dict(color=colour, lw=1.5)
    if kind == "projected":
        style["ls"] = "-." if "PRISM" in label else "--"
    return style


def plot_bounds(ax, flavour, include=CHAPTERS, exclude=(), styles=None, label_suffix="",
                convention="common"):
    """Draw the curves of :func:`bounds` on ``ax`` (x = m4 [MeV], y = mu [mu_B], log axes).

    include : chapter module names and/or curve labels to draw (default: every chapter);
    exclude : chapter names or labels to leave out (applied after ``include``);
    styles  : {label: dict of plot kwargs} overriding :func:`default_style`;
    convention : "common" (default) or "paper" (module docstring); each label ends with its rule.
    Upper limits are lines; FPF bands are drawn as closed outlines; allowed regions are shaded.
    Returns the list of labels drawn (the legend is left to the caller)."""
    fl = _flavour(flavour)
    chap = chapter_of(fl, convention)
    styles = styles or {}
    drawn = []
    for label, (m4, mu, kind) in bounds(fl, convention).items():
        if not _selected(label, chap[label], include, exclude):
            continue
        st = {**default_style(label, kind), **styles.get(label, {})}
        if kind == "allowed region":
            ax.fill_between(m4, mu[0], mu[1], label=label + label_suffix, **st)
        elif mu.ndim == 2:   # band closed from above: lower edge out, upper edge back (left end
            x = np.concatenate([m4, m4[::-1]])          # open: the band continues below the grid)
            y = np.concatenate([mu[0], mu[1][::-1]])
            ax.plot(x, y, label=label + label_suffix, **st)
        else:
            ax.plot(m4, mu, label=label + label_suffix, **st)
        drawn.append(label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    return drawn


def legend_entries(axes):
    """(handles, labels) of all curves drawn on ``axes`` (one entry per label, first occurrence),
    ordered by chapter as in :data:`CHAPTERS`, for one legend shared by several panels."""
    order = {CHAPTER_LABEL[c]: i for i, c in enumerate(CHAPTERS)}
    seen = {}
    for ax in np.atleast_1d(axes).ravel():
        for h, lab in zip(*ax.get_legend_handles_labels()):
            seen.setdefault(lab, h)

    def rank(lab):
        tag = lab.rsplit("[", 1)[-1].split(";")[0]
        return order.get(tag, len(order))
    labels = sorted(seen, key=rank)
    return [seen[lab] for lab in labels], labels


def _short_label(label):
    """A legend label without its chapter tag and its kind (shown by the line style):
    ``"TEXONO [sterile TMM; data, Asimov reconstr.; rule]"`` -> ``"TEXONO (Asimov reconstr.; rule)"``."""
    name, _, rest = label.partition(" [")
    parts = rest.rstrip("]").split("; ")
    if len(parts) < 3:
        return label
    quals = [q for q in parts[1].split(", ") if q not in ("data", "projection", "allowed region")]
    return f"{name} ({'; '.join(quals + parts[2:])})"


def legend_by_chapter(target, axes, ncol=3, fontsize=9, **legend_kw):
    """One legend for all curves drawn on ``axes`` (:func:`plot_bounds`), grouped by chapter:
    a bold heading per chapter (in :data:`CHAPTERS` order) above its curves, whose labels drop
    the chapter tag and the kind (solid = data, dashed = projection, shaded = allowed region:
    say so in the caption).  Groups are never split across the ``ncol`` columns (columns are
    padded with blank rows).  ``target``: an Axes (its frame is switched off and the legend fills
    it) or a Figure; ``legend_kw`` goes to ``legend``.  Returns the Legend."""
    from matplotlib.lines import Line2D  # noqa: PLC0415

    handles, labels = legend_entries(axes)
    groups: dict[str, list] = {}
    for h, lab in zip(handles, labels):
        tag = lab.rsplit("[", 1)[-1].split(";")[0]
        groups.setdefault(tag, []).append((h, _short_label(lab)))
    blocks = [[(None, tag)] + entries for tag, entries in groups.items()]
    height = max(max(len(b) for b in blocks), -(-sum(len(b) for b in blocks) // ncol))
    while True:  # pack whole groups into columns of ``height`` rows
        cols, cur = [], []
        for b in blocks:
            if cur and len(cur) + len(b) > height:
                cols.append(cur)
                cur = []
            cur = cur + b
        cols.append(cur)
        if len(cols) <= ncol:
            break
        height += 1
    blank = Line2D([], [], ls="none")
    rows = [(h if h is not None else blank, t) for col in cols
            for h, t in col + [(None, "")] * (height - len(col))]
    kw = dict(ncol=len(cols), fontsize=fontsize, frameon=False, handlelength=2.2,
              columnspacing=1.2, borderaxespad=0.0)
    kw.update(legend_kw)
    if hasattr(target, "set_axis_off"):
        target.set_axis_off()
        kw.setdefault("loc", "upper center")
    leg = target.legend([h for h, _ in rows], [t for _, t in rows], **kw)
    heads = {t for b in blocks for h, t in b[:1]}
    for (h, t), txt in zip(rows, leg.get_texts()):
        if h is blank and t in heads:
            txt.set_fontweight("bold")
    return leg
