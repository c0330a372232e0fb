"""Imports of clients, contacts, sites and equipment (services/tickets/imports/importing.py and
the modules it drives): files read, rows validated with the API's write schemas, errors naming
row and column, dry runs, all-or-nothing and partial writes, idempotent re-imports keyed by
external ids."""
import io
from datetime import date, timedelta

import openpyxl
import pytest

from services.shared.errors import Conflict, ValidationFailed
from services.tickets.imports import importing
from services.tickets.imports.files import read_table
from services.tickets.store import external_ids
from tests.unit.test_directory_support import directory, world  # noqa: F401

CLIENTS = ("external_id;name;inn;kpp;category\n"
           "c-1;ООО «Ромашка»;7707083893;773601001;gold\n"
           "c-2;ИП Лютиков;500100732259;;\n")


@pytest.fixture
def account(world):
    return world.account()


def run(directory, account, kind, content, filename="import.csv", dry_run=False, partial=False):
    if isinstance(content, str):
        content = content.encode("utf-8")
    return importing.run(directory, account["_id"], kind, read_table(filename, content),
                         dry_run=dry_run, partial=partial)


def xlsx(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def snapshot(db):
    """Every document of every collection: what 'nothing written' compares."""
    return {name: sorted(map(repr, db[name].find())) for name in db.list_collection_names()}


def errors_of(report):
    return [(e["row"], e["column"]) for e in report["errors"]]


def by_external_id(collection, external_id):
    return collection.find_one({"external_id": external_id})


@pytest.fixture
def clients(directory, account):
    report = run(directory, account, "clients", CLIENTS)
    assert report["created"] == 2 and report["written"], report
    return {e: by_external_id(directory.clients.clients, e)["_id"] for e in ("c-1", "c-2")}


@pytest.fixture
def sites(directory, account, clients):
    report = run(directory, account, "sites", "external_id,client_external_id,name,address\n"
                                              "s-1,c-1,Склад,Москва\ns-2,c-2,Офис,Тверь\n")
    assert report["created"] == 2, report
    return {e: by_external_id(directory.sites.sites, e) for e in ("s-1", "s-2")}


# -- reading files ----------------------------------------------------------------------------------

def test_a_utf8_csv_with_a_byte_order_mark_and_semicolons(directory, account):
    report = run(directory, account, "clients", CLIENTS.encode("utf-8-sig"))
    assert (report["rows"], report["valid"], report["created"], report["errors"]) == (2, 2, 2, [])
    client = by_external_id(directory.clients.clients, "c-1")
    assert (client["name"], client["inn"], client["kpp"], client["category"]) == (
        "ООО «Ромашка»", "7707083893", "773601001", "gold")
    assert client["account_id"] == account["_id"]


def test_a_windows_1251_csv_with_tabs(directory, account):
    content = "External ID\tName\tLegal name\nc-1\tРомашка\tООО «Ромашка и ёжики»\n".encode("cp1251")
    report = run(directory, account, "clients", content)
    assert report["created"] == 1 and report["errors"] == []
    assert by_external_id(directory.clients.clients, "c-1")["legal_name"] == "ООО «Ромашка и ёжики»"


def test_an_xlsx_sheet_with_numbers_and_dates(directory, account, sites):
    content = xlsx([
        ["external_id", "site_external_id", "kind", "manufacturer", "model", "serial_number",
         "installed_on", "warranty_until", "parameters.firmware"],
        ["e-1", "s-1", "Камера", "Dahua", "IPC-HFW", 100234, date(2024, 3, 1), date(2027, 3, 1), 2.5],
        [None, None, None, None, None, None, None, None, None],   # a blank row is skipped
        ["e-2", "s-2", "камера", "Hikvision", "DS-2CD", "HK-77", "2024-05-06", None, None],
    ])
    report = run(directory, account, "equipment", content, filename="оборудование.xlsx")
    assert (report["rows"], report["created"], report["errors"]) == (2, 2, [])
    assert report["new_equipment_kinds"] == ["Камера"]
    item = by_external_id(directory.equipment.equipment, "e-1")
    assert (item["serial_number"], item["installed_on"], item["warranty_until"], item["parameters"]) == (
        "100234", "2024-03-01", "2027-03-01", {"firmware": "2.5"})
    assert item["client_id"] == sites["s-1"]["client_id"]
    assert by_external_id(directory.equipment.equipment, "e-2")["kind_id"] == item["kind_id"]


@pytest.mark.parametrize("filename, content, reason", [
    ("a.csv", b"", "empty"),
    ("a.xls", b"\xd0\xcf\x11\xe0", "XLSX or CSV"),
    ("a.xlsx", b"PK\x03\x04 not really a workbook", "XLSX"),
    ("a.csv", b"external_id,name\n\x98\xff,x\n", "UTF-8 or Windows-1251"),
    ("a.csv", b"x" * (1024 * 1024 + 1), "larger"),
    ("a.csv", ("external_id,name" + ",x" * 99 + "\n").encode(), "100 columns"),
    ("a.xlsx", xlsx([["external_id", "name"], ["c-1", "n"] + [None] * 98 + ["x"]]), "100 columns"),
    ("a.csv", ("external_id,name\n" + "".join(f"c{i},n\n" for i in range(5001))).encode(), "5000 rows"),
])
def test_an_unreadable_or_oversized_file_is_refused_on_the_file_field(filename, content, reason):
    with pytest.raises(ValidationFailed) as failed:
        read_table(filename, content)
    assert list(failed.value.fields) == ["file"] and reason in failed.value.fields["file"][0]


# -- row errors name the row and the column -------------------------------------------------------

HEADERS = {"clients": "external_id,name", "contacts": "external_id,client_external_id,name",
           "sites": "external_id,client_external_id,name",
           "equipment": "external_id,site_external_id,manufacturer,model"}


@pytest.mark.parametrize("kind, more_columns, row, column, reason", [
    ("clients", ",inn", "c-9,Ромашка,7707083894", "inn", "INN"),
    ("clients", ",kpp", "c-9,Ромашка,773601001", "kpp", "INN"),
    ("clients", "", "c-9,", "name", "Missing data"),
    ("clients", "", ",Ромашка", "external_id", "external id"),
    ("clients", ",category", "c-9,Ромашка," + "x" * 65, "category", "Length"),
    ("clients", ",", "c-9,Ромашка,лишнее", "#3", "without a name"),
    ("contacts", ",phones", "p-9,c-1,Иван,8 (495) 123-45-67;12", "phones", "phone"),
    ("contacts", ",emails", "p-9,c-1,Иван,ivan@", "emails", "email"),
    ("contacts", ",portal_access", "p-9,c-1,Иван,all", "portal_access", "Must be one of"),
    ("contacts", ",portal_access", "p-9,c-1,Иван,own", "emails", "e-mail"),
    ("contacts", ",active", "p-9,c-1,Иван,может быть", "active", "boolean"),
    ("contacts", "", "p-9,c-404,Иван", "client_external_id", "c-404"),
    ("contacts", "", "p-9,,Иван", "client_external_id", "Name the client"),
    ("contacts", ",client_id", "p-9,c-1,Иван,0123456789abcdef", "client_external_id", "not both"),
    ("sites", ",time_zone", "s-9,c-1,Склад,Moscow", "time_zone", "IANA"),
    ("sites", ",latitude,longitude", "s-9,c-1,Склад,95,37", "latitude", "less than or equal to 90"),
    ("sites", ",latitude,longitude", "s-9,c-1,Склад,55.7,восток", "longitude", "number"),
    ("equipment", ",installed_on", "e-9,s-1,Dahua,IPC,01.02.2024", "installed_on", "date"),
    ("equipment", ",status", "e-9,s-1,Dahua,IPC,broken", "status", "Must be one of"),
    ("equipment", "", "e-9,s-404,Dahua,IPC", "site_external_id", "s-404"),
    ("equipment", "", "e-9,s-1,,IPC", "manufacturer", "Missing data"),
    ("equipment", ",kind", "e-9,s-1,Dahua,IPC," + "k" * 201, "kind", "Length"),
    ("equipment", ",parameters.firmware", "e-9,s-1,Dahua,IPC," + "f" * 2001, "parameters.firmware",
     "maximum length"),
])
def test_every_validation_error_names_its_row_and_column(db, directory, account, sites, kind,
                                                         more_columns, row, column, reason):
    before = snapshot(db)
    header = HEADERS[kind] + more_columns
    report = run(directory, account, kind, f"{header}\n{row}\n")
    assert errors_of(report) == [(2, column)], report["errors"]
    assert reason in report["errors"][0]["reason"]
    assert report["valid"] == 0 and not report["written"]
    assert snapshot(db) == before


@pytest.mark.parametrize("header, problem", [
    ("external_id,name,colour", "colour"),
    ("external_id,inn", "name"),
    ("external_id,name,Name", "Name"),
])
def test_a_header_that_cannot_be_imported_stops_everything_even_partial(directory, account, header,
                                                                       problem):
    report = run(directory, account, "clients", f"{header}\nc-1,Ромашка,x\n", partial=True)
    assert (1, problem) in errors_of(report) and all(e["row"] == 1 for e in report["errors"])
    assert not report["written"] and directory.clients.clients.count_documents({}) == 0


def test_an_external_id_twice_in_one_file_fails_the_later_row(directory, account):
    report = run(directory, account, "clients", "external_id,name\nc-1,Один\nc-2,Два\nc-1,Три\n")
    assert errors_of(report) == [(4, "external_id")] and "Row 2" in report["errors"][0]["reason"]


# -- dry run, all or nothing, partial --------------------------------------------------------------

def test_a_dry_run_reports_the_plan_and_writes_nothing(db, directory, account):
    before = snapshot(db)
    report = run(directory, account, "clients", CLIENTS, dry_run=True)
    assert (report["created"], report["valid"], report["dry_run"], report["written"]) == (2, 2, True, False)
    assert snapshot(db) == before


def test_one_bad_row_means_nothing_is_written(db, directory, account, sites):
    before = snapshot(db)
    content = ("external_id,site_external_id,kind,manufacturer,model\n"
               "e-1,s-1,Турникет,PERCo,TTR-10\ne-2,s-1,Турникет,PERCo,\ne-3,s-2,Турникет,PERCo,TTR-04\n")
    report = run(directory, account, "equipment", content)
    assert errors_of(report) == [(3, "model")]
    assert (report["valid"], report["created"], report["written"]) == (2, 2, False)
    assert report["new_equipment_kinds"] == ["Турникет"]
    assert snapshot(db) == before


def test_a_partial_import_writes_only_the_valid_rows(directory, account, sites):
    content = ("external_id,site_external_id,kind,manufacturer,model\n"
               "e-1,s-1,Турникет,PERCo,TTR-10\ne-2,s-1,Турникет,PERCo,\ne-3,s-2,Турникет,PERCo,TTR-04\n")
    report = run(directory, account, "equipment", content, partial=True)
    assert errors_of(report) == [(3, "model")] and report["written"]
    assert report["created"] == 2
    stored = {i["external_id"] for i in directory.equipment.equipment.find()}
    assert stored == {"e-1", "e-3"}
    assert [k["name"] for k in directory.equipment_kinds.list(account["_id"])] == ["Турникет"]


# -- idempotency and updates ----------------------------------------------------------------------

def test_importing_the_same_file_twice_changes_nothing_the_second_time(db, directory, account, sites):
    content = xlsx([["external_id", "site_external_id", "kind", "manufacturer", "model", "serial_number",
                     "parameters.firmware"]] +
                   [[f"e-{n}", "s-1", "Камера", "Dahua", "IPC", f"SN-{n}", "1.0"] for n in range(20)])
    first = run(directory, account, "equipment", content, filename="a.xlsx")
    assert (first["created"], first["updated"], first["unchanged"]) == (20, 0, 0)
    before = snapshot(db)
    second = run(directory, account, "equipment", content, filename="a.xlsx")
    assert (second["created"], second["updated"], second["unchanged"], second["written"]) == (0, 0, 20, False)
    assert second["new_equipment_kinds"] == []
    assert snapshot(db) == before


def test_a_changed_row_updates_the_record_its_external_id_names(directory, account, clients, world):
    manager = world.employee(account, roles=("dispatcher",))
    directory.clients.clients.update_one({"_id": clients["c-1"]},
                                         {"$set": {"manager_id": manager["_id"], "notes": "VIP"}})
    report = run(directory, account, "clients", "external_id;name;inn;kpp;category\n"
                                               "c-1;ООО «Ромашка»;7707083893;773601001;platinum\n"
                                               "c-2;ИП Лютиков;500100732259;;\n")
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 1, 1)
    client = directory.clients.get(account["_id"], clients["c-1"])
    # The file's columns replace; fields it has no column for (manager, notes) are kept.
    assert (client["category"], client["manager_id"], client["notes"]) == ("platinum", manager["_id"], "VIP")
    assert directory.clients.clients.count_documents({}) == 2


