"""DUNE near-detector on-axis fluxes (OptimizedEngineeredNov2017, TDR beam), FHC and RHC.

Source: DUNE/LBNF g4lbne v3r5p4 (QGSP_BERT) GLoBES tables, ``dune_nd_2017/`` (see its PROVENANCE.md;
copies from github.com/mhostert/TridentSmite and DarkNews-generator).  ND at 574 m.
File format: 501 rows, columns ``E[GeV] nu_e nu_mu nu_tau nubar_e nubar_mu nubar_tau``; units
**nu / m^2 / GeV / POT**; E is the bin centre of 0.25 GeV bins (0.125 ... 125.125 GeV).

Converted once at load to **cm^-2 MeV^-1 POT^-1** (factor 1e-4 m^2/cm^2 x 1e-3 GeV/MeV = 1e-7)
and MeV.  The Flux is a histogram: ``energy`` = bin centres [MeV], ``bin_edges`` = centre +- 125 MeV
(0 ... 125250 MeV), spectra = bin-averaged densities; ``Flux.total`` sums density x width.
The tau columns are zero (omitted).  Off-axis (DUNE-PRISM) fluxes are not available (model them).
"""
from __future__ import annotations

import functools

import numpy as np

from ..data import load_table
from ..errors import NuemError
from .base import Flux

FILES = {
    "FHC": "dune_nd_2017/histos_g4lbne_v3r5p4_QGSP_BERT_OptimizedEngineeredNov2017_neutrino_LBNEND_globes_flux.txt",
    "RHC": "dune_nd_2017/histos_g4lbne_v3r5p4_QGSP_BERT_OptimizedEngineeredNov2017_antineutrino_LBNEND_globes_flux.txt",
}
COLUMNS = ("nu_e", "nu_mu", "nu_tau", "nubar_e", "nubar_mu", "nubar_tau")
#: ND distance from the start of horn 1 [cm]
DISTANCE_CM = 574.0e2
#: bin width of the GLoBES table [MeV]
BIN_WIDTH_MEV = 250.0
#: conversion nu/m^2/GeV/POT -> nu/cm^2/MeV/POT
PER_M2_GEV_TO_PER_CM2_MEV = 1e-4 * 1e-3


def _mode(mode) -> str:
    m = str(mode).strip().upper()
    m = {"NEUTRINO": "FHC", "NU": "FHC", "ANTINEUTRINO": "RHC", "NUBAR": "RHC"}.get(m, m)
    if m not in FILES:
        raise NuemError(f"unknown DUNE beam mode {mode!r}; expected 'FHC' or 'RHC'")
    return m


@functools.lru_cache(maxsize=None)
def _table(mode: str) -> np.ndarray:
    d = load_table(FILES[mode])
    if d.ndim != 2 or d.shape[1] != 7:
        raise NuemError(f"unexpected layout of {FILES[mode]}: {d.shape}")
    d.setflags(write=False)
    return d


def dune_nd_table(mode: str = "FHC") -> np.ndarray:
    """Raw table (E [GeV], 6 flavour columns [nu/m^2/GeV/POT]) as in the file (read-only)."""
    return _table(_mode(mode))


def dune_nd_flux(mode: str = "FHC", include_zero: bool = False) -> Flux:
    """DUNE ND on-axis flux per POT as a histogram :class:`Flux` in cm^-2 MeV^-1 POT^-1.

    mode : "FHC" (neutrino mode) or "RHC" (antineutrino mode).
    include_zero : keep the all-zero nu_tau/nubar_tau columns (default False).
    Multiply by the POT (e.g. 1.1e21 per year) with ``Flux.scaled``.
    """
    m = _mode(mode)
    d = _table(m)
    centres = d[:, 0] * 1e3
    edges = np.concatenate([centres - 0.5 * BIN_WIDTH_MEV, [centres[-1] + 0.5 * BIN_WIDTH_MEV]])
    if not np.allclose(np.diff(centres), BIN_WIDTH_MEV):
        raise NuemError("DUNE table bins are not uniform 0.25 GeV as expected")
    spectra = {}
    for j, key in enumerate(COLUMNS):
        col = d[:, j + 1] * PER_M2_GEV_TO_PER_CM2_MEV
        if include_zero or np.any(col != 0):
            spectra[key] = col
    return Flux(energy=centres, spectra=spectra, unit="cm^-2 MeV^-1 POT^-1",
                label=f"DUNE ND on-axis {m} (OptimizedEngineeredNov2017, 574 m), per POT",
                bin_edges=edges)
