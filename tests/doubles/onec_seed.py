"""Seed data for the 1C double: one service company's customers as both configurations hold them.

The story, as of TODAY (2026-06-15), with a monthly fee of 10,000 RUB:
  north     ООО "Северный ветер"   N-1 billed Apr-Jun and paid each month (one payment in cash
                                   in БП): paid. N-2 closed, never billed.
  south     АО "Южный порт"        S-1 billed Mar-Jun, only March paid: overdue.
  south_b   its branch (other KPP) SB-1 billed on June 10th, nothing paid yet: unpaid.
  ivanov    ИП Иванов (12-digit INN, no KPP)  I-1 paid 15,000 ahead, billed 5,000: paid, in advance.
  only_1c   a counterparty we have no client for.
  twin_a/b  two counterparties with the same INN and KPP (a duplicate in 1C).
plus noise the sync must skip: a folder, a deleted counterparty, an unposted payment, a deleted
payment, a supplier refund. Services: call-out, engineer hour (with its own VAT rate, 10%),
diagnostics, and a product and a deleted service that are not price list material; prices in two
price types with a past, current and future price.
"""
from datetime import date, datetime
from decimal import Decimal

from stdnum.ru.inn import calc_company_check_digit, calc_personal_check_digits

TODAY = date(2026, 6, 15)
FEE = Decimal(10000)
COUNTERPARTY_TYPE = "StandardODATA.Catalog_Контрагенты"
CONTRACT_TYPE = "StandardODATA.Catalog_ДоговорыКонтрагентов"

NAMES = {
    "bp30": {"bank": "Document_ПоступлениеНаРасчетныйСчет", "cash": "Document_ПриходныйКассовыйОрдер",
             "operation": "ВидОперации", "receipt": "ОплатаПокупателя", "refund": "ВозвратОтПоставщика",
             "row_contract": "ДоговорКонтрагента_Key", "row_amount": "СуммаПлатежа",
             "price_types": "Catalog_ТипыЦенНоменклатуры", "price_type": "ТипЦен_Key",
             "units": "Catalog_КлассификаторЕдиницИзмерения",
             "sale_operation": "ВидОперации", "sale_value": "Услуги", "sale_contract": "ДоговорКонтрагента_Key"},
    "ut11": {"bank": "Document_ПоступлениеБезналичныхДенежныхСредств", "cash": None,
             "operation": "ХозяйственнаяОперация", "receipt": "ПоступлениеОплатыОтКлиента",
             "refund": "ВозвратДенежныхСредствОтПоставщика",
             "row_contract": "Договор_Key", "row_amount": "Сумма",
             "price_types": "Catalog_ВидыЦен", "price_type": "ВидЦен_Key",
             "units": "Catalog_УпаковкиЕдиницыИзмерения",
             "sale_operation": "ХозяйственнаяОперация", "sale_value": "РеализацияКлиенту",
             "sale_contract": "Договор_Key"},
}


def company_inn(prefix):
    """A valid 10-digit INN from a 9-digit prefix."""
    return prefix + calc_company_check_digit(prefix)


def person_inn(prefix):
    return prefix + calc_personal_check_digits(prefix)


def moment(day, hour=10):
    return datetime.combine(day, datetime.min.time()).replace(hour=hour).isoformat()


