"""Seed data for the 1C double: one service company's customers as both configurations hold them.

The story, as of TODAY (2026-06-15), with a monthly fee of 10,000 RUB:
  north     ООО "Северный ветер"   N-1 billed Apr-Jun and paid each month (one payment in
                                   cash): paid. N-2 closed, never billed.
  south     АО "Южный порт"        S-1 billed Mar-Jun, only March paid: overdue.
  south_b   its branch (other KPP) SB-1 billed on June 10th, nothing paid yet: unpaid.
  ivanov    ИП Иванов (12-digit INN, no KPP)  I-1 paid 15,000 ahead, billed 5,000: paid, in advance.
  only_1c   a counterparty we have no client for.
  twin_a/b  two counterparties with the same INN and KPP (a duplicate in 1C).
plus noise the sync must skip: a folder, a deleted counterparty, an unposted payment, a deleted
payment, a supplier refund. Services: call-out (general VAT: the kind Общая in БП, a 20% rate
the УТ item still carries, so 22% on a 2026 sale), engineer hour (reduced, 10%), diagnostics (no
VAT of its own), and a product and a deleted service that are not price list material; prices in
two price types with a past, current and future price.
"""
from datetime import date, datetime
from decimal import Decimal

from stdnum.ru.inn import calc_company_check_digit, calc_personal_check_digits

from tests.doubles.onec_schema import BP_ACCOUNTS, VAT_RATES

EMPTY_REF = "00000000-0000-0000-0000-000000000000"

TODAY = date(2026, 6, 15)
FEE = Decimal(10000)
COUNTERPARTY_TYPE = "StandardODATA.Catalog_Контрагенты"
CONTRACT_TYPE = "StandardODATA.Catalog_ДоговорыКонтрагентов"
SALE_TYPE = "StandardODATA.Document_РеализацияТоваровУслуг"
PAYMENT_TYPE = "StandardODATA.Document_ПоступлениеНаРасчетныйСчет"

UT = {"bank": "Document_ПоступлениеБезналичныхДенежныхСредств",
      "cash": "Document_ПриходныйКассовыйОрдер",
      "operation": "ХозяйственнаяОперация", "receipt": "ПоступлениеОплатыОтКлиента",
      "refund": "ВозвратДенежныхСредствОтПоставщика", "row_amount": "Сумма",
      "price_types": "Catalog_ВидыЦен", "price_type": "ВидЦены_Key",
      "prices": "InformationRegister_ЦеныНоменклатуры25",
      "units": "Catalog_УпаковкиЕдиницыИзмерения",
      "sale_operation": "ХозяйственнаяОперация", "sale_value": "РеализацияКлиенту",
      "sale_contract": "Договор_Key"}
NAMES = {
    "bp30": {"bank": "Document_ПоступлениеНаРасчетныйСчет", "cash": "Document_ПриходныйКассовыйОрдер",
             "operation": "ВидОперации", "receipt": "ОплатаПокупателя", "refund": "ВозвратОтПоставщика",
             "row_amount": "СуммаПлатежа",
             "price_types": "Catalog_ТипыЦенНоменклатуры", "price_type": "ТипЦен_Key",
             "prices": "InformationRegister_ЦеныНоменклатуры",
             "units": "Catalog_КлассификаторЕдиницИзмерения",
             "sale_operation": "ВидОперации", "sale_value": "Услуги", "sale_contract": "ДоговорКонтрагента_Key"},
    "ut11": UT,
    "ut114": dict(UT, prices="InformationRegister_ЦеныНоменклатуры"),
}
# An item's VAT as each configuration keeps it (kind in БП; a rate elsewhere), by the seed's kinds.
ITEM_VAT = {"bp30": {"general": "Общая", "reduced": "Пониженная"},
            "ut11": {"general": "НДС20", "reduced": "НДС10"},
            "ut114": {"general": "НДС20", "reduced": "НДС10"}}


def company_inn(prefix):
    """A valid 10-digit INN from a 9-digit prefix."""
    return prefix + calc_company_check_digit(prefix)


def person_inn(prefix):
    return prefix + calc_personal_check_digits(prefix)


