"""Document models: the agreement and the yearly report as sentences, tables and figures,
ready for either format."""