class Seeder:
    def __init__(self, double):
        self.double = double
        self.names = NAMES[double.profile]
        self.debt = {}  # contract ref -> what the client owes now (БП splits 62.01 and 62.02)
        if double.profile == "bp30":
            self.accounts = {code: double.add("ChartOfAccounts_Хозрасчетный", f"account:{code}",
                                              Code=code, Description=f"Счет {code}")["Ref_Key"]
                             for code in ("51", "60.01", "62.01", "62.02", "90.01.1")}

    def organisation(self):
        return self.double.add("Catalog_Организации", "organisation", Description="Сервис Плюс",
                               ИНН=company_inn("770100001"), КПП="770101001")["Ref_Key"]

    def counterparty(self, name, title, inn, kpp="", head=None, **extra):
        values = dict(Description=title, НаименованиеПолное=title, ИНН=inn, КПП=kpp,
                      ЮридическоеФизическоеЛицо="ФизическоеЛицо" if len(inn) == 12 else "ЮридическоеЛицо",
                      **extra)
        if head:
            values["ГоловнойКонтрагент_Key"] = self.double.refs[head]
        if self.double.profile == "ut11":
            values["Партнер_Key"] = self.double.add("Catalog_Партнеры", f"partner:{name}",
                                                    Description=title, Клиент=True)["Ref_Key"]
        return self.double.add("Catalog_Контрагенты", name, **values)["Ref_Key"]

    def contract(self, name, owner, number, signed, closed=False):
        return self.double.add("Catalog_ДоговорыКонтрагентов", name, Owner_Key=self.double.refs[owner],
                               Description=f"Договор {number}", Номер=number, Дата=moment(signed, 0),
                               ВидДоговора="СПокупателем", СрокДействия=moment(date(2026, 12, 31), 0),
                               ДоговорЗакрыт=closed, Организация_Key=self.double.refs["organisation"])["Ref_Key"]

    def bill(self, contract, day, amount=FEE):
        """A posted sale of the month's service: the client owes `amount` more."""
        counterparty = self.double.find("Catalog_ДоговорыКонтрагентов", self.double.refs[contract])["Owner_Key"]
        contract_ref = self.double.refs[contract]
        sale = self.double.add("Document_РеализацияТоваровУслуг", Date=moment(day), Posted=True,
                               Контрагент_Key=counterparty, СуммаДокумента=amount,
                               **{self.names["sale_operation"]: self.names["sale_value"],
                                  self.names["sale_contract"]: contract_ref})
        self._settle(sale["Ref_Key"], day, counterparty, contract_ref, amount)

    def pay(self, name, contract, day, amount=FEE, kind="bank", posted=True, deleted=False,
            operation=None):
        counterparty = self.double.find("Catalog_ДоговорыКонтрагентов", self.double.refs[contract])["Owner_Key"]
        contract_ref = self.double.refs[contract]
        entity = self.names[kind]
        document = self.double.add(
            entity, name, Date=moment(day, 11), Posted=posted, DeletionMark=deleted,
            Контрагент_Key=counterparty, СуммаДокумента=amount,
            **{self.names["operation"]: operation or self.names["receipt"],
               "РасшифровкаПлатежа": [{self.names["row_contract"]: contract_ref,
                                       self.names["row_amount"]: amount}]})
        if posted and not deleted and operation is None:
            self._settle(document["Ref_Key"], day, counterparty, contract_ref, -amount)

    def _settle(self, recorder, day, counterparty, contract, amount):
        owed = self.debt.get(contract, Decimal(0))
        self.debt[contract] = owed + amount
        if self.double.profile == "ut11":
            self.double.add("AccumulationRegister_РасчетыСКлиентами", Recorder=recorder,
                            Period=moment(day, 12), Active=True, LineNumber="1",
                            RecordType="Receipt" if amount > 0 else "Expense",
                            Контрагент_Key=counterparty, Договор_Key=contract, Сумма=abs(amount))
            return
        # A payment first clears the debt on 62.01; what is left is an advance on 62.02.
        clearing = amount if amount > 0 else -min(-amount, max(owed, Decimal(0)))
        parts = [("62.01", clearing), ("62.02", amount - clearing)]
        for number, (account, part) in enumerate((p for p in parts if p[1]), start=1):
            self.double.add("AccountingRegister_Хозрасчетный", Recorder=recorder,
                            Period=moment(day, 12), Active=True, LineNumber=str(number),
                            Account_Key=self.accounts[account], ExtDimension1=counterparty,
                            ExtDimension1_Type=COUNTERPARTY_TYPE, ExtDimension2=contract,
                            ExtDimension2_Type=CONTRACT_TYPE, Сумма=part)

    def service(self, name, code, title, unit, service=True, **extra):
        unit_ref = self.double.refs.get(f"unit:{unit}") or self.double.add(
            self.names["units"], f"unit:{unit}", Description=unit, НаименованиеПолное=unit)["Ref_Key"]
        return self.double.add("Catalog_Номенклатура", name, Code=code, Description=title,
                               НаименованиеПолное=title, Услуга=service,
                               ЕдиницаИзмерения_Key=unit_ref, **extra)["Ref_Key"]

    def price_type(self, name, title):
        return self.double.add(self.names["price_types"], name, Description=title)["Ref_Key"]

    def price(self, service, price_type, day, amount):
        self.double.add("InformationRegister_ЦеныНоменклатуры", Period=moment(day, 0), Active=True,
                        Номенклатура_Key=self.double.refs[service],
                        **{self.names["price_type"]: self.double.refs[price_type], "Цена": amount})


