"""The SLA clock's domain: business calendars, the Russian production calendar, and the clock of
reaction and resolution targets. Plain modules with no nameko import (see docs/sla.md)."""
