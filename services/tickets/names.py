"""How names sort and compare, whatever the record: one key for clients, people, sites, kinds."""


def name_key(name):
    """Sort key for names: case-insensitive, ё sorted as е, as Russian readers expect."""
    return name.casefold().replace("ё", "е")