def seed(double):
    """Fill `double` with the story above; every named object's Ref_Key lands in double.refs."""
    s = Seeder(double)
    s.organisation()
    s.counterparty("folder", "Покупатели", "", IsFolder=True)
    s.counterparty("north", 'ООО "Северный ветер"', company_inn("770200001"), "770201001")
    s.counterparty("south", 'АО "Южный порт"', company_inn("780300002"), "780301001")
    s.counterparty("south_b", 'АО "Южный порт" (филиал)', company_inn("780300002"), "780302001",
                   head="south")
    s.counterparty("ivanov", "ИП Иванов Иван Иванович", person_inn("7704000031"))
    s.counterparty("only_1c", 'ООО "Только в 1С"', company_inn("770500004"), "770501001")
    s.counterparty("twin_a", 'ООО "Близнец"', company_inn("770600005"), "770601001")
    s.counterparty("twin_b", 'ООО "Близнец" (дубль)', company_inn("770600005"), "770601001")
    s.counterparty("deleted", 'ООО "Удаленный"', company_inn("770700006"), "770701001",
                   DeletionMark=True)

    s.contract("N-1", "north", "N-1", date(2026, 1, 10))
    s.contract("N-2", "north", "N-2", date(2025, 1, 10), closed=True)
    s.contract("S-1", "south", "S-1", date(2026, 2, 20))
    s.contract("SB-1", "south_b", "SB-1", date(2026, 6, 1))
    s.contract("I-1", "ivanov", "I-1", date(2026, 5, 20))

    for month in (4, 5, 6):
        s.bill("N-1", date(2026, month, 1))
    s.pay("pay:N-1:apr", "N-1", date(2026, 4, 5))
    s.pay("pay:N-1:may", "N-1", date(2026, 5, 6), kind="cash" if s.names["cash"] else "bank")
    s.pay("pay:N-1:jun", "N-1", date(2026, 6, 3))
    for month in (3, 4, 5, 6):
        s.bill("S-1", date(2026, month, 1))
    s.pay("pay:S-1:mar", "S-1", date(2026, 3, 10))
    s.pay("pay:S-1:draft", "S-1", date(2026, 6, 12), posted=False)
    s.pay("pay:S-1:deleted", "S-1", date(2026, 6, 13), deleted=True)
    s.pay("pay:S-1:refund", "S-1", date(2026, 6, 14), amount=Decimal(500),
          operation=s.names["refund"])
    s.bill("SB-1", date(2026, 6, 10))
    s.pay("pay:I-1", "I-1", date(2026, 5, 25), amount=Decimal(15000))
    s.bill("I-1", date(2026, 6, 1), amount=Decimal(5000))

    s.price_type("base", "Базовая")
    s.price_type("vip", "VIP")
    double.add("Catalog_Номенклатура", "services_folder", Description="Услуги", IsFolder=True)
    s.service("call_out", "00-0001", "Выезд инженера", "усл")  # no VAT rate of its own
    s.service("hour", "00-0002", "Час работы инженера", "ч", Артикул="ЧР-1", СтавкаНДС="НДС10")
    s.service("diagnostics", "00-0003", "Диагностика системы", "усл")
    s.service("cable", "00-0004", "Кабель КСПВ 4х0,5", "м", service=False)
    s.service("old_service", "00-0005", "Снятая с продажи услуга", "усл", DeletionMark=True)
    s.price("call_out", "base", date(2026, 1, 1), Decimal(2000))
    s.price("call_out", "base", date(2026, 5, 1), Decimal(2500))
    s.price("call_out", "base", date(2026, 7, 1), Decimal(3000))
    s.price("call_out", "vip", date(2026, 1, 1), Decimal(1800))
    s.price("hour", "base", date(2026, 1, 1), Decimal("1500.50"))
    s.price("hour", "vip", date(2026, 1, 1), Decimal(1200))
    s.price("diagnostics", "base", date(2026, 1, 1), Decimal(3000))
    s.price("cable", "base", date(2026, 1, 1), Decimal(45))
    return double
