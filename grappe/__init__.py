"""Grappe: the open platform that runs an innovation cluster."""

__version__ = "0.1.0"
