"""Working hours and dated overrides as a person types them in the calendar form, to and from
the API's lists. The service checks every value; this only splits the text where people do:

    week.monday      "09:00-13:00, 14:00-18:00"
    days_off         one date a line                      2026-12-31
    working_days     a date, then its hours if not the standard day's
                                                          2026-12-26 10:00-15:00
    shortened_days   a date and by how many minutes (60 when left out)
                                                          2026-12-30 120
"""
INTERVAL_SEPARATOR = ","


def intervals(text):
    """"09:00-13:00, 14:00-18:00" -> [{"start": "09:00", "end": "13:00"}, ...]."""
    found = []
    for piece in text.split(INTERVAL_SEPARATOR):
        if piece.strip():
            start, _, end = piece.partition("-")
            found.append({"start": start.strip(), "end": end.strip()})
    return found


def intervals_text(listed):
    return ", ".join(f"{interval['start']}-{interval['end']}" for interval in listed or [])


def date_and_rest(line):
    day, _, rest = line.strip().partition(" ")
    return day, rest.strip()


def working_day(line):
    day, hours = date_and_rest(line)
    return {"date": day, "intervals": intervals(hours) if hours else None}


def shortened_day(line):
    day, minutes = date_and_rest(line)
    return {"date": day, **({"minutes": minutes} if minutes else {})}


def working_day_text(entry):
    return f"{entry['date']} {intervals_text(entry.get('intervals'))}".strip()


def shortened_day_text(entry):
    return f"{entry['date']} {entry['minutes']}"
