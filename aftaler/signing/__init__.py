"""Signing a signature field (PAdES) and verifying what is signed."""
