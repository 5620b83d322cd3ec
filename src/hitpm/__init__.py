"""hitpm: project management for healthcare IT."""

__version__ = "0.1.0"