def test_an_empty_cell_clears_the_field_and_an_absent_column_keeps_it(directory, account, sites):
    run(directory, account, "sites", "external_id,client_external_id,name,address,access_notes\n"
                                     "s-1,c-1,Склад,,Пропуск на охране\n")
    site = directory.sites.get(account["_id"], sites["s-1"]["_id"])
    assert (site["address"], site["access_notes"]) == ("", "Пропуск на охране")
    run(directory, account, "sites", "external_id,client_external_id,name\ns-1,c-1,Склад №1\n")
    site = directory.sites.get(account["_id"], sites["s-1"]["_id"])
    assert (site["name"], site["access_notes"]) == ("Склад №1", "Пропуск на охране")


def test_a_sites_city_is_imported_and_checked_like_the_api(directory, account, sites):
    run(directory, account, "sites", "external_id;client_external_id;name;city\n"
                                     "s-1;c-1;Склад;Ярославль\n")
    assert directory.sites.get(account["_id"], sites["s-1"]["_id"])["city"] == "Ярославль"
    report = run(directory, account, "sites", "external_id;client_external_id;name;city\n"
                                              f"s-1;c-1;Склад;{'Я' * 101}\n")
    assert report["created"] + report["updated"] == 0 and report["errors"]
    assert directory.sites.get(account["_id"], sites["s-1"]["_id"])["city"] == "Ярославль"


