"""Exceptions raised by ``nuemcore`` for bad input (never a silent NaN)."""


class NuemError(ValueError):
    """Base class of nuemcore input errors."""


class UnknownFlavourError(NuemError):
    """A neutrino flavour outside {"e", "mu", "tau"} (or a sterile label where none is allowed)."""


class UnknownTargetError(NuemError):
    """A nucleus or element that the nuclear/atomic tables do not contain."""


class NegativeEnergyError(NuemError):
    """A negative energy, mass or moment where a non-negative one is required."""


class DataFileError(FileNotFoundError):
    """A data file from ``../shared/data`` is missing or does not match its checksum."""
