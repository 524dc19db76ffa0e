"""nuemcore: neutrino electromagnetic properties, from flux to limit.

Units everywhere: MeV, cm, cm^2 (differential cm^2/MeV), mu_B, e; see :mod:`nuemcore.constants`.
"""
__version__ = "0.1.0"
