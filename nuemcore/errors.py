"""Exceptions raised by ``nuemcore`` for bad input (never a silent NaN).

Every input error is a :class:`NuemError` (a ``ValueError``); its message names the argument,
the value received and the allowed range with its unit.
"""


class NuemError(ValueError):
    """Base class of nuemcore input errors."""


class UnknownFlavourError(NuemError):
    """A neutrino flavour outside {"e", "mu", "tau"} (or a sterile label where none is allowed)."""


class UnknownTargetError(NuemError):
    """A nucleus or element that the nuclear/atomic tables do not contain."""


class NegativeEnergyError(NuemError):
    """A negative energy, mass, length or other quantity where a non-negative one is required."""


class NonFiniteError(NegativeEnergyError):
    """A NaN or infinite value in a numeric argument (a subclass of NegativeEnergyError because
    NaN energies raised that before; catch NuemError or NonFiniteError)."""


class OutOfRangeError(NuemError):
    """A value outside its allowed interval (sin2w outside (0, 1), an efficiency outside [0, 1],
    a zero target mass, ...)."""


class GridError(NuemError):
    """A grid that is not ascending/finite, or a request outside the grid it refers to."""


class UnitSlipError(NuemError):
    """A value implausible by orders of magnitude for its stated unit (e.g. a mass in GeV where
    MeV is expected)."""


class UnitSlipWarning(UserWarning):
    """A value that is allowed but implausible for its stated unit (e.g. every recoil above the
    kinematic maximum by 1000x: keV passed where MeV is expected)."""


class DataFileError(FileNotFoundError):
    """A data file from ``../shared/data`` is missing or does not match its checksum."""
