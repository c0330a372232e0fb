"""SLA deadlines for many tickets, in-process (issue 5, point 7, first half): the domain only, no
RabbitMQ and no database.

`--tickets` tickets (default 100,000) are opened at random instants of 2025-2026 on two calendars
(a Moscow office 09:00-13:00/14:00-18:00 Monday-Friday and a Vladivostok branch 08:00-20:00
Monday-Saturday, both with the Russian production calendar) and two service levels; for each the
reaction and resolution deadlines are computed, then, for every tenth ticket, a pause of random
length is added and its full status taken (spent, remaining, deadline, warning instant, state) as a
recomputation would. Calendars are shared, as in the service, so per-date intervals are computed
once per date. Prints Markdown for docs/performance.md.

    .venv/bin/python bench/sla_deadlines.py [--tickets 100000] [--seed 1]
"""
import argparse
import os
import platform
import random
import sys
import time
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from services.tickets.sla import clock as sla_clock  # noqa: E402
from services.tickets.sla.calendar import BusinessCalendar  # noqa: E402

LEVELS = ((240, 960), (60, 480))
START = datetime(2025, 1, 1, tzinfo=timezone.utc)
SPAN_MINUTES = 2 * 365 * 24 * 60


def calendars():
    office = BusinessCalendar(time_zone="Europe/Moscow", production_calendar="RU",
                              week=[[(540, 780), (840, 1080)]] * 5 + [[], []])
    branch = BusinessCalendar(time_zone="Asia/Vladivostok", production_calendar="RU",
                              week=[[(480, 1200)]] * 6 + [[]])
    return office, branch


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    office, branch = calendars()
    tickets = [(START + timedelta(minutes=rng.randrange(SPAN_MINUTES)), rng.choice((office, branch)),
                rng.choice(LEVELS)) for _ in range(args.tickets)]

    began = time.perf_counter()
    clocks = []
    for opened_at, calendar, (reaction, resolution) in tickets:
        clock = sla_clock.start(opened_at, reaction, resolution)
        sla_clock.instant_of(clock, calendar, clock.targets["reaction"].duration)
        sla_clock.instant_of(clock, calendar, clock.targets["resolution"].duration)
        clocks.append(clock)
    deadlines_seconds = time.perf_counter() - began

    began = time.perf_counter()
    recomputed = 0
    for clock, (opened_at, calendar, _) in zip(clocks[::10], tickets[::10]):
        paused_at = opened_at + timedelta(minutes=rng.randrange(1, 3000))
        clock = sla_clock.pause(clock, paused_at, "waiting")
        clock = sla_clock.resume(clock, paused_at + timedelta(minutes=rng.randrange(0, 5000)))
        sla_clock.status(clock, calendar, "resolution", paused_at + timedelta(days=3), 0.8)
        recomputed += 1
    status_seconds = time.perf_counter() - began

    print(f"### Run, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC\n")
    print(f"- Machine: {os.cpu_count()} CPUs, {platform.processor() or platform.machine()}, "
          f"Python {platform.python_version()}")
    print(f"- {args.tickets} tickets over 2025-2026, two calendars, two service levels, seed {args.seed}\n")
    print("| work | count | total s | per item µs |")
    print("|---|--:|--:|--:|")
    print(f"| reaction + resolution deadlines at creation | {args.tickets} | {deadlines_seconds:.2f} "
          f"| {deadlines_seconds / args.tickets * 1e6:.1f} |")
    print(f"| pause, resume, full status of resolution | {recomputed} | {status_seconds:.2f} "
          f"| {status_seconds / max(recomputed, 1) * 1e6:.1f} |")


if __name__ == "__main__":
    main()
