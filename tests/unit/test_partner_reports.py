"""The manufacturer's and the partner's views (reports.py) over plain correlation documents."""
from datetime import datetime, timedelta

from services.partner_bridge.reports import manufacturer_view, partner_requests

T0 = datetime(2026, 11, 30, 9, 0)
LINKS = [{"link_id": "l-fire", "partner": {"account_name": "FireGuard"}},
         {"link_id": "l-safe", "partner": {"account_name": "SafeHome"}}]


def correlation(link_id, side, *, minutes_to_reply=None, minutes_to_resolve=None, title="Panel offline",
                model="S2000-M", manufacturer="Bolid", created=T0, remote_number="7"):
    doc = {"link_id": link_id, "side": side, "created_at": created, "state": "active",
           "local_ticket_id": f"t-{link_id}-{created.minute}", "remote_number": remote_number,
           "summary": {"title": title, "equipment": {"manufacturer": manufacturer, "model": model}
                       if model else {}}}
    if minutes_to_reply is not None:
        doc["first_reply_at"] = created + timedelta(minutes=minutes_to_reply)
    if minutes_to_resolve is not None:
        doc["remote_resolved_at"] = created + timedelta(minutes=minutes_to_resolve)
    return doc


def test_partner_reaction_and_resolution_times_come_from_tickets_shared_with_them():
    report = manufacturer_view([
        correlation("l-fire", "origin", minutes_to_reply=10, minutes_to_resolve=120),
        correlation("l-fire", "origin", minutes_to_reply=30),
        correlation("l-fire", "origin"),
        correlation("l-fire", "replica", minutes_to_reply=1),  # their request: not their reaction
    ], LINKS)
    [fire] = report["partners"]
    assert fire["partner_name"] == "FireGuard"
    assert (fire["shared_with"], fire["shared_from"]) == (3, 1)
    assert fire["reaction"] == {"count": 2, "median_minutes": 20.0, "average_minutes": 20.0}
    assert fire["resolution"] == {"count": 1, "median_minutes": 120.0, "average_minutes": 120.0}


def test_frequent_models_and_problems_are_ranked_over_every_shared_ticket():
    report = manufacturer_view([
        correlation("l-fire", "replica", title="Panel  offline"),
        correlation("l-safe", "origin", title="panel offline"),
        correlation("l-safe", "origin", title="Siren silent", model="Mayak-12", manufacturer="Bolid"),
        correlation("l-safe", "replica", title="Siren silent", model=None),
        correlation("l-safe", "replica", title="Keypad dead", model=None),
    ], LINKS, top=2)
    assert report["equipment_models"] == [
        {"manufacturer": "Bolid", "model": "S2000-M", "tickets": 2},
        {"manufacturer": "Bolid", "model": "Mayak-12", "tickets": 1}]
    assert [(p["problem"].lower().split(), p["tickets"]) for p in report["problems"]] == [
        (["panel", "offline"], 2), (["siren", "silent"], 2)]
    assert [row["partner_name"] for row in report["partners"]] == ["SafeHome", "FireGuard"]


def test_an_account_with_nothing_shared_has_an_empty_report():
    assert manufacturer_view([], LINKS) == {"partners": [], "equipment_models": [], "problems": []}
    assert partner_requests([], LINKS) == []


def test_the_partner_sees_its_requests_newest_first_with_the_answer_times():
    later = T0 + timedelta(hours=1)
    rows = partner_requests([
        correlation("l-fire", "origin", minutes_to_reply=5, minutes_to_resolve=60, remote_number="41"),
        correlation("l-fire", "origin", created=later, remote_number=None),
        correlation("l-fire", "replica"),
    ], LINKS)
    assert [(r["remote_number"], r["reaction_minutes"], r["resolution_minutes"]) for r in rows] == [
        (None, None, None), ("41", 5.0, 60.0)]
    assert rows[1]["partner_name"] == "FireGuard" and rows[1]["title"] == "Panel offline"
