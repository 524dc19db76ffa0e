"""Physical constants and unit conversions for ``nuemcore``.

Unit convention (one for the whole package, see ``../shared/docs/ARCHITECTURE.md``):

* energies and masses in **MeV**, lengths in **cm**, times in **s**;
* cross sections in **cm^2** (differential: cm^2/MeV);
* magnetic moments in units of the Bohr magneton **mu_B**, electric charges in units of **e**;
* charge radii <r^2> and anapole moments in **cm^2**;
* fluxes in cm^-2 s^-1 MeV^-1 (accelerator fluxes per POT or per luminosity as their source
  gives them, converted once when loaded).

Internally formulas are evaluated in natural units (hbar = c = 1, energies in MeV) and converted to
cm^2 once with :data:`HBARC2_MEV2_CM2` (``to_cm2``).  CODATA values come from
:mod:`scipy.constants`; the few PDG values are quoted once here with their source.
"""
from __future__ import annotations

import math

import scipy.constants as _sc

_pc = _sc.physical_constants

# --- energy and length units (multiply a value in that unit to get MeV / cm) -------------------
eV = 1e-6
keV = 1e-3
MeV = 1.0
GeV = 1e3
TeV = 1e6
cm = 1.0
m = 100.0
km = 1e5
fm = 1e-13
#: seconds in a (Julian) year
year = _sc.Julian_year
#: kilograms in a metric tonne
tonne = 1000.0

# --- CODATA (scipy.constants) -------------------------------------------------------------------
#: fine-structure constant alpha (dimensionless)
alpha = _sc.fine_structure
#: electron mass [MeV]
m_e = _pc["electron mass energy equivalent in MeV"][0]
#: muon mass [MeV]
m_mu = _pc["muon mass energy equivalent in MeV"][0]
#: proton, neutron masses [MeV]
m_p = _pc["proton mass energy equivalent in MeV"][0]
m_n = _pc["neutron mass energy equivalent in MeV"][0]
#: atomic mass unit [MeV]
amu = _pc["atomic mass constant energy equivalent in MeV"][0]
#: Fermi constant G_F [MeV^-2] (CODATA gives GeV^-2)
G_F = _pc["Fermi coupling constant"][0] * 1e-6
#: hbar c [MeV cm]
HBARC_MEV_CM = _pc["reduced Planck constant times c in MeV fm"][0] * 1e-13
#: (hbar c)^2 [MeV^2 cm^2]: the one conversion from natural units (MeV^-2) to cm^2
HBARC2_MEV2_CM2 = HBARC_MEV_CM**2
#: hbar [MeV s]
HBAR_MEV_S = _pc["reduced Planck constant in eV s"][0] * 1e-6
#: Avogadro constant [1/mol]
N_A = _sc.Avogadro
#: elementary charge in natural (Heaviside-Lorentz) units, e = sqrt(4 pi alpha)
e_charge = math.sqrt(4.0 * math.pi * alpha)
#: Bohr magneton mu_B = e / (2 m_e) in natural units [MeV^-1]
mu_B = e_charge / (2.0 * m_e)

# --- PDG values (R. L. Workman et al. (PDG), PTEP 2022, 083C01) --------------------------------
#: charged-pion mass [MeV] (PDG 2022)
m_pi = 139.57039
#: sin^2 theta_W at low momentum transfer, MS-bar scheme, sin^2 theta_W(0) = 0.23857 (PDG 2022,
#: "Electroweak model and constraints on new physics", eq. 10.13). Package default; the DUNE
#: chapter uses 0.2385 as paper 001 does, and each function accepts ``sin2w=``.
SIN2W_DEFAULT = 0.23857
#: sin^2 theta_W used by paper 003 (Miranda et al. 2021) for all its experiments: the MS-bar value
#: at the Z pole, 0.2312 (PDG 2022: 0.23122), rounded as the paper quotes it.
SIN2W_003 = 0.2312
#: muon lifetime [s] (PDG 2022)
tau_mu = 2.1969811e-6
#: charged-pion lifetime [s] (PDG 2022)
tau_pi = 2.6033e-8


def to_cm2(x_natural):
    """Convert a cross section from natural units (MeV^-2, or MeV^-3 for d sigma/dT) to cm^2
    (or cm^2/MeV)."""
    return x_natural * HBARC2_MEV2_CM2


def cm2_to_natural(x_cm2):
    """Convert an area in cm^2 (e.g. a charge radius <r^2> or anapole moment) to MeV^-2."""
    return x_cm2 / HBARC2_MEV2_CM2


def sin2w_or_default(sin2w):
    """Return ``sin2w`` or the package default :data:`SIN2W_DEFAULT` when it is None."""
    return SIN2W_DEFAULT if sin2w is None else float(sin2w)