def test_parameter_columns_change_only_the_parameters_they_name(directory, account, sites):
    header = "external_id,site_external_id,manufacturer,model"
    run(directory, account, "equipment", f"{header},parameters.firmware,parameters.ip\n"
                                         "e-1,s-1,Dahua,IPC,1.0,10.0.0.5\n")
    report = run(directory, account, "equipment", f"{header},parameters.firmware\ne-1,s-1,Dahua,IPC,1.1\n")
    assert report["updated"] == 1
    item = by_external_id(directory.equipment.equipment, "e-1")
    assert item["parameters"] == {"firmware": "1.1", "ip": "10.0.0.5"}


# -- references -----------------------------------------------------------------------------------

def test_contacts_name_clients_by_external_id_or_by_id(directory, account, clients, world):
    unknown = run(directory, account, "contacts", "external_id,client_id,name\np-9,0123456789abcdef,Иван\n")
    assert errors_of(unknown) == [(2, "client_id")] and "No client" in unknown["errors"][0]["reason"]
    by_hand = world.client(account)
    report = run(directory, account, "contacts",
                 "external_id,client_external_id,client_id,name,phones,emails,portal_access,active\n"
                 "p-1,c-1,,Иван Петров,\"8 (495) 123-45-67, +7 916 123-45-67\",Ivan@Romashka.ru,own,да\n"
                 f"p-2,,{by_hand['_id']},Пётр Иванов,,,,нет\n")
    assert report["errors"] == [] and report["created"] == 2
    ivan = by_external_id(directory.contacts.contacts, "p-1")
    assert ivan["client_id"] == clients["c-1"] and ivan["phones"] == ["+74951234567", "+79161234567"]
    assert ivan["emails"] == ["ivan@romashka.ru"] and ivan["portal_access"] == "own"
    assert directory.logins.find(account["_id"], "ivan@romashka.ru")["id"] == ivan["_id"]
    petr = by_external_id(directory.contacts.contacts, "p-2")
    assert petr["client_id"] == by_hand["_id"] and petr["active"] is False


