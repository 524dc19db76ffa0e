"""The :class:`Flux` container: a continuous spectrum per species on one energy grid plus exact lines.

Conventions (binding for every flux module)
-------------------------------------------
* ``energy``: ascending 1-D ndarray of neutrino energies [MeV].
* ``spectra``: ``{species: dPhi/dE}`` sampled on ``energy``; unit ``Flux.unit``
  (``"cm^-2 s^-1 MeV^-1"`` for steady sources; accelerator fluxes carry their own normalisation,
  e.g. ``"cm^-2 MeV^-1 POT^-1"``).  Between grid points the spectrum is **linear** (continuous
  sources) or, for histogram sources (``bin_edges`` is not ``None``), **constant within each bin**
  (the value is the bin-averaged density, and ``energy`` holds the bin centres).
* ``lines``: ``{species: ((E_MeV, Phi), ...)}`` monochromatic lines, kept exact (never smeared into
  bins).  ``Phi`` carries ``unit`` without the trailing ``MeV^-1`` (see :attr:`Flux.line_unit`).
* Species keys: ``nu_e, nu_mu, nu_tau, nubar_e, nubar_mu, nubar_tau`` and ``nu_s`` (sterile).

Integrals over a spectrum use :meth:`Flux.weights` (trapezoid for continuous spectra, bin widths
for histograms), so ``sum(weights(s) * g(energy)) + sum(Phi_l * g(E_l))`` is the flux-weighted
integral of any ``g``; :meth:`Flux.total` is that with ``g = 1``.

The object is frozen: arrays are stored read-only; every transformation returns a new ``Flux``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np

from .._validate import nonnegative
from ..errors import NegativeEnergyError, NonFiniteError, NuemError

SPECIES = ("nu_e", "nu_mu", "nu_tau", "nubar_e", "nubar_mu", "nubar_tau", "nu_s")

_SPECIES_ALIASES = {
    "nue": "nu_e", "numu": "nu_mu", "nutau": "nu_tau",
    "nuebar": "nubar_e", "numubar": "nubar_mu", "nutaubar": "nubar_tau",
    "nu_e_bar": "nubar_e", "nu_mu_bar": "nubar_mu", "nu_tau_bar": "nubar_tau",
    "nus": "nu_s", "nu_sterile": "nu_s",
}


class UnknownSpeciesError(NuemError):
    """A species key outside :data:`SPECIES`."""


def species_key(name) -> str:
    """Normalise a species label (``"nu_e"``, ``"nuebar"``, ...) to one of :data:`SPECIES`;
    raise :class:`UnknownSpeciesError` otherwise."""
    key = str(name).strip().lower()
    key = _SPECIES_ALIASES.get(key, key)
    if key not in SPECIES:
        raise UnknownSpeciesError(f"unknown neutrino species {name!r}; expected one of {SPECIES}")
    return key


def _readonly(a) -> np.ndarray:
    a = np.array(a, dtype=float)  # copy
    a.setflags(write=False)
    return a


@dataclass(frozen=True)
class Flux:
    """Neutrino flux: continuous spectra on one grid plus exact lines (see module docstring).

    Parameters
    ----------
    energy : array, MeV, strictly ascending.
    spectra : {species: dPhi/dE array on ``energy``} in ``unit``.
    lines : {species: [(E_MeV, Phi), ...]} with Phi in ``line_unit``.
    unit : unit of the spectra, e.g. ``"cm^-2 s^-1 MeV^-1"``.
    label : free text (source, model, normalisation).
    bin_edges : ``None`` for a continuous (piecewise-linear) spectrum; otherwise the ``len(energy)+1``
        bin edges [MeV] of a histogram whose bin-averaged densities are ``spectra``.
    """

    energy: np.ndarray
    spectra: Mapping[str, np.ndarray] = field(default_factory=dict)
    lines: Mapping[str, tuple] = field(default_factory=dict)
    unit: str = "cm^-2 s^-1 MeV^-1"
    label: str = ""
    bin_edges: np.ndarray | None = None

    def __post_init__(self):
        e = _readonly(self.energy).ravel()
        if e.size and (np.any(~np.isfinite(e)) or np.any(np.diff(e) <= 0)):
            raise NuemError("Flux.energy must be finite and strictly ascending (MeV)")
        if e.size and e[0] < 0:
            raise NuemError("Flux.energy must be non-negative (MeV)")
        object.__setattr__(self, "energy", e)
        spectra = {}
        for k, v in dict(self.spectra).items():
            key = species_key(k)
            arr = _readonly(np.broadcast_to(np.asarray(v, dtype=float), e.shape))
            if not np.isfinite(arr).all():
                raise NonFiniteError(f"spectrum {key!r} must be finite ({self.unit}), got a "
                                     f"non-finite value at E={e[~np.isfinite(arr)][0]:g} MeV")
            if (arr < 0).any():
                raise NegativeEnergyError(f"spectrum {key!r} must be >= 0 ({self.unit}), got "
                                          f"{arr.min():g} at E={e[np.argmin(arr)]:g} MeV")
            spectra[key] = arr
        object.__setattr__(self, "spectra", spectra)
        lines = {}
        for k, v in dict(self.lines).items():
            key = species_key(k)
            lst = tuple((float(E), float(phi)) for E, phi in v)
            for E, phi in lst:
                if not (np.isfinite(E) and np.isfinite(phi)):
                    raise NonFiniteError(f"line of {key!r} must have a finite energy (MeV) and flux "
                                         f"({self.line_unit}), got (E={E:g}, Phi={phi:g})")
                if E < 0 or phi < 0:
                    raise NegativeEnergyError(f"line of {key!r} must have energy >= 0 (MeV) and flux "
                                              f">= 0 ({self.line_unit}), got (E={E:g}, Phi={phi:g})")
            lines[key] = tuple(sorted(lst))
        object.__setattr__(self, "lines", lines)
        if self.bin_edges is not None:
            be = _readonly(self.bin_edges).ravel()
            if be.size != e.size + 1 or np.any(np.diff(be) <= 0):
                raise NuemError("bin_edges must be ascending with len(energy) + 1 entries")
            if np.any(e < be[:-1]) or np.any(e > be[1:]):
                raise NuemError("histogram bin centres must lie inside their bins")
            object.__setattr__(self, "bin_edges", be)

    # ------------------------------------------------------------------ introspection
    @property
    def species(self) -> list[str]:
        """Species present (spectrum or lines), in the canonical order of :data:`SPECIES`."""
        present = set(self.spectra) | set(self.lines)
        return [s for s in SPECIES if s in present]

    @property
    def line_unit(self) -> str:
        """Unit of line fluxes: ``unit`` without its ``MeV^-1`` factor."""
        u = self.unit.replace(" MeV^-1", "").replace("MeV^-1 ", "").replace("MeV^-1", "")
        return u.strip()

    @property
    def is_histogram(self) -> bool:
        return self.bin_edges is not None

    def spectrum(self, species) -> np.ndarray:
        """dPhi/dE of ``species`` on ``energy`` (zeros if the species has only lines or nothing)."""
        key = species_key(species)
        return self.spectra.get(key, np.zeros_like(self.energy))

    def line_list(self, species) -> tuple:
        """((E_MeV, Phi), ...) of ``species`` (empty tuple if none)."""
        return self.lines.get(species_key(species), ())

    def __call__(self, species, E) -> np.ndarray:
        """dPhi/dE of ``species`` at energies ``E`` [MeV]: linear interpolation (continuous) or the
        bin value (histogram); 0 outside the grid.  Lines are NOT included (they are deltas)."""
        E = np.asarray(E, dtype=float)
        y = self.spectrum(species)
        if self.energy.size == 0:
            return np.zeros_like(E)
        if self.is_histogram:
            be = self.bin_edges
            idx = np.searchsorted(be, E, side="right") - 1
            inside = (idx >= 0) & (idx < y.size) & (E <= be[-1])
            idx = np.clip(idx, 0, y.size - 1)
            return np.where(inside, y[idx], 0.0)
        return np.interp(E, self.energy, y, left=0.0, right=0.0)

    def weights(self, species=None) -> np.ndarray:
        """Quadrature weights w [MeV] on ``energy`` such that sum(w * spectrum * g) approximates
        the integral of dPhi/dE * g over the continuous part (trapezoid; histogram: bin widths).
        ``species`` is accepted for symmetry and ignored (one grid for all)."""
        e = self.energy
        if self.is_histogram:
            return np.diff(self.bin_edges)
        w = np.zeros_like(e)
        if e.size > 1:
            d = np.diff(e)
            w[:-1] += 0.5 * d
            w[1:] += 0.5 * d
        return w

    def integral(self, species, g: Callable | None = None, lines: bool = True) -> float:
        """Integral of dPhi/dE * g(E) dE plus sum over lines of Phi * g(E_line) (``lines=True``).
        ``g=None`` means 1.  Result in ``line_unit`` times the unit of g."""
        key = species_key(species)
        y = self.spectrum(key)
        gv = np.ones_like(self.energy) if g is None else np.asarray(g(self.energy), float)
        tot = float(np.sum(self.weights() * y * gv))
        if lines:
            for E, phi in self.line_list(key):
                tot += phi * (1.0 if g is None else float(np.asarray(g(np.array([E])), float)[0]))
        return tot

    def total(self, species=None, lines: bool = True) -> float:
        """Integrated flux [``line_unit``] of one species, or of all species summed if ``None``;
        lines included unless ``lines=False``."""
        if species is None:
            return float(sum(self.integral(s, lines=lines) for s in self.species))
        return self.integral(species, lines=lines)

    def totals(self, lines: bool = True) -> dict:
        """{species: integrated flux} for every species present."""
        return {s: self.integral(s, lines=lines) for s in self.species}

    def mean_energy(self, species) -> float:
        """Flux-weighted mean energy [MeV] of ``species`` (lines included)."""
        t = self.total(species)
        if t == 0:
            raise NuemError(f"species {species!r} has zero flux")
        return self.integral(species, g=lambda E: E) / t

    # ------------------------------------------------------------------ transformations
    def _replace(self, **kw) -> "Flux":
        d = dict(energy=self.energy, spectra=self.spectra, lines=self.lines, unit=self.unit,
                 label=self.label, bin_edges=self.bin_edges)
        d.update(kw)
        return Flux(**d)

    def scaled(self, factor: float, unit: str | None = None, label: str | None = None) -> "Flux":
        """Every spectrum and line multiplied by ``factor`` (finite, >= 0; optionally with a new
        unit/label)."""
        f = float(nonnegative("factor", factor, "dimensionless scale factor"))
        return self._replace(
            spectra={k: v * f for k, v in self.spectra.items()},
            lines={k: [(E, p * f) for E, p in v] for k, v in self.lines.items()},
            unit=self.unit if unit is None else unit,
            label=self.label if label is None else label)

    def __mul__(self, factor):
        if np.ndim(factor) != 0:
            return NotImplemented
        return self.scaled(factor)

    __rmul__ = __mul__

    def select(self, species) -> "Flux":
        """A Flux restricted to the given species (list or single key)."""
        keys = [species_key(s) for s in ([species] if isinstance(species, str) else species)]
        return self._replace(spectra={k: v for k, v in self.spectra.items() if k in keys},
                             lines={k: v for k, v in self.lines.items() if k in keys})

    def regrid(self, new_energy) -> "Flux":
        """Continuous spectra interpolated onto ``new_energy`` [MeV] (linear, 0 outside the old grid);
        a histogram is sampled at the new points (bin value) and becomes continuous.  Lines are
        untouched.  Exact for a piecewise-linear spectrum when ``new_energy`` contains the old grid."""
        e = np.asarray(new_energy, dtype=float).ravel()
        return Flux(energy=e, spectra={k: self(k, e) for k in self.spectra}, lines=self.lines,
                    unit=self.unit, label=self.label, bin_edges=None)

    def __add__(self, other: "Flux") -> "Flux":
        """Sum of two fluxes with the same unit.  Same grid: spectra added; different continuous
        grids: both interpolated onto the union grid (which preserves each piecewise-linear
        spectrum exactly; a spectrum non-zero at an end of its grid keeps its step to 0 through an
        extra point one ulp outside).  Lines are concatenated."""
        if not isinstance(other, Flux):
            return NotImplemented
        if other.unit != self.unit:
            raise NuemError(f"cannot add fluxes with units {self.unit!r} and {other.unit!r}")
        same = (self.energy.shape == other.energy.shape and np.array_equal(self.energy, other.energy)
                and ((self.bin_edges is None and other.bin_edges is None)
                     or (self.bin_edges is not None and other.bin_edges is not None
                         and np.array_equal(self.bin_edges, other.bin_edges))))
        if same:
            a, b, grid, edges = self, other, self.energy, self.bin_edges
        else:
            if self.is_histogram or other.is_histogram:
                raise NuemError("cannot add histogram fluxes with different binnings; regrid first")
            grid = np.union1d(self.energy, other.energy)
            # a spectrum that is non-zero at an end of its own grid steps to 0 outside it: add a
            # point one ulp outside so the step stays a step on the union grid (totals preserved)
            extra = []
            for f in (self, other):
                if f.energy.size and any(v[0] != 0 for v in f.spectra.values()) and f.energy[0] > grid[0]:
                    extra.append(np.nextafter(f.energy[0], -np.inf))
                if f.energy.size and any(v[-1] != 0 for v in f.spectra.values()) and f.energy[-1] < grid[-1]:
                    extra.append(np.nextafter(f.energy[-1], np.inf))
            if extra:
                grid = np.union1d(grid, extra)
            a, b, edges = self.regrid(grid), other.regrid(grid), None
        spectra = {}
        for k in set(a.spectra) | set(b.spectra):
            spectra[k] = a.spectrum(k) + b.spectrum(k)
        lines = {}
        for k in set(a.lines) | set(b.lines):
            lines[k] = list(a.line_list(k)) + list(b.line_list(k))
        label = " + ".join(x for x in (self.label, other.label) if x)
        return Flux(energy=grid, spectra=spectra, lines=lines, unit=self.unit, label=label,
                    bin_edges=edges)

    def with_probabilities(self, probabilities: Mapping, label: str | None = None) -> "Flux":
        """Oscillated/converted flux: ``probabilities = {dest: {src: P}}`` gives
        dPhi_dest/dE = sum_src P_src->dest(E) dPhi_src/dE, and each source line (E, Phi) becomes a
        line (E, P(E) Phi) of ``dest`` with P evaluated exactly at the line energy.

        ``P`` may be a scalar, a callable ``P(E_array) -> array``, or an array on ``energy`` (an
        array cannot be evaluated at line energies, so it is refused for a source with lines).
        Species not listed as destinations are dropped.
        """
        spectra, lines = {}, {}
        for dest, srcs in probabilities.items():
            dkey = species_key(dest)
            spec = np.zeros_like(self.energy)
            dl = []
            for src, P in srcs.items():
                skey = species_key(src)
                if callable(P):
                    pv = np.asarray(P(self.energy), dtype=float)
                    pline = lambda E, P=P: float(np.asarray(P(np.array([E])), dtype=float).ravel()[0])
                elif np.ndim(P) == 0:
                    pv = float(P)
                    pline = lambda E, P=P: float(P)
                else:
                    pv = np.asarray(P, dtype=float)
                    if pv.shape != self.energy.shape:
                        raise NuemError(f"probability array for {skey}->{dkey} has shape {pv.shape},"
                                        f" expected {self.energy.shape}")
                    if self.line_list(skey):
                        raise NuemError(f"{skey} has lines: give P as a callable or scalar so it can be"
                                        " evaluated exactly at the line energies")
                    pline = None
                if skey in self.spectra:
                    spec = spec + pv * self.spectra[skey]
                for E, phi in self.line_list(skey):
                    dl.append((E, pline(E) * phi))
            if self.energy.size:  # a line-only flux stays line-only (no empty spectra)
                spectra[dkey] = spec
            if dl:
                lines[dkey] = dl
        return self._replace(spectra=spectra, lines=lines,
                             label=self.label if label is None else label)

    def __repr__(self):  # pragma: no cover - cosmetic
        return (f"Flux(label={self.label!r}, unit={self.unit!r}, species={self.species}, "
                f"n_energy={self.energy.size}, histogram={self.is_histogram}, "
                f"n_lines={sum(len(v) for v in self.lines.values())})")
