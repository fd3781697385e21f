"""The append-only archive of final and signed PDFs, and what a PDF is, read from its bytes."""
