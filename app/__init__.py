"""Tư Vấn: the case register of a community addiction consultation point."""

__version__ = "0.1.0"
