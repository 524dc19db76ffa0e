r"""Forward Physics Facility neutrino detectors of paper 000 (Ismail, Jana, Abraham,
PRD 105, 055008 (2022), sec. III): FASERnu2, FLArE-10 and FLArE-100.

Declarative detector data with their sources.  Units: lengths in cm, densities in g/cm^3,
energies (thresholds) in MeV, masses in tonnes.

Geometry and thresholds are those of paper 000 sec. III (following Batell, Feng, Trojanowski,
PRD 103, 075023 (2021), arXiv:2101.10338):

* FASERnu2: tungsten emulsion, 0.5 m x 0.5 m transverse, 2 m deep (about 10 t); electron threshold
  300 MeV; photon pair-production mean free path 4.5 mm (paper 000 sec. IV).
* FLArE-10: liquid argon, 1 m x 1 m x 7 m (10 t); threshold 30 MeV; mean free path 18 cm.
* FLArE-100: liquid argon, 1.6 m x 1.6 m x 30 m (100 t); threshold 30 MeV; mean free path 18 cm.

Paper 000 sec. IV says "For FASERnu2 (FLArE) which is made out of liquid argon (tungsten), this
distance is 4.5 mm (18 cm)": the two materials are swapped in that sentence (FASERnu2 is tungsten,
FLArE is argon); the distances themselves belong to tungsten (4.5 mm) and argon (18 cm).  They
agree with the pair-production mean free path 9/7 X_0 (Tsai 1974) for the PDG radiation lengths
X_0(W) = 0.3504 cm and X_0(LAr) = 14.0 cm.

Material data (PDG "Atomic and nuclear properties of materials", pdg.lbl.gov/AtomicNuclearProperties):
tungsten Z = 74, A = 183.84 g/mol, rho = 19.30 g/cm^3; liquid argon Z = 18, A = 39.948 g/mol,
rho = 1.396 g/cm^3.

Fluxes: counts of neutrinos per energy bin crossing the transverse face for 3000 fb^-1 at 620 m
from the ATLAS IP (F. Kling, PRD 104, 113008 (2021), repository FastNeutrinoFluxSimulation,
commit 5ad87e9); see ``../shared/data/lhc_fpf_kling2021/PROVENANCE.md``.
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import constants as C
from ..errors import NuemError

__all__ = ["Material", "FPFDetector", "TUNGSTEN", "LIQUID_ARGON", "DETECTORS", "detector",
           "LUMINOSITY_FB", "DISTANCE_FROM_IP_CM"]

#: integrated luminosity of every FPF flux file [fb^-1] (paper 000 sec. III; Kling 2021)
LUMINOSITY_FB = 3000.0
#: distance of the FPF detectors from the ATLAS IP [cm] (paper 000 sec. III)
DISTANCE_FROM_IP_CM = 620.0 * C.m


@dataclass(frozen=True)
class Material:
    """A homogeneous target material: atomic number Z, molar mass A [g/mol], density [g/cm^3],
    radiation length X0 [cm], photon pair-production mean free path [cm] (as used by paper 000)."""

    name: str
    Z: int
    A: float
    density: float
    X0: float
    photon_mfp: float
    source: str

    @property
    def electrons_per_cm3(self) -> float:
        """Electron number density n_e = rho N_A Z / A [cm^-3]."""
        return self.density * C.N_A * self.Z / self.A

    @property
    def nucleons_per_cm3(self) -> float:
        """Nucleon number density rho N_A [cm^-3] (A in g/mol ~ nucleon count per atom)."""
        return self.density * C.N_A


TUNGSTEN = Material("tungsten", 74, 183.84, 19.30, 0.3504, 0.45,
                    "PDG atomic and nuclear properties (W); photon mean free path 4.5 mm from "
                    "paper 000 sec. IV (= 9/7 X0)")
LIQUID_ARGON = Material("liquid argon", 18, 39.948, 1.396, 14.0, 18.0,
                        "PDG atomic and nuclear properties (liquid Ar); photon mean free path "
                        "18 cm from paper 000 sec. IV (= 9/7 X0)")


@dataclass(frozen=True)
class FPFDetector:
    """One FPF detector on the beam axis.  Lengths in cm, threshold in MeV.

    ``flux_folder`` and ``flux_prefix`` locate its files in ``lhc_fpf_kling2021``.
    """

    key: str
    label: str
    material: Material
    width: float
    height: float
    depth: float
    threshold: float
    flux_folder: str
    flux_prefix: str
    nominal_mass_t: float
    source: str = "paper 000 sec. III; Batell, Feng, Trojanowski arXiv:2101.10338"

    @property
    def area(self) -> float:
        """Transverse face area [cm^2]."""
        return self.width * self.height

    @property
    def volume(self) -> float:
        """Volume [cm^3]."""
        return self.area * self.depth

    @property
    def mass_t(self) -> float:
        """Target mass from geometry and density [tonnes]."""
        return self.volume * self.material.density / 1e6

    @property
    def electrons_per_cm2(self) -> float:
        """Electrons per cm^2 of face along the depth, n_e L [cm^-2].  A neutrino crossing the face
        meets this column density, so events = N_nu * n_e L * sigma."""
        return self.material.electrons_per_cm3 * self.depth

    @property
    def nucleons_per_cm2(self) -> float:
        """Nucleons per cm^2 along the depth, rho N_A L [cm^-2] (for the CC check)."""
        return self.material.nucleons_per_cm3 * self.depth

    @property
    def l_prompt(self) -> float:
        """Prompt-decay length l_prompt = photon mean free path [cm] (paper 000 sec. IV)."""
        return self.material.photon_mfp


DETECTORS = {
    "FASERnu2": FPFDetector("FASERnu2", "FASER$\\nu$2", TUNGSTEN, 50.0, 50.0, 200.0, 300.0,
                            "FASERnu2", "FASERv2", 10.0),
    "FLArE10": FPFDetector("FLArE10", "FLArE-10", LIQUID_ARGON, 100.0, 100.0, 700.0, 30.0,
                           "FLArE10", "FLARE10", 10.0),
    "FLArE100": FPFDetector("FLArE100", "FLArE-100", LIQUID_ARGON, 160.0, 160.0, 3000.0, 30.0,
                            "FLArE100", "FLARE100", 100.0),
}

_ALIASES = {k.lower(): k for k in DETECTORS}
_ALIASES.update({"fasernu2": "FASERnu2", "faserv2": "FASERnu2", "flare-10": "FLArE10",
                 "flare-100": "FLArE100"})


def detector(name) -> FPFDetector:
    """Look up an FPF detector by key ("FASERnu2", "FLArE10", "FLArE100"; case-insensitive,
    "FLArE-10" style accepted).  Raises NuemError for an unknown name."""
    if isinstance(name, FPFDetector):
        return name
    key = _ALIASES.get(str(name).strip().lower())
    if key is None:
        raise NuemError(f"unknown FPF detector {name!r}; expected one of {list(DETECTORS)}")
    return DETECTORS[key]
