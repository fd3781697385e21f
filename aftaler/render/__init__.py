"""Rendering document models to bytes: Word (docxtpl), PDF/A and PDF/UA (Typst), the
report's charts and the signature fields."""
