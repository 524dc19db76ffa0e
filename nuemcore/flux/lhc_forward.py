"""LHC forward neutrino spectra at the FPF (Kling, PRD 104, 113008 (2021), arXiv:2105.08270).

Data ``lhc_fpf_kling2021/`` (github.com/KlingFelix/FastNeutrinoFluxSimulation, see PROVENANCE.md):
pp at 14 TeV, **3000 fb^-1**, detectors on axis **620 m** from the ATLAS IP.  For each detector and
PDG code (12 nu_e, -12 nubar_e, 14, -14, 16, -16):

* ``<det>_<pdg>.txt``: column 1 = arithmetic bin centre [GeV], column 2 = **number of neutrinos in
  the bin crossing the detector's transverse face** in 3000 fb^-1 (a count per bin, not a density);
* ``<det>_CCint_<pdg>.txt``: number of charged-current interactions per bin in the detector.
* 28 bins; edges (derived, reproducing the source's RIVET binning) in ``bin_edges_GeV.txt``.

Two views are offered:

* :func:`lhc_forward_counts` / :func:`lhc_cc_interactions`: the histograms as given (counts per bin,
  edges in MeV) -> :class:`LHCSpectrum`;
* :meth:`LHCSpectrum.flux`: a histogram :class:`~nuemcore.flux.base.Flux` of the face-averaged
  fluence density dN/dE/A [cm^-2 MeV^-1 per 3000 fb^-1] = N_k / (width_k * A) for convolution with
  cross sections (the flux is peaked on axis; this is the average over the face).
  Detector faces: FASERnu2 0.5 x 0.5 m^2, FLArE10 1 x 1 m^2, FLArE100 1.6 x 1.6 m^2.

Caveat (source README): the files predate later changes (FPF location, crossing angle, luminosity);
the generator combination (light hadrons vs charm) is not stated.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from ..data import load_table
from .._validate import positive
from ..errors import NuemError, UnknownTargetError
from .base import Flux, species_key

#: integrated luminosity of the tables [fb^-1]
LUMINOSITY_FB = 3000.0
#: distance from the ATLAS IP [cm]
DISTANCE_CM = 620.0e2
#: detector -> (folder, file prefix, transverse face area [cm^2])
DETECTORS = {
    "FASERnu2": ("FASERnu2", "FASERv2", 50.0 * 50.0),
    "FLArE10": ("FLArE10", "FLARE10", 100.0 * 100.0),
    "FLArE100": ("FLArE100", "FLARE100", 160.0 * 160.0),
}
PDG = {"nu_e": 12, "nubar_e": -12, "nu_mu": 14, "nubar_mu": -14, "nu_tau": 16, "nubar_tau": -16}

_DET_ALIASES = {"fasernu2": "FASERnu2", "faserv2": "FASERnu2", "fasernu-2": "FASERnu2",
                "faserν2": "FASERnu2", "flare10": "FLArE10", "flare-10": "FLArE10", "flare": "FLArE10",
                "flare100": "FLArE100", "flare-100": "FLArE100"}


class UnknownDetectorError(UnknownTargetError):
    """A detector name that has no LHC forward table."""


def detector_key(name) -> str:
    """Normalise a detector name to one of :data:`DETECTORS`."""
    k = _DET_ALIASES.get(str(name).strip().lower().replace(" ", "").replace("_", ""))
    if k is None:
        raise UnknownDetectorError(f"unknown LHC forward detector {name!r}; expected one of {tuple(DETECTORS)}")
    return k


@functools.lru_cache(maxsize=None)
def bin_edges_mev() -> np.ndarray:
    """The 29 bin edges [MeV] shared by every file (10 GeV ... 6351.4 GeV)."""
    e = load_table("lhc_fpf_kling2021/bin_edges_GeV.txt", comments="#") * 1e3
    e.setflags(write=False)
    return e


@functools.lru_cache(maxsize=None)
def _load(det: str, cc: bool, pdg: int) -> tuple:
    folder, prefix, _ = DETECTORS[det]
    rel = f"lhc_fpf_kling2021/{folder}/{prefix}_{'CCint_' if cc else ''}{pdg}.txt"
    d = load_table(rel)
    edges = bin_edges_mev()
    if d.shape != (edges.size - 1, 2):
        raise NuemError(f"unexpected layout of {rel}: {d.shape}")
    centres = d[:, 0] * 1e3
    if not np.allclose(centres, 0.5 * (edges[1:] + edges[:-1]), rtol=1e-5):
        raise NuemError(f"bin centres of {rel} do not match bin_edges_GeV.txt")
    counts = d[:, 1].copy()
    centres.setflags(write=False)
    counts.setflags(write=False)
    return centres, counts


@dataclass(frozen=True)
class LHCSpectrum:
    """Histogram of counts per energy bin for one detector (3000 fb^-1).

    edges : bin edges [MeV] (len n+1); centres : arithmetic bin centres [MeV];
    counts : {species: counts per bin}; kind : "crossing" (neutrinos through the face) or
    "CC" (charged-current interactions in the detector); area_cm2 : transverse face area.
    """

    detector: str
    kind: str
    edges: np.ndarray
    centres: np.ndarray
    counts: dict
    area_cm2: float
    luminosity_fb: float = LUMINOSITY_FB

    @property
    def widths(self) -> np.ndarray:
        """Bin widths [MeV]."""
        return np.diff(self.edges)

    def total(self, species=None) -> float:
        """Sum of counts over bins (one species or all)."""
        if species is None:
            return float(sum(v.sum() for v in self.counts.values()))
        return float(self.counts[species_key(species)].sum())

    def density(self, species) -> np.ndarray:
        """dN/dE per bin [MeV^-1] = counts / width."""
        return self.counts[species_key(species)] / self.widths

    def flux(self, luminosity_fb: float | None = None) -> Flux:
        """Face-averaged fluence density [cm^-2 MeV^-1 per ``luminosity_fb`` fb^-1] as a histogram
        Flux (only for kind "crossing").  ``luminosity_fb`` rescales linearly (default 3000)."""
        if self.kind != "crossing":
            raise NuemError("only the crossing-neutrino tables define a flux; CC files are event counts")
        L = self.luminosity_fb if luminosity_fb is None else float(
            positive("luminosity_fb", luminosity_fb, "fb^-1"))
        s = L / self.luminosity_fb
        spectra = {k: s * v / (self.widths * self.area_cm2) for k, v in self.counts.items()}
        return Flux(energy=self.centres, spectra=spectra, bin_edges=self.edges,
                    unit=f"cm^-2 MeV^-1 per {L:g} fb^-1",
                    label=f"LHC forward {self.detector} face-averaged, 14 TeV, {L:g} fb^-1, 620 m (Kling 2021)")


def _spectrum(detector, cc: bool) -> LHCSpectrum:
    det = detector_key(detector)
    counts = {}
    centres = None
    for sp, pdg in PDG.items():
        centres, c = _load(det, cc, pdg)
        counts[sp] = c
    return LHCSpectrum(detector=det, kind="CC" if cc else "crossing", edges=bin_edges_mev(),
                       centres=centres, counts=counts, area_cm2=DETECTORS[det][2])


def lhc_forward_counts(detector) -> LHCSpectrum:
    """Neutrinos crossing the face of ``detector`` ("FASERnu2", "FLArE10", "FLArE100") per energy
    bin in 3000 fb^-1, per species; ``.flux()`` gives the per-MeV, per-cm^2 density."""
    return _spectrum(detector, cc=False)


def lhc_cc_interactions(detector) -> LHCSpectrum:
    """Charged-current interactions per energy bin in ``detector`` for 3000 fb^-1, per species
    (PROVENANCE: FASERnu2 file corresponds to about 10 t of tungsten, FLArE10 ~10 t LAr,
    FLArE100 ~107 t LAr)."""
    return _spectrum(detector, cc=True)


def lhc_forward_flux(detector, luminosity_fb: float | None = None) -> Flux:
    """Shortcut: ``lhc_forward_counts(detector).flux(luminosity_fb)``."""
    return lhc_forward_counts(detector).flux(luminosity_fb)
