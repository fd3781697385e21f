"""Evaluation forms: spreadsheets (.xlsx) the partners fill in, and their import.

    layout     the look every form shares: styles, input cells, protection, printing
    identity   what a form is for (agreement or programme, year, fingerprint), kept in it
    export     an agreement's form and a programme's form, as .xlsx bytes
    cells      reading what a person typed: numbers, dates, yes/no, as Excel or Calc saved it
    reading    a filled form back to plain record data, each value with its cell
    records    the record as YAML that reads like the hand-written ones; what changed
    importing  a filled form checked (the record's own checks) and made into its record
"""
