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
m4 = 0 are dropped.  Confidence-level conventions are those of each chapter and stated in
:func:`provenance`: sterile_tmm 1-dof raster (Delta chi^2 = 2.71) for limits; solar_cevns
2-dof (4.61) as paper 004 Fig. 4; dark_moments the paper-002 rule N_sig <= 5.32; DUNE
Delta chi^2 = 2.71 with profiled pulls; FPF 2.30 (FASERnu2, FLArE-10) or 2.89 (FLArE-100) signal
events.

Cost: every chapter function is cached by its module; :func:`bounds` is cached here too.  All
three flavours together take about 10 s the first time (mostly sterile_tmm's eleven curves and
solar_cevns' CEvNS folding), then nothing.
"""
from __future__ import annotations

import functools

import numpy as np

from .._validate import flavour as _flavour

__all__ = ["KINDS", "CHAPTERS", "CHAPTER_LABEL", "FPF_DETECTORS", "DUNE_PLANS", "bounds",
           "provenance", "chapter_of", "envelope", "stronger_ranges", "plot_bounds",
           "default_style", "legend_entries"]

KINDS = ("current", "projected", "allowed region")
#: chapter module names, in plotting order
CHAPTERS = ("sterile_tmm", "dark_moments", "solar_cevns", "dune", "fpf")
#: short chapter names used inside curve labels
CHAPTER_LABEL = {"sterile_tmm": "sterile TMM", "dark_moments": "dark moments",
                 "solar_cevns": "solar CEvNS", "dune": "DUNE", "fpf": "FPF"}
FPF_DETECTORS = ("FASERnu2", "FLArE10", "FLArE100")
DUNE_PLANS = ("on-axis", "PRISM")


def _label(name, chapter, status):
    return f"{name} [{CHAPTER_LABEL[chapter]}; {status}]"


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


def _sterile_tmm(fl):
    from . import sterile_tmm as st
    out = []
    curves = st.limit_curves_effective()
    cl = "90% CL, 1-dof raster (Delta chi2 = 2.71)"
    if fl == "mu":
        for name in ("COHERENT CsI", "COHERENT LAr"):
            g, y = curves[name]
            out.append((_label(name, "sterile_tmm", "data"), "sterile_tmm", g, y, "current",
                        f"sterile_tmm.limit_curves_effective()['{name}']: paper 003 Fig. 3, "
                        f"COHERENT data, prompt nu_mu + delayed nubar_mu; {cl}"))
        g, y = curves["CENNS-750"]
        out.append((_label("CENNS-750", "sterile_tmm", "projection"), "sterile_tmm", g, y,
                    "projected", "sterile_tmm.limit_curves_effective()['CENNS-750']: paper 003 "
                    f"Fig. 3, 610 kg LAr 3 yr, Asimov data with modelled backgrounds; {cl}"))
    if fl == "e":
        for key, name in (("csi", "COHERENT CsI"), ("lar", "COHERENT LAr")):
            g = st.M4_GRIDS[key]
            y = np.array([st.coherent_limit(key, m, {"nu_e": 1.0}) for m in g])
            out.append((_label(name + r" $\nu_e$", "sterile_tmm", "data"), "sterile_tmm", g, y,
                        "current", f"sterile_tmm.coherent_limit('{key}', m4, weights=dict(nu_e=1)): "
                        "COHERENT data, delayed nu_e only (a book computation; paper 003 Fig. 3 "
                        f"shows COHERENT for nu_mu); {cl}"))
        g, y = curves["TEXONO"]
        out.append((_label("TEXONO", "sterile_tmm", "data, Asimov reconstr."), "sterile_tmm", g,
                    y, "current", "sterile_tmm.limit_curves_effective()['TEXONO']: reactor "
                    "nubar_e e scattering, Asimov reconstruction of the published result "
                    f"(calibrated to 2.2e-10 mu_B at m4 -> 0); {cl}"))
        for name in ("51Cr CEvNS Ge", "51Cr-LXe C"):
            g, y = curves[name]
            out.append((_label(name, "sterile_tmm", "projection"), "sterile_tmm", g, y,
                        "projected", f"sterile_tmm.limit_curves_effective()['{name}']: proposed "
                        f"51Cr source experiment (paper 003 sec. 3.4, modelled); {cl}"))
    m4, lo, hi, *_ = st.xenon1t_region(f"nu_{fl}")
    out.append((_label(r"XENON1T excess", "sterile_tmm", "allowed region"), "sterile_tmm", m4,
                np.array([lo, hi]), "allowed region",
                f"sterile_tmm.xenon1t_region('nu_{fl}'): XENON1T 2020 ER excess fitted by solar "
                f"nu_{fl} up-scattering, 90% CL 2 dof (Delta chi2 <= 4.61 around the best fit)"))
    return out


def _dark_moments(fl):
    if fl != "e":
        return []
    from . import dark_moments as dm
    m, y = dm.sterile_limit_curve("mu_nuN")
    return [(_label("XENONnT ER, pp", "dark_moments", "data"), "dark_moments", m, y, "current",
             "dark_moments.sterile_limit_curve('mu_nuN'): paper 002 Fig. 5, pp nu_e (P_ee = "
             "0.553) e -> N e on XENONnT ER 2022, N_sig <= 5.32 rule (90% CL)")]


def _solar_cevns(fl):
    from . import solar_cevns as sc
    cev = sc.dipole_limits_cevns()[fl]
    er = sc.dipole_limits_er()[fl]
    return [
        (_label(r"XENONnT $^8$B CE$\nu$NS", "solar_cevns", "data"), "solar_cevns", sc.M4_GRID, cev,
         "current", f"solar_cevns.dipole_limits_cevns()['{fl}']: paper 004 Fig. 4, 4-D release "
         "likelihood SR0+SR1, profiled eq. (15) nuisances, 90% CL 2 dof (Delta chi2 = 4.61)"),
        (_label("XENONnT+LZ+PandaX-4T ER", "solar_cevns", "data"), "solar_cevns", sc.M4_GRID_ER,
         er, "current", f"solar_cevns.dipole_limits_er()['{fl}']: paper 004 Fig. 4 (ER), all "
         "SSM components; XENONnT ER 2022 official, LZ WS2022 and PandaX-4T Run1 from third-party "
         "tables; 90% CL 2 dof"),
    ]


def _dune(fl):
    if fl == "tau":
        return []
    from . import dune as D
    out = []
    for plan in DUNE_PLANS:
        status = "projection" if plan == "on-axis" else "projection, modelled flux"
        m, y = D.transition_moment_curve(plan, fl)
        out.append((_label(f"DUNE ND {plan}", "dune", status), "dune", m, y, "projected",
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


def _fpf(fl):
    from . import fpf
    from ..experiments import fpf as exp
    m4_grid, mu_grid, scans = _fpf_scans()
    out = []
    for d in FPF_DETECTORS:
        s_lim = fpf.paper_signal_limit(d)
        lo, hi = fpf.band_edges(scans[d][fl], mu_grid, s_lim)
        out.append((_label(exp.detector(d).label, "fpf", "projection"), "fpf", m4_grid,
                    np.array([lo, hi]), "projected",
                    f"fpf.scan('{d}', default_grids(), 'strong', 'nonprompt') + band_edges: "
                    f"paper 000 Fig. 3, 3 ab^-1, 90% CL = {s_lim:.3g} signal events; band closed "
                    "from above by prompt N decays"))
    return out


_COLLECTORS = {"sterile_tmm": _sterile_tmm, "dark_moments": _dark_moments,
               "solar_cevns": _solar_cevns, "dune": _dune, "fpf": _fpf}


@functools.lru_cache(maxsize=None)
def _collect(fl):
    rows = []
    for ch in CHAPTERS:
        for label, chapter, m4, mu, kind, prov in _COLLECTORS[ch](fl):
            m4, mu = _clean(m4, mu)
            if m4.size:
                rows.append((label, chapter, m4, mu, kind, prov))
    return tuple(rows)


def bounds(flavour):
    """Every dipole-portal curve of the book for ``flavour`` ("e", "mu", "tau"; aliases as in
    :func:`nuemcore._validate.flavour`): ``{label: (m4 [MeV], mu [mu_B], kind)}`` (module
    docstring for the conventions).  Arrays are read-only and shared between calls (cached).
    Raises :class:`nuemcore.errors.UnknownFlavourError` for an unknown flavour."""
    return {r[0]: (r[2], r[3], r[4]) for r in _collect(_flavour(flavour))}


def provenance(flavour):
    """``{label: str}``: the chapter function called, the data or model behind it and its
    confidence-level convention, for every curve of :func:`bounds`."""
    return {r[0]: r[5] for r in _collect(_flavour(flavour))}


def chapter_of(flavour):
    """``{label: chapter module name}`` for the curves of :func:`bounds`."""
    return {r[0]: r[1] for r in _collect(_flavour(flavour))}


# ------------------------------------------------------------------------------ comparisons
def _selected(label, chapter, include, exclude):
    keys = {label, chapter}
    return bool(keys & set(include)) and not (keys & set(exclude))


def envelope(flavour, m4, include=CHAPTERS, exclude=(), kinds=("current",)):
    """Strongest (smallest) mu [mu_B] among the selected upper-limit curves at masses ``m4``
    [MeV] (log-log interpolation; a curve counts only inside its own [m4_first, m4_last]; bands
    contribute their lower edge; allowed regions never).  Returns (mu_min, label of the curve
    giving it); inf and "" where no selected curve reaches."""
    fl = _flavour(flavour)
    m4 = np.atleast_1d(np.asarray(m4, dtype=float))
    best = np.full(m4.shape, np.inf)
    who = np.full(m4.shape, "", dtype=object)
    chap = chapter_of(fl)
    for label, (g, mu, kind) in bounds(fl).items():
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
                    kinds=("current", "projected"), factor=1.0):
    """Mass intervals [(lo, hi), ...] [MeV] on the grid ``m4`` (default 1e-3 - 3e3 MeV, 600
    log points) where the best curve of ``chapter`` (of ``kinds``) is stronger by more than
    ``factor`` than every curve of the other chapters of ``against_kinds`` (or where no other
    chapter reaches at all).  Only masses inside the chapter's own curves count."""
    m4 = np.geomspace(1e-3, 3e3, 600) if m4 is None else np.asarray(m4, dtype=float)
    mine, _ = envelope(flavour, m4, include=(chapter,), kinds=kinds)
    other, _ = envelope(flavour, m4, exclude=(chapter,), kinds=against_kinds)
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


def plot_bounds(ax, flavour, include=CHAPTERS, exclude=(), styles=None, label_suffix=""):
    """Draw the curves of :func:`bounds` on ``ax`` (x = m4 [MeV], y = mu [mu_B], log axes).

    include : chapter module names and/or curve labels to draw (default: every chapter);
    exclude : chapter names or labels to leave out (applied after ``include``);
    styles  : {label: dict of plot kwargs} overriding :func:`default_style`.
    Upper limits are lines; FPF bands are drawn as closed outlines; allowed regions are shaded.
    Returns the list of labels drawn (the legend is left to the caller)."""
    fl = _flavour(flavour)
    chap = chapter_of(fl)
    styles = styles or {}
    drawn = []
    for label, (m4, mu, kind) in bounds(fl).items():
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