def test_a_kind_named_by_earlier_rows_is_created_once(directory, account, sites):
    content = "external_id,site_external_id,kind,manufacturer,model\n" + "".join(
        f"e-{n},s-1,{name},Bolid,С2000\n" for n, name in enumerate(["Пульт", "ПУЛЬТ", "Пульт ", "Датчик"]))
    report = run(directory, account, "equipment", content)
    assert report["new_equipment_kinds"] == ["Датчик", "Пульт"]
    assert sorted(k["name"] for k in directory.equipment_kinds.list(account["_id"])) == ["Датчик", "Пульт"]


def test_equipment_may_move_to_another_site_but_contacts_keep_their_client(directory, account, sites):
    header = "external_id,site_external_id,manufacturer,model\n"
    run(directory, account, "equipment", header + "e-1,s-1,Dahua,IPC\n")
    moved = run(directory, account, "equipment", header + "e-1,s-2,Dahua,IPC\n")
    item = by_external_id(directory.equipment.equipment, "e-1")
    assert moved["updated"] == 1 and item["site_id"] == sites["s-2"]["_id"]
    assert item["client_id"] == sites["s-2"]["client_id"]
    run(directory, account, "contacts", "external_id,client_external_id,name\np-1,c-1,Иван\n")
    refused = run(directory, account, "contacts", "external_id,client_external_id,name\np-1,c-2,Иван\n")
    assert errors_of(refused) == [(2, "client_external_id")]
    assert "does not move" in refused["errors"][0]["reason"]


def test_external_ids_belong_to_one_account(directory, account, clients, world):
    other = world.account()
    report = run(directory, other, "clients", "external_id,name\nc-1,Чужой клиент\n")
    assert report["created"] == 1  # the same key in another account is another record
    assert directory.clients.get(account["_id"], clients["c-1"])["name"] == "ООО «Ромашка»"
    theirs = run(directory, other, "contacts",
                 f"external_id,client_id,name\np-1,{clients['c-2']},Шпион\n")
    assert errors_of(theirs) == [(2, "client_id")]
    assert directory.contacts.contacts.count_documents({"client_id": clients["c-2"]}) == 0


