"""Ticket views as partner_bridge reads them, for the partner tests."""
from datetime import datetime

from services.partner_bridge.sharing import load_rules

AT = datetime(2026, 11, 30, 9, 0)


def ticket_view(**overrides):
    view = {
        "id": "t-1", "number": 42, "title": "Panel offline", "description": "Zone 3 reports a fault.",
        "priority": "high", "status": "in_progress", "type": "incident",
        "created_at": AT, "updated_at": AT,
        "equipment": {"kind": "Control panel", "manufacturer": "Bolid", "model": "S2000-M",
                      "serial_number": "SN-0001", "inventory_number": "INV-SECRET-7",
                      "parameters": {"pin": "SECRET-PIN"}},
        "site": {"city": "Kazan", "name": "Warehouse SECRET-SITE", "address": "SECRET-ADDRESS 1",
                 "access_notes": "SECRET-ACCESS key at the guard"},
        "contact": {"name": "Ivan SECRET-NAME", "phones": ["+79123456789"],
                    "emails": ["ivan@client.example"]},
        "client_id": "SECRET-CLIENT-ID",
        "comments": [
            {"id": "c-1", "body": "We replaced the battery.", "visibility": "public",
             "author": {"kind": "employee", "id": "e-1", "name": "Anna Engineer"}, "created_at": AT},
            {"id": "c-2", "body": "SECRET-INTERNAL the client owes us", "visibility": "internal",
             "author": {"kind": "employee", "id": "e-1", "name": "Anna Engineer"}, "created_at": AT},
        ],
        "attachments": [
            {"id": "a-1", "name": "photo.jpg", "media_type": "image/jpeg", "size": 1024,
             "sha256": "ab" * 32, "visibility": "public"},
            {"id": "a-2", "name": "SECRET-INVOICE.pdf", "media_type": "application/pdf",
             "size": 10, "sha256": "cd" * 32, "visibility": "internal"},
        ],
        "works": [{"id": "w-1", "code": "SECRET-WORK",
                   "unit_price": {"amount": "987654.32", "currency": "RUB"},
                   "amount": {"amount": "987654.32", "currency": "RUB"}}],
        "works_total": {"amount": "987654.32", "currency": "RUB"},
        "coverage": {"verdict": "not_covered", "price": {"amount": "987654.32", "currency": "RUB"}},
        "billing": "paid_one_off",
        "history": [{"actor": {"kind": "employee", "id": "SECRET-EMPLOYEE"}}],
    }
    view.update(overrides)
    return view


def rules(outgoing=None, incoming=None):
    return load_rules({"outgoing": outgoing or {}, "incoming": incoming or {}})
