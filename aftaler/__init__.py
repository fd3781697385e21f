"""Signing-ready HORSENS ALLIANCE AFTALER from structured definitions."""

__version__ = "0.1.0"
