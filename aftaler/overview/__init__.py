"""The secretariat's overview: where every agreement stands and what is due.

    facts     what the files say (definitions, records, output/, the archive): the I/O
    state     the status on a given day, computed from the facts, and what needs doing
    signatures  each PDF's signature fields, the most signed copy, the archived copy
    context   what the computation shares: the day, paths, commands, ranking
    model     its shape, as `status --json` prints it (schema/status.schema.json)
    table     the status as a table on the terminal
    words     Danish words for the page and the calendar
    page      the overview page, output/oversigt.html
    calendar  the calendar of dates that matter, output/kalender.ics
    files     writing the page and the calendar, and keeping them current
"""

# Named here, where importing them costs nothing: every command that changes something
# asks whether they exist, and most of the time they do not.
PAGE, CALENDAR = "oversigt.html", "kalender.ics"
