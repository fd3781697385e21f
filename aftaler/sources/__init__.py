"""Reading what the secretariat writes: definitions and yearly records, validated, with
every mistake located by file, line and field."""