def moment(day, hour=10):
    return datetime.combine(day, datetime.min.time()).replace(hour=hour).isoformat()


class Seeder:
    """Adds a configuration's objects by its own names: БП contracts owned by the counterparty
    and settlements on 62.01/62.02 by settlement document; УТ contracts naming the counterparty,
    settlements by analytics key and settlement object (11.5) or the contract itself (11.4)."""

    def __init__(self, double):
        self.double = double
        self.profile = double.profile
        self.ut = self.profile != "bp30"
        self.names = NAMES[self.profile]
        self.owner, self.objects, self.analytics, self.partners = {}, {}, {}, {}
        self.open_sales = {}  # БП: contract -> [[sale ref, what is still owed on it]]
        self.advance = {}     # БП: contract -> what is paid ahead
        self.accounts = {}
        if not self.ut:
            self.accounts = {code: double.add("ChartOfAccounts_Хозрасчетный", f"account:{code}",
                                              Code=code, Description=f"Счет {code}")["Ref_Key"]
                             for code in BP_ACCOUNTS}
            double.add("Catalog_НоменклатурныеГруппы", "nomenclature_group", Description="Услуги")
        double.add("Catalog_Валюты", "rub", Code="643", Description="руб.",
                   НаименованиеПолное="Российский рубль")
        if self.profile == "ut11":
            for rate in VAT_RATES:
                percent = Decimal(0 if rate in ("БезНДС", "НДС0") else rate[3:].split("_")[0])
                double.add("Catalog_СтавкиНДС", f"vat:{rate}", Description=rate,
                           ПеречислениеСтавкаНДС=rate, Ставка=percent, Расчетная="_" in rate)

    def organisation(self):
        return self.double.add("Catalog_Организации", "organisation", Description="Сервис Плюс",
                               ИНН=company_inn("770100001"), КПП="770101001")["Ref_Key"]

    def counterparty(self, name, title, inn, kpp="", head=None, **extra):
        values = dict(Description=title, НаименованиеПолное=title, ИНН=inn, КПП=kpp,
                      ЮридическоеФизическоеЛицо="ФизическоеЛицо" if len(inn) == 12 else "ЮридическоеЛицо",
                      **extra)
        if head:
            values["ГоловнойКонтрагент_Key"] = self.double.refs[head]
        if self.ut:
            values["Партнер_Key"] = self.double.add("Catalog_Партнеры", f"partner:{name}",
                                                    Description=title, Клиент=True)["Ref_Key"]
        ref = self.double.add("Catalog_Контрагенты", name, **values)["Ref_Key"]
        if self.ut:
            self.partners[ref] = values["Партнер_Key"]
            self.analytics[ref] = self.double.add(
                "Catalog_КлючиАналитикиУчетаПоПартнерам", f"analytics:{name}",
                Description=title, Партнер_Key=values["Партнер_Key"], Контрагент_Key=ref,
                Организация_Key=self.double.refs["organisation"])["Ref_Key"]
        return ref

    def partner(self, counterparty):
        return self.partners[counterparty]

    def contract(self, name, owner, number, signed, closed=False, **extra):
        owner_ref = self.double.refs[owner]
        common = dict(Description=f"Договор {number}", Номер=number, Дата=moment(signed, 0),
                      Организация_Key=self.double.refs["organisation"], **extra)
        if self.ut:
            values = dict(common, Контрагент_Key=owner_ref, Партнер_Key=self.partner(owner_ref),
                          ТипДоговора="СКлиентом", Статус="Закрыт" if closed else "Действует",
                          ДатаНачалаДействия=moment(signed, 0),
                          ДатаОкончанияДействия=moment(date(2026, 12, 31), 0))
        else:
            values = dict(common, Owner_Key=owner_ref, ВидДоговора="СПокупателем",
                          СрокДействия=moment(date(2026, 12, 31), 0), ДоговорЗакрыт=closed)
        ref = self.double.add("Catalog_ДоговорыКонтрагентов", name, **values)["Ref_Key"]
        self.owner[ref] = owner_ref
        if self.profile == "ut11":
            self.objects[ref] = self.double.add(
                "Catalog_ОбъектыРасчетов", f"object:{name}", Description=f"Договор {number}",
                Объект=ref, Объект_Type=CONTRACT_TYPE, Партнер_Key=self.partner(owner_ref),
                Организация_Key=self.double.refs["organisation"])["Ref_Key"]
        return ref

    def contract_link(self, contract, field):
        """How a payment row or a settlement names the contract in this configuration."""
        if self.profile == "ut11":
            return {"ОбъектРасчетов_Key": self.objects[contract]}
        if self.profile == "ut114":
            return {field: contract, f"{field}_Type": CONTRACT_TYPE}
        return {field: contract}

    def bill(self, contract, day, amount=FEE):
        """A posted sale of the month's service: the client owes `amount` more."""
        contract_ref = self.double.refs[contract]
        counterparty = self.owner[contract_ref]
        extra = {"Партнер_Key": self.partner(counterparty)} if self.ut else {}
        sale = self.double.add("Document_РеализацияТоваровУслуг", Date=moment(day), Posted=True,
                               Контрагент_Key=counterparty, СуммаДокумента=amount,
                               **{self.names["sale_operation"]: self.names["sale_value"],
                                  self.names["sale_contract"]: contract_ref}, **extra)
        self._settle(sale["Ref_Key"], day, contract_ref, amount)

    def pay(self, name, contract, day, amount=FEE, kind="bank", posted=True, deleted=False,
            operation=None):
        contract_ref = self.double.refs[contract]
        counterparty = self.owner[contract_ref]
        row = {self.names["row_amount"]: amount}
        header = {}
        if self.ut:
            row.update(self.contract_link(contract_ref, "Заказ"), Партнер_Key=self.partner(counterparty),
                       СуммаВзаиморасчетов=amount)
            header = {"Партнер_Key": self.partner(counterparty), "Договор": contract_ref,
                      "Договор_Type": CONTRACT_TYPE}
        else:
            row["ДоговорКонтрагента_Key"] = contract_ref
        document = self.double.add(
            self.names[kind], name, Date=moment(day, 11), Posted=posted, DeletionMark=deleted,
            Контрагент_Key=counterparty, СуммаДокумента=amount,
            **{self.names["operation"]: operation or self.names["receipt"],
               "РасшифровкаПлатежа": [row]}, **header)
        if posted and not deleted and operation is None:
            self._settle(document["Ref_Key"], day, contract_ref, -amount)

    def _settle(self, recorder, day, contract, amount):
        counterparty = self.owner[contract]
        common = dict(Recorder=recorder, Period=moment(day, 12), Active=True,
                      Валюта_Key=self.double.refs["rub"])
        if self.ut:
            self.double.add("AccumulationRegister_РасчетыСКлиентами", LineNumber="1",
                            RecordType="Receipt" if amount > 0 else "Expense",
                            АналитикаУчетаПоПартнерам_Key=self.analytics[counterparty],
                            Сумма=abs(amount), **common, **self.contract_link(contract, "ЗаказКлиента"))
            return
        # 62.01 by settlement document: a sale opens a row of its own, a payment clears the
        # oldest open sales first (a row each) and what is left is an advance on 62.02.
        parts = []
        if amount > 0:
            self.open_sales.setdefault(contract, []).append([recorder, amount])
            parts.append(("62.01", recorder, amount))
        else:
            left = -amount
            for sale in self.open_sales.get(contract, []):
                cleared = min(left, sale[1])
                if cleared:
                    sale[1] -= cleared
                    left -= cleared
                    parts.append(("62.01", sale[0], -cleared))
            if left:
                parts.append(("62.02", recorder, -left))
        for number, (account, document, part) in enumerate(parts, start=1):
            self.double.add("AccountingRegister_Хозрасчетный", LineNumber=str(number),
                            Account_Key=self.accounts[account], ExtDimension1=counterparty,
                            ExtDimension1_Type=COUNTERPARTY_TYPE, ExtDimension2=contract,
                            ExtDimension2_Type=CONTRACT_TYPE, ExtDimension3=document,
                            ExtDimension3_Type=SALE_TYPE if part > 0 or account == "62.01"
                            else PAYMENT_TYPE, Организация_Key=self.double.refs["organisation"],
                            Сумма=part, **common)

    def service(self, name, code, title, unit, service=True, vat=None, **extra):
        unit_ref = self.double.refs.get(f"unit:{unit}") or self.double.add(
            self.names["units"], f"unit:{unit}", Description=unit, НаименованиеПолное=unit)["Ref_Key"]
        values = dict(Code=code, Description=title, НаименованиеПолное=title,
                      ЕдиницаИзмерения_Key=unit_ref, **extra)
        own = ITEM_VAT[self.profile].get(vat, "")
        if self.profile == "bp30":
            values.update(Услуга=service, ВидСтавкиНДС=own)
        else:
            values["ТипНоменклатуры"] = "Услуга" if service else "Товар"
            if self.profile == "ut11":
                values["СтавкаНДС_Key"] = self.double.refs[f"vat:{own}"] if own else EMPTY_REF
            else:
                values["СтавкаНДС"] = own
        return self.double.add("Catalog_Номенклатура", name, **values)["Ref_Key"]

    def price_type(self, name, title):
        return self.double.add(self.names["price_types"], name, Description=title)["Ref_Key"]

    def price(self, service, price_type, day, amount):
        self.double.add(self.names["prices"], Period=moment(day, 0), Active=True,
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
    s.pay("pay:N-1:may", "N-1", date(2026, 5, 6), kind="cash")
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
    s.service("call_out", "00-0001", "Выезд инженера", "усл", vat="general")
    s.service("hour", "00-0002", "Час работы инженера", "ч", vat="reduced", Артикул="ЧР-1")
    s.service("diagnostics", "00-0003", "Диагностика системы", "усл")  # no VAT of its own
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


def complete_bp_sale(double):
    """A БП service sale with every field posting checks, as the push writes one."""
    accounts = {code: double.refs[f"account:{code}"] for code in ("62.01", "62.02", "90.01.1",
                                                                   "90.02.1", "90.03")}
    return {"Date": "2026-06-15T12:00:00", "ВидОперации": "Услуги",
            "Организация_Key": double.refs["organisation"], "Контрагент_Key": double.refs["north"],
            "ДоговорКонтрагента_Key": double.refs["N-1"], "ВалютаДокумента_Key": double.refs["rub"],
            "КурсВзаиморасчетов": 1, "КратностьВзаиморасчетов": 1,
            "СпособЗачетаАвансов": "Автоматически", "СуммаВключаетНДС": True,
            "СчетУчетаРасчетовСКонтрагентом_Key": accounts["62.01"],
            "СчетУчетаРасчетовПоАвансам_Key": accounts["62.02"], "СуммаДокумента": 2500,
            "Услуги": [{"Номенклатура_Key": double.refs["call_out"], "Содержание": "Выезд инженера",
                        "Количество": 1, "Цена": 2500, "Сумма": 2500, "СтавкаНДС": "НДС22",
                        "СуммаНДС": 450.82, "СчетДоходов_Key": accounts["90.01.1"],
                        "СчетРасходов_Key": accounts["90.02.1"],
                        "СчетУчетаНДСПоРеализации_Key": accounts["90.03"],
                        "Субконто": double.refs["nomenclature_group"],
                        "Субконто_Type": "StandardODATA.Catalog_НоменклатурныеГруппы"}]}


def sale_settings(double, **extra):
    """A connection's sale settings naming the seeded organisation, currency and (БП)
    nomenclature group, as an admin enters them; accounts keep their default codes."""
    settings = {"organisation_ref": double.refs["organisation"], "currency_ref": double.refs["rub"],
                "vat_rate": "БезНДС", "fields": {}}
    if double.profile == "bp30":
        settings["nomenclature_group_ref"] = double.refs["nomenclature_group"]
    return dict(settings, **extra)


def written_rate(double, row):
    """The VAT rate a sale row carries, as an enumeration value name (УТ 11.5 refers to a
    Catalog_СтавкиНДС item)."""
    if "СтавкаНДС_Key" in row:
        return double.find("Catalog_СтавкиНДС", row["СтавкаНДС_Key"])["ПеречислениеСтавкаНДС"]
    return row["СтавкаНДС"]
