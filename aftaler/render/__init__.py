"""Rendering document models to bytes: Word (docxtpl), PDF/A (WeasyPrint), fonts, charts
and signature fields."""
