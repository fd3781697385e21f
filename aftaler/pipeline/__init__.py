"""Building documents from definitions and writing them: one, or many in parallel."""
