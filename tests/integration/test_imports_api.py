"""POST /api/v1/imports/{kind} through the running suite: an XLSX of a few hundred equipment rows
with some bad ones, a CSV of clients, dry run against apply, idempotent re-imports, external ids
per account, and who may import."""
import io
import uuid

import openpyxl
import pytest

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CLIENTS_CSV = ("external_id;name;inn;kpp;category\n"
               "c-1;ООО «Ромашка»;7707083893;773601001;gold\n"
               "c-2;ИП Лютиков;500100732259;;\n").encode("utf-8-sig")
SITES_CSV = "external_id,client_external_id,name,address\ns-1,c-1,Склад,Москва\ns-2,c-2,Офис,Тверь\n".encode()
EQUIPMENT_HEADER = ["external_id", "site_external_id", "kind", "manufacturer", "model",
                    "serial_number", "installed_on", "status", "parameters.firmware"]
# row number in the sheet -> (what breaks it, the column the report must name)
BAD_ROWS = {17: ("site_external_id", "s-404"), 58: ("installed_on", "31.02.2024"),
            120: ("model", None), 201: ("status", "сломан"), 250: ("serial_number", "SN-00010")}


def upload(api, kind, content, filename, dry_run=None, partial=None, mimetype="text/csv"):
    params = {k: v for k, v in (("dry_run", dry_run), ("partial", partial)) if v is not None}
    return api.post(f"/api/v1/imports/{kind}", params=params,
                    files={"file": (filename, content, mimetype)})


def report_of(answer):
    assert answer.status_code == 200, answer.text
    return answer.json()


def equipment_sheet():
    """300 rows; the rows in BAD_ROWS are broken, one way each."""
    book = openpyxl.Workbook()
    book.active.append(EQUIPMENT_HEADER)
    for number in range(2, 302):
        n = number - 2
        row = {"external_id": f"e-{n:03}", "site_external_id": "s-1" if n % 2 else "s-2",
               "kind": "Камера" if n % 3 else "Турникет", "manufacturer": "Dahua",
               "model": "IPC-HFW", "serial_number": f"SN-{n:05}", "installed_on": "2024-03-01",
               "status": "in_service", "parameters.firmware": f"2.{n}"}
        if number in BAD_ROWS:
            column, value = BAD_ROWS[number]
            row[column] = value
        book.active.append([row[c] for c in EQUIPMENT_HEADER])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def mine(suite):
    """A fresh account with its clients and sites imported."""
    admin = suite.admin(f"imports-{uuid.uuid4().hex[:6]}")
    assert report_of(upload(admin, "clients", CLIENTS_CSV, "clients.csv", dry_run=False))["created"] == 2
    assert report_of(upload(admin, "sites", SITES_CSV, "sites.csv", dry_run=False))["created"] == 2
    return admin


def count(api, path, **params):
    answer = api.get(path, params={"limit": 100, **params})
    assert answer.status_code == 200, answer.text
    return len(answer.json()["items"])


def test_an_xlsx_of_300_equipment_rows_reports_exactly_its_bad_rows(mine):
    sheet = equipment_sheet()
    dry = report_of(upload(mine, "equipment", sheet, "оборудование.xlsx", mimetype=XLSX))
    assert dry["dry_run"] is True and dry["written"] is False
    assert sorted({e["row"] for e in dry["errors"]}) == sorted(BAD_ROWS)
    assert {(e["row"], e["column"]) for e in dry["errors"]} == {(r, c) for r, (c, _) in BAD_ROWS.items()}
    assert (dry["rows"], dry["valid"], dry["created"]) == (300, 295, 295)
    assert dry["new_equipment_kinds"] == ["Камера", "Турникет"]

    refused = report_of(upload(mine, "equipment", sheet, "оборудование.xlsx", dry_run=False, mimetype=XLSX))
    assert refused["written"] is False and len(refused["errors"]) == 5
    assert count(mine, "/api/v1/equipment") == 0
    assert mine.get("/api/v1/equipment-kinds", params={"limit": 100}).json()["items"] == []

    applied = report_of(upload(mine, "equipment", sheet, "оборудование.xlsx", dry_run=False,
                               partial=True, mimetype=XLSX))
    assert (applied["written"], applied["created"], applied["valid"]) == (True, 295, 295)
    found = mine.get("/api/v1/equipment", params={"q": "SN-00003"}).json()["items"]
    assert len(found) == 1 and found[0]["parameters"] == {"firmware": "2.3"}
    assert {k["name"] for k in mine.get("/api/v1/equipment-kinds", params={"limit": 100}).json()["items"]} == {"Камера", "Турникет"}

    again = report_of(upload(mine, "equipment", sheet, "оборудование.xlsx", dry_run=False,
                             partial=True, mimetype=XLSX))
    assert (again["created"], again["updated"], again["unchanged"], again["written"]) == (0, 0, 295, False)


