"""Which business calendar a ticket's SLA clock runs on.

The most specific place that names a calendar wins:

  1. the ticket's site (a site in another region works its own hours and zone);
  2. its client (hours agreed with this client);
  3. its service level (a "24/7 premium" tier runs on a round-the-clock calendar);
  4. the account: the setting `sla_calendar_id`, else the account's first calendar;
  5. the built-in calendar (Monday-Friday 09:00-18:00, RU, in the account's zone).

A calendar named but no longer the account's (ids are never trusted) is passed over. The clock
keeps the calendar it started with: later changes of the ticket's site, client or level move its
targets, not its calendar (changes of that calendar itself reach it through revisions).
"""

PRECEDENCE = ("site", "client", "service_level", "account")


def chosen_calendar(named, is_the_accounts):
    """(calendar_id, source) from `named` ({source: calendar id or None}), by PRECEDENCE, taking
    only ids for which `is_the_accounts(id)` holds; (None, None) when no place names one."""
    for source in PRECEDENCE:
        calendar_id = named.get(source)
        if isinstance(calendar_id, str) and is_the_accounts(calendar_id):
            return calendar_id, source
    return None, None
