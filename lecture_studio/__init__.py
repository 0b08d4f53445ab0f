"""Lecture Studio: turn a PowerPoint deck or an outline into a narrated lecture video."""

__version__ = "0.1.0"