# -- account-wide rules: serials and logins --------------------------------------------------------

def test_a_serial_clash_is_a_row_error(directory, account, sites):
    directory.equipment.create(account["_id"], sites["s-1"], {
        "site_id": sites["s-1"]["_id"], "kind_id": None, "manufacturer": "PERCo", "model": "TTR",
        "serial_number": "AB 123", "parameters": {}, "status": "in_service"})
    report = run(directory, account, "equipment",
                 "external_id,site_external_id,manufacturer,model,serial_number\n"
                 "e-1,s-1,perco,TTR,ab123\n"          # the stored item's serial, typed otherwise
                 "e-2,s-1,PERCo,TTR,CD-1\n"
                 "e-3,s-2,PERCo,TTR,cd-1\n"           # the same as the row before
                 "e-4,s-2,Hikvision,DS,CD-1\n",      # another manufacturer: fine
                 partial=True)
    assert errors_of(report) == [(2, "serial_number"), (4, "serial_number")]
    assert "registered already" in report["errors"][0]["reason"] and "Row 3" in report["errors"][1]["reason"]
    assert report["created"] == 2


def test_a_serial_taken_between_plan_and_write_is_a_row_error(directory, account, sites):
    table = read_table("a.csv", b"external_id,site_external_id,manufacturer,model,serial_number\n"
                                b"e-1,s-1,PERCo,TTR,X-1\ne-2,s-1,PERCo,TTR,X-2\n")
    planned = importing.plan(directory, account["_id"], "equipment", table)
    directory.equipment.create(account["_id"], sites["s-1"], {
        "site_id": sites["s-1"]["_id"], "kind_id": None, "manufacturer": "PERCo", "model": "TTR",
        "serial_number": "X-1", "parameters": {}, "status": "in_service"})
    assert importing.apply(directory, account["_id"], planned) is True
    report = importing.report(planned, dry_run=False, partial=False, written=True)
    assert errors_of(report) == [(2, "serial_number")] and report["created"] == 1
    # The failed row gave its external id back: a later import can create it.
    assert directory.external_ids.find(account["_id"], "equipment", "e-1") is None


def test_a_portal_login_clash_is_a_row_error(directory, account, clients, world):
    employee = world.employee(account, email="boss@romashka.ru", password=None)
    report = run(directory, account, "contacts",
                 "external_id,client_external_id,name,emails,portal_access\n"
                 f"p-1,c-1,Иван,{employee['email']},company\n"
                 f"p-2,c-1,Иван,{employee['email']},none\n"     # no portal: no login to clash
                 "p-3,c-1,Пётр,petr@romashka.ru,own\n"
                 "p-4,c-2,Пётр,PETR@romashka.ru,own\n", partial=True)
    assert errors_of(report) == [(2, "emails"), (5, "emails")]
    assert report["created"] == 2 and directory.logins.find(account["_id"], "petr@romashka.ru")


# -- the external id registry ---------------------------------------------------------------------

def test_a_claim_is_exclusive_until_it_is_bound_or_goes_stale(directory, account, monkeypatch):
    registry = directory.external_ids
    registry.claim(account["_id"], "client", "c-1")
    with pytest.raises(Conflict):
        registry.claim(account["_id"], "client", "c-1")
    later = external_ids.utcnow() + external_ids.STALE_CLAIM + timedelta(seconds=1)
    monkeypatch.setattr(external_ids, "utcnow", lambda: later)
    registry.claim(account["_id"], "client", "c-1")  # left by a crash: taken over
    registry.bind(account["_id"], "client", "c-1", "record-1")
    with pytest.raises(Conflict):
        registry.claim(account["_id"], "client", "c-1")
    assert registry.find(account["_id"], "client", "c-1")["record_id"] == "record-1"


def test_a_record_created_by_an_interrupted_import_is_found_and_bound(directory, account):
    directory.external_ids.claim(account["_id"], "client", "c-1")
    client = directory.clients.create(account["_id"], {"name": "Ромашка", "external_id": "c-1"})
    report = run(directory, account, "clients", "external_id,name\nc-1,Ромашка\n")
    assert (report["created"], report["updated"]) == (0, 1)
    assert directory.external_ids.find(account["_id"], "client", "c-1")["record_id"] == client["_id"]
    assert directory.clients.clients.count_documents({}) == 1
