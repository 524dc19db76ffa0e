r"""Nuclear data for coherent-scattering targets, and target counts of compounds.

Every element is described by a frozen :class:`Nucleus` (``nucleus("Xe")``):

* ``Z`` (protons); ``A`` = the **isotope-averaged mass number** :math:`\bar A = \sum_i x_i A_i` over
  the natural isotopic composition (mole fractions :math:`x_i` from IUPAC "Isotopic compositions of
  the elements 2009", M. Berglund and M. E. Wieser, Pure Appl. Chem. 83 (2011) 397);
  ``N = A - Z`` (non-integer for poly-isotopic elements, e.g. Xe: N = 77.3);
* ``atomic_weight`` [u]: CIAAW standard atomic weights (conventional/abridged values, CIAAW 2021;
  argon: the atmospheric value 39.948, the one relevant to liquid-argon detectors);
* ``mass`` [MeV]: nuclear mass :math:`M = A_r\,m_u - Z m_e`. The electron binding energy (at most
  a few hundred keV for W, i.e. < 3e-6 relative) is neglected;
* ``r_charge`` [fm]: rms nuclear charge radius of the most abundant isotope (named in
  ``r_charge_isotope``), numbers from I. Angeli and K. P. Marinova, At. Data Nucl. Data Tables 99
  (2013) 69. Used by the Helm form factor (paper 003 eq. 13) as the proton (and, by default,
  neutron) rms radius.

The Klein-Nystrand form factor (paper 004 eq. 3) needs only ``A`` (:math:`R_A = 1.23 A^{1/3}` fm).

:func:`compound` gives the number of nuclei of each element per kg of a chemical compound,
:math:`n_X = \nu_X N_A \cdot 1000 / M_{\rm molar}` [kg^-1] with :math:`\nu_X` atoms of X per formula
unit and the molar mass in g/mol from the same standard atomic weights.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import MappingProxyType

from . import constants as C
from .errors import NuemError, UnknownTargetError

# symbol: (name, Z, standard atomic weight [u], {mass number: abundance in %},
#          rms charge radius [fm] (Angeli & Marinova 2013), isotope of that radius)
_TABLE = {
    "H": ("hydrogen", 1, 1.008, {1: 99.9885, 2: 0.0115}, 0.8783, "1H"),
    "C": ("carbon", 6, 12.011, {12: 98.93, 13: 1.07}, 2.4702, "12C"),
    "O": ("oxygen", 8, 15.999, {16: 99.757, 17: 0.038, 18: 0.205}, 2.6991, "16O"),
    "F": ("fluorine", 9, 18.998403162, {19: 100.0}, 2.8976, "19F"),
    "Na": ("sodium", 11, 22.98976928, {23: 100.0}, 2.9936, "23Na"),
    "Al": ("aluminium", 13, 26.9815384, {27: 100.0}, 3.0610, "27Al"),
    "Si": ("silicon", 14, 28.085, {28: 92.223, 29: 4.685, 30: 3.092}, 3.1224, "28Si"),
    "Ar": ("argon", 18, 39.948, {36: 0.3336, 38: 0.0629, 40: 99.6035}, 3.4274, "40Ar"),
    "Ca": ("calcium", 20, 40.078,
           {40: 96.941, 42: 0.647, 43: 0.135, 44: 2.086, 46: 0.004, 48: 0.187}, 3.4776, "40Ca"),
    "Ge": ("germanium", 32, 72.630, {70: 20.57, 72: 27.45, 73: 7.75, 74: 36.50, 76: 7.73},
           4.0742, "74Ge"),
    "I": ("iodine", 53, 126.90447, {127: 100.0}, 4.7500, "127I"),
    "Xe": ("xenon", 54, 131.293,
           {124: 0.0952, 126: 0.0890, 128: 1.9102, 129: 26.4006, 130: 4.0710, 131: 21.2324,
            132: 26.9086, 134: 10.4357, 136: 8.8573}, 4.7859, "132Xe"),
    "Cs": ("caesium", 55, 132.90545196, {133: 100.0}, 4.8041, "133Cs"),
    "W": ("tungsten", 74, 183.84, {180: 0.12, 182: 26.50, 183: 14.31, 184: 30.64, 186: 28.43},
          5.3658, "184W"),
}

_ALIASES = {"lar": "Ar", "lxe": "Xe", "argon": "Ar", "xenon": "Xe", "germanium": "Ge",
            "caesium": "Cs", "cesium": "Cs", "iodine": "I", "sodium": "Na", "silicon": "Si",
            "oxygen": "O", "aluminium": "Al", "aluminum": "Al", "calcium": "Ca",
            "tungsten": "W", "carbon": "C", "fluorine": "F", "hydrogen": "H"}


@dataclass(frozen=True)
class Nucleus:
    """Isotope-averaged nucleus of a natural element (see the module docstring for sources).

    Attributes: ``symbol``, ``name``, ``Z``, ``A`` (mean mass number), ``N`` (= A - Z),
    ``atomic_weight`` [u], ``mass`` [MeV], ``r_charge`` [fm] (rms charge radius),
    ``r_charge_isotope``, ``abundances`` {mass number: mole fraction}.
    """

    symbol: str
    name: str
    Z: int
    A: float
    N: float
    atomic_weight: float
    mass: float
    r_charge: float
    r_charge_isotope: str
    abundances: MappingProxyType = field(repr=False)

    @property
    def r_charge_cm(self) -> float:
        """rms charge radius [cm]."""
        return self.r_charge * C.fm

    @property
    def r_klein_nystrand(self) -> float:
        """Klein-Nystrand hard-sphere radius R_A = 1.23 A^(1/3) [fm] (paper 004 eq. 3)."""
        return 1.23 * self.A ** (1.0 / 3.0)

    @property
    def mass_per_nucleon(self) -> float:
        """mass / A [MeV]: used to scale the mass to another isotope (Z + N nucleons)."""
        return self.mass / self.A


def _build(symbol: str) -> Nucleus:
    name, Z, aw, ab, r, iso = _TABLE[symbol]
    total = sum(ab.values())
    frac = {a: x / total for a, x in ab.items()}
    A = sum(a * x for a, x in frac.items())
    mass = aw * C.amu - Z * C.m_e
    return Nucleus(symbol, name, Z, A, A - Z, aw, mass, r, iso, MappingProxyType(frac))


_NUCLEI = {s: _build(s) for s in _TABLE}
_BY_Z = {n.Z: n for n in _NUCLEI.values()}

#: symbols of all tabulated elements
ELEMENTS = tuple(_NUCLEI)


def _canonical(name) -> str:
    key = str(name).strip()
    if key in _NUCLEI:
        return key
    low = key.lower()
    if low in _ALIASES:
        return _ALIASES[low]
    for s in _NUCLEI:
        if s.lower() == low:
            return s
    raise UnknownTargetError(f"unknown nucleus {name!r}; tabulated: {', '.join(ELEMENTS)}")


def nucleus(name) -> Nucleus:
    """Return the :class:`Nucleus` of element ``name`` (symbol like "Xe", case-insensitive, or a
    name/alias such as "xenon", "LAr").  Raises :class:`UnknownTargetError` otherwise."""
    return _NUCLEI[_canonical(name)]


def by_Z(Z) -> Nucleus:
    """Return the tabulated :class:`Nucleus` with proton number ``Z`` (UnknownTargetError if none)."""
    try:
        return _BY_Z[int(round(float(Z)))]
    except (KeyError, TypeError, ValueError):
        raise UnknownTargetError(f"no tabulated nucleus with Z = {Z!r}") from None


def default_mass(Z, N) -> float:
    """Nuclear mass [MeV] for Z protons and N neutrons (N may be isotope-averaged).

    If Z is tabulated: the element's mass per nucleon times (Z + N), which is exactly
    :attr:`Nucleus.mass` for the natural mean N (and within ~1e-4 for a single isotope).
    Otherwise (Z + N) m_u - Z m_e (nuclear mass excess neglected, < 1e-3 relative).
    """
    Z = float(Z)
    N = float(N)
    if Z < 1 or N < 0:
        raise NuemError(f"need Z >= 1 and N >= 0, got Z={Z}, N={N}")
    n = _BY_Z.get(int(round(Z))) if abs(Z - round(Z)) < 1e-9 else None
    if n is not None:
        return n.mass_per_nucleon * (Z + N)
    return (Z + N) * C.amu - Z * C.m_e


# ---------------------------------------------------------------------------------------------
_COMPOUND_ALIASES = {"lar": "Ar", "lxe": "Xe", "nai(tl)": "NaI", "csi(tl)": "CsI",
                     "csi(na)": "CsI", "sapphire": "Al2O3"}
_FORMULA = re.compile(r"([A-Z][a-z]?)(\d*)")


@dataclass(frozen=True)
class Compound:
    """A target material: ``formula``, ``atoms`` {symbol: atoms per formula unit},
    ``molar_mass`` [g/mol], ``nuclei_per_kg`` {symbol: nuclei of that element per kg}."""

    formula: str
    atoms: MappingProxyType
    molar_mass: float
    nuclei_per_kg: MappingProxyType

    def mass_fraction(self, symbol) -> float:
        """Mass fraction of element ``symbol`` in the compound."""
        s = _canonical(symbol)
        return self.atoms.get(s, 0) * _NUCLEI[s].atomic_weight / self.molar_mass

    def nuclei(self) -> dict:
        """{symbol: Nucleus} of the constituent elements."""
        return {s: _NUCLEI[s] for s in self.atoms}


def compound(formula) -> Compound:
    """Parse a chemical formula ("CsI", "Al2O3", "CaWO4", "NaI", "Ge", "Xe", aliases "LAr",
    "LXe", "CsI(Tl)", "NaI(Tl)", "sapphire"; dopants are ignored) or take a mapping
    {symbol: atoms per formula unit}, and return a :class:`Compound` with the number of nuclei of
    each element per kg: n_X = nu_X * N_A * 1000 / molar_mass [kg^-1].

    Raises :class:`UnknownTargetError` for an unknown element or an unparsable formula.
    """
    if isinstance(formula, dict):
        atoms = {}
        for k, v in formula.items():
            if float(v) <= 0:
                raise NuemError(f"atom count of {k!r} must be positive, got {v!r}")
            atoms[_canonical(k)] = atoms.get(_canonical(k), 0) + v
        label = "".join(f"{s}{'' if v == 1 else v}" for s, v in atoms.items())
    else:
        label = str(formula).strip()
        text = _COMPOUND_ALIASES.get(label.lower(), label)
        if text.lower() in _ALIASES and text not in _NUCLEI:
            text = _ALIASES[text.lower()]
        parts = _FORMULA.findall(text)
        if not parts or "".join(s + n for s, n in parts) != text:
            raise UnknownTargetError(f"cannot parse chemical formula {formula!r}")
        atoms = {}
        for s, n in parts:
            if s not in _NUCLEI:
                raise UnknownTargetError(f"element {s!r} in {formula!r} is not tabulated; "
                                         f"tabulated: {', '.join(ELEMENTS)}")
            atoms[s] = atoms.get(s, 0) + (int(n) if n else 1)
    molar = sum(v * _NUCLEI[s].atomic_weight for s, v in atoms.items())
    per_kg = {s: v * C.N_A * 1000.0 / molar for s, v in atoms.items()}
    return Compound(label, MappingProxyType(dict(atoms)), molar, MappingProxyType(per_kg))


def nuclei_per_kg(formula, symbol=None):
    """Shortcut: nuclei per kg of every element of ``formula`` (dict), or of one ``symbol``."""
    c = compound(formula)
    if symbol is None:
        return dict(c.nuclei_per_kg)
    return c.nuclei_per_kg.get(_canonical(symbol), 0.0)
