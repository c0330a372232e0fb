"""The SLA clock's domain: business calendars, the Russian production calendar, and the clock of
reaction and resolution targets, in plain modules with no nameko import (see docs/sla.md); the
entrypoints are in entrypoints.py and the data (calendars, escalation rules, notifications) in
store/."""
