"""Neutrino fluxes: the :class:`Flux` container and one module per source.

Modules: :mod:`.base` (Flux, species keys), :mod:`.solar` (SSM), :mod:`.reactor` (Huber-Mueller),
:mod:`.pion_dar` (stopped pions), :mod:`.chromium51` (51Cr lines), :mod:`.dune_nd` (DUNE ND on-axis),
:mod:`.lhc_forward` (FASERnu2, FLArE10, FLArE100).  Units: MeV, cm, s; see :mod:`.base`.
"""
from .base import SPECIES, Flux, UnknownSpeciesError, species_key

__all__ = ["Flux", "SPECIES", "UnknownSpeciesError", "species_key"]