def test_a_csv_of_clients_dry_run_then_apply_then_again(suite):
    admin = suite.admin(f"imports-{uuid.uuid4().hex[:6]}")
    dry = report_of(upload(admin, "clients", CLIENTS_CSV, "clients.csv"))
    assert (dry["created"], dry["written"], dry["errors"]) == (2, False, [])
    assert count(admin, "/api/v1/clients") == 0

    applied = report_of(upload(admin, "clients", CLIENTS_CSV, "clients.csv", dry_run=False))
    assert (applied["created"], applied["written"]) == (2, True)
    names = {c["name"]: c for c in admin.get("/api/v1/clients").json()["items"]}
    assert names["ООО «Ромашка»"]["inn"] == "7707083893" and names["ООО «Ромашка»"]["category"] == "gold"
    audit = admin.get("/api/v1/audit", params={"action": "import.applied"}).json()["items"]
    assert len(audit) == 1
    assert (audit[0]["details"]["kind"], audit[0]["details"]["created"]) == ("clients", 2)

    again = report_of(upload(admin, "clients", CLIENTS_CSV, "clients.csv", dry_run=False))
    assert (again["created"], again["updated"], again["unchanged"], again["written"]) == (0, 0, 2, False)
    changed = CLIENTS_CSV.decode("utf-8-sig").replace(";gold", ";platinum").encode()
    updated = report_of(upload(admin, "clients", changed, "clients.csv", dry_run=False))
    assert (updated["created"], updated["updated"], updated["unchanged"]) == (0, 1, 1)
    assert count(admin, "/api/v1/clients") == 2
    assert admin.get(f"/api/v1/clients/{names['ООО «Ромашка»']['id']}").json()["category"] == "platinum"


def test_bad_rows_are_named_and_nothing_is_written_unless_partial(suite):
    admin = suite.admin(f"imports-{uuid.uuid4().hex[:6]}")
    content = "external_id,name,inn\nc-1,Ромашка,7707083893\nc-2,Лютик,1234567890\nc-3,,\n".encode()
    refused = report_of(upload(admin, "clients", content, "c.csv", dry_run=False))
    assert [(e["row"], e["column"]) for e in refused["errors"]] == [(3, "inn"), (4, "name")]
    assert refused["written"] is False and count(admin, "/api/v1/clients") == 0
    partial = report_of(upload(admin, "clients", content, "c.csv", dry_run=False, partial=True))
    assert partial["written"] is True and partial["created"] == 1
    assert count(admin, "/api/v1/clients") == 1


def test_external_ids_are_per_account(mine, globex):
    ours = {c["name"]: c for c in mine.get("/api/v1/clients").json()["items"]}
    theirs = report_of(upload(globex, "clients", "external_id,name\nc-1,Захват\n".encode(), "c.csv",
                              dry_run=False))
    assert theirs["created"] == 1 and theirs["updated"] == 0
    assert {c["name"]: c for c in mine.get("/api/v1/clients").json()["items"]} == ours
    romashka = ours["ООО «Ромашка»"]["id"]
    contact = f"external_id,client_id,name\np-1,{romashka},Шпион\n".encode()
    sneaky = report_of(upload(globex, "contacts", contact, "p.csv", dry_run=False, partial=True))
    assert [(e["row"], e["column"]) for e in sneaky["errors"]] == [(2, "client_id")]
    assert sneaky["written"] is False
    assert count(mine, f"/api/v1/clients/{romashka}/contacts") == 0
    sites = report_of(upload(globex, "equipment",
                             "external_id,site_external_id,manufacturer,model\ne-000,s-1,X,Y\n".encode(),
                             "e.csv", dry_run=False, partial=True))
    assert [(e["row"], e["column"]) for e in sites["errors"]] == [(2, "site_external_id")]


def test_only_client_managers_import(north, anonymous):
    assert upload(north.people["agent"], "clients", CLIENTS_CSV, "c.csv").status_code == 403
    assert upload(north.people["field_engineer"], "clients", CLIENTS_CSV, "c.csv").status_code == 403
    dry = upload(north.people["dispatcher"], "clients", CLIENTS_CSV, "c.csv")
    assert dry.status_code == 200 and dry.json()["written"] is False
    assert upload(anonymous, "clients", CLIENTS_CSV, "c.csv").status_code == 401


def test_the_request_is_validated(mine):
    missing = mine.post("/api/v1/imports/clients")
    assert missing.status_code == 422 and [e["field"] for e in missing.json()["errors"]] == ["file"]
    unknown = upload(mine, "invoices", CLIENTS_CSV, "c.csv")
    assert unknown.status_code == 422 and [e["field"] for e in unknown.json()["errors"]] == ["kind"]
    too_big = upload(mine, "clients", b"x" * (1024 * 1024 + 1), "c.csv")
    assert too_big.status_code == 413
    broken = upload(mine, "clients", b"PK\x03\x04nonsense", "c.xlsx", mimetype=XLSX)
    assert broken.status_code == 422 and [e["field"] for e in broken.json()["errors"]] == ["file"]
    option = mine.post("/api/v1/imports/clients", params={"dry_run": "perhaps"},
                       files={"file": ("c.csv", CLIENTS_CSV)})
    assert option.status_code == 422 and [e["field"] for e in option.json()["errors"]] == ["dry_run"]


def test_the_endpoint_is_in_the_openapi_document(suite, anonymous):
    spec = anonymous.get("/openapi.json").json()
    operation = spec["paths"]["/api/v1/imports/{kind}"]["post"]
    assert "multipart/form-data" in operation["requestBody"]["content"]
    assert {p["name"] for p in operation["parameters"]} == {"dry_run", "partial"}
    assert "errors" in spec["components"]["schemas"]["ImportReport"]["properties"]
