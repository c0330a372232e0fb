"""The metadata the 1C double publishes: entity sets, their properties and Edm types, tabular
sections and registers' virtual tables, for БП 3.0 and УТ 11.5 / 11.4.

Names come from the checked reference (../shared/reference/onec-odata.md, summarised in
docs/billing-sync.md): БП from clients of live bases and a live sale; УТ from a УТ `$metadata`
excerpt and client code. УТ contracts have no owner, kind or closed flag, its settlements are keyed
by an analytics key and a settlement object (11.5) or the contract in a composite `ЗаказКлиента`
(11.4), its items carry `ТипНоменклатуры` and a VAT rate catalog reference (11.5). The names the
sync used to guess for УТ (`Owner_Key`, `Договор_Key` in payment rows, `ВидЦен_Key`, ...) are not
here, so a request naming one is refused as 1C refuses it.

`POSTING` lists, per configuration, what posting a sale checks (as the configuration's
`ОбработкаПроверкиЗаполнения` does): the header and row fields that must be filled.
"""
from tests.doubles.onec_filter import BOOLEAN, DATETIME, DOUBLE, GUID, INT64, STRING

OBJECT = {"Ref_Key": GUID, "DataVersion": STRING, "DeletionMark": BOOLEAN}
CATALOG = dict(OBJECT, Code=STRING, Description=STRING, Predefined=BOOLEAN)
HIERARCHY = {"IsFolder": BOOLEAN, "Parent_Key": GUID}
DOCUMENT = dict(OBJECT, Number=STRING, Date=DATETIME, Posted=BOOLEAN, Комментарий=STRING)
ROW = {"LineNumber": INT64}


def catalog(**fields):
    return {"kind": "catalog", "fields": dict(CATALOG, **fields), "sections": {}}


def document(sections=None, **fields):
    return {"kind": "document", "fields": dict(DOCUMENT, **fields),
            "sections": {name: dict(ROW, **row) for name, row in (sections or {}).items()}}


def register(kind, dimensions, resources, virtual):
    """Registers answer as their movements (Period, dimensions, resources) and, more usefully,
    through virtual tables: {function: (output fields, how the double computes it)}."""
    fields = dict({"Period": DATETIME, "Recorder": GUID, "Active": BOOLEAN, "LineNumber": INT64},
                  **dimensions, **resources)
    return {"kind": kind, "fields": fields, "sections": {}, "dimensions": dimensions,
            "resources": resources, "virtual": virtual}


def counterparty_fields(**extra):
    return dict(HIERARCHY, ИНН=STRING, КПП=STRING, НаименованиеПолное=STRING,
                ЮридическоеФизическоеЛицо=STRING, ГоловнойКонтрагент_Key=GUID, **extra)


def composite(name):
    """A property of several reference types: the value and its `_Type` beside it."""
    return {name: GUID, f"{name}_Type": STRING}


# 1C's VAT rate enumeration (СтавкиНДС) as БП 3.0 and УТ 11.4 know it in 2026.
VAT_RATES = ("БезНДС", "НДС0", "НДС5", "НДС7", "НДС10", "НДС18", "НДС20", "НДС22", "НДС5_105",
             "НДС7_107", "НДС10_110", "НДС18_118", "НДС20_120", "НДС22_122")
NOMENCLATURE_BASE = dict(HIERARCHY, Артикул=STRING, ЕдиницаИзмерения_Key=GUID,
                         НаименованиеПолное=STRING)
BP_ACCOUNTS = ("51", "60.01", "62.01", "62.02", "90.01.1", "90.02.1", "90.03")


def bp30():
    payment_row = {"ДоговорКонтрагента_Key": GUID, "СуммаПлатежа": DOUBLE}
    payment = dict(ВидОперации=STRING, Организация_Key=GUID, Контрагент_Key=GUID,
                   СуммаДокумента=DOUBLE, НазначениеПлатежа=STRING)
    settlement_dims = dict(Account_Key=GUID, **composite("ExtDimension1"),
                           **composite("ExtDimension2"), **composite("ExtDimension3"),
                           Организация_Key=GUID, Валюта_Key=GUID)
    return {
        "Catalog_Организации": catalog(ИНН=STRING, КПП=STRING, НаименованиеПолное=STRING),
        "Catalog_Валюты": catalog(НаименованиеПолное=STRING),
        "Catalog_НоменклатурныеГруппы": catalog(),
        "Catalog_Контрагенты": catalog(**counterparty_fields()),
        "Catalog_ДоговорыКонтрагентов": catalog(
            Owner_Key=GUID, Номер=STRING, Дата=DATETIME, ВидДоговора=STRING, СрокДействия=DATETIME,
            ДоговорЗакрыт=BOOLEAN, Организация_Key=GUID, ТипЦен_Key=GUID),
        "Document_ПоступлениеНаРасчетныйСчет": document(
            {"РасшифровкаПлатежа": payment_row}, **payment),
        "Document_ПриходныйКассовыйОрдер": document(
            {"РасшифровкаПлатежа": payment_row}, **payment),
        "ChartOfAccounts_Хозрасчетный": {"kind": "chart", "sections": {},
                                         "fields": dict(OBJECT, Code=STRING, Description=STRING)},
        "AccountingRegister_Хозрасчетный": register(
            "accounting", settlement_dims, {"Сумма": DOUBLE},
            {"Balance": {"СуммаBalance": DOUBLE, "СуммаBalanceDr": DOUBLE,
                         "СуммаBalanceCr": DOUBLE}}),
        # ВидСтавкиНДС: the item's VAT kind (ВидыСтавокНДС: Общая, Пониженная, ...).
        "Catalog_Номенклатура": catalog(Услуга=BOOLEAN, ВидСтавкиНДС=STRING,
                                        НоменклатурнаяГруппа_Key=GUID, **NOMENCLATURE_BASE),
        "Catalog_КлассификаторЕдиницИзмерения": catalog(НаименованиеПолное=STRING),
        "Catalog_ТипыЦенНоменклатуры": catalog(ЦенаВключаетНДС=BOOLEAN),
        "InformationRegister_ЦеныНоменклатуры": register(
            "information", {"Номенклатура_Key": GUID, "ТипЦен_Key": GUID}, {"Цена": DOUBLE},
            {"SliceLast": {}}),
        "Document_РеализацияТоваровУслуг": document(
            {"Услуги": dict(Номенклатура_Key=GUID, Содержание=STRING, Количество=DOUBLE,
                            Цена=DOUBLE, Сумма=DOUBLE, СтавкаНДС=STRING, СуммаНДС=DOUBLE,
                            СчетДоходов_Key=GUID, СчетРасходов_Key=GUID,
                            СчетУчетаНДСПоРеализации_Key=GUID, **composite("Субконто"))},
            ВидОперации=STRING, Организация_Key=GUID, Контрагент_Key=GUID,
            ДоговорКонтрагента_Key=GUID, ВалютаДокумента_Key=GUID, КурсВзаиморасчетов=DOUBLE,
            КратностьВзаиморасчетов=DOUBLE, СпособЗачетаАвансов=STRING, СуммаВключаетНДС=BOOLEAN,
            СуммаДокумента=DOUBLE, СчетУчетаРасчетовСКонтрагентом_Key=GUID,
            СчетУчетаРасчетовПоАвансам_Key=GUID),
    }


def _ut11(release):
    """УТ 11.5, or 11.4 where the releases differ (payment rows, settlements, VAT, prices)."""
    old = release == "11.4"
    vat = {"СтавкаНДС": STRING} if old else {"СтавкаНДС_Key": GUID}
    payment_row = dict(Партнер_Key=GUID, Сумма=DOUBLE, СуммаВзаиморасчетов=DOUBLE,
                       **(composite("Заказ") if old else {"ОбъектРасчетов_Key": GUID}), **vat)
    payment = dict(ХозяйственнаяОперация=STRING, Организация_Key=GUID, Контрагент_Key=GUID,
                   Партнер_Key=GUID, СуммаДокумента=DOUBLE, **composite("Договор"))
    settlement_object = composite("ЗаказКлиента") if old else {"ОбъектРасчетов_Key": GUID}
    schema = {
        "Catalog_Организации": catalog(ИНН=STRING, КПП=STRING, НаименованиеПолное=STRING),
        "Catalog_Валюты": catalog(НаименованиеПолное=STRING),
        "Catalog_Партнеры": catalog(Клиент=BOOLEAN, НаименованиеПолное=STRING, **HIERARCHY),
        "Catalog_Контрагенты": catalog(**counterparty_fields(Партнер_Key=GUID)),
        "Catalog_ДоговорыКонтрагентов": catalog(
            Контрагент_Key=GUID, Партнер_Key=GUID, Организация_Key=GUID, Номер=STRING,
            Дата=DATETIME, ТипДоговора=STRING, Статус=STRING, ДатаНачалаДействия=DATETIME,
            ДатаОкончанияДействия=DATETIME),
        "Catalog_КлючиАналитикиУчетаПоПартнерам": catalog(
            Партнер_Key=GUID, Контрагент_Key=GUID, Организация_Key=GUID),
        "Document_ПоступлениеБезналичныхДенежныхСредств": document(
            {"РасшифровкаПлатежа": payment_row}, **payment),
        "Document_ПриходныйКассовыйОрдер": document({"РасшифровкаПлатежа": payment_row}, **payment),
        "AccumulationRegister_РасчетыСКлиентами": register(
            "accumulation", dict(АналитикаУчетаПоПартнерам_Key=GUID, **settlement_object,
                                 Валюта_Key=GUID),
            {"Сумма": DOUBLE}, {"Balance": {"СуммаBalance": DOUBLE}}),
        "Catalog_Номенклатура": catalog(ТипНоменклатуры=STRING, **vat, **NOMENCLATURE_BASE),
        "Catalog_УпаковкиЕдиницыИзмерения": catalog(НаименованиеПолное=STRING),
        "Catalog_ВидыЦен": catalog(ЦенаВключаетНДС=BOOLEAN),
        ("InformationRegister_ЦеныНоменклатуры" if old else "InformationRegister_ЦеныНоменклатуры25"):
            register("information", {"Номенклатура_Key": GUID, "Характеристика_Key": GUID,
                                     "ВидЦены_Key": GUID}, {"Цена": DOUBLE}, {"SliceLast": {}}),
        "Document_РеализацияТоваровУслуг": document(
            {"Товары": dict(Номенклатура_Key=GUID, Содержание=STRING, Количество=DOUBLE,
                            КоличествоУпаковок=DOUBLE, ВидЦены_Key=GUID, Цена=DOUBLE, Сумма=DOUBLE,
                            СуммаНДС=DOUBLE, СуммаСНДС=DOUBLE, **vat)},
            ХозяйственнаяОперация=STRING, Организация_Key=GUID, Партнер_Key=GUID,
            Контрагент_Key=GUID, Договор_Key=GUID, Соглашение_Key=GUID, Валюта_Key=GUID,
            ЦенаВключаетНДС=BOOLEAN, НалогообложениеНДС=STRING, СуммаДокумента=DOUBLE),
    }
    if not old:
        schema["Catalog_ОбъектыРасчетов"] = catalog(
            Партнер_Key=GUID, Организация_Key=GUID, **composite("Объект"))
        # The old enumeration is kept under its "delete" name after the move to the catalog.
        schema["Catalog_Номенклатура"]["fields"]["УдалитьСтавкаНДС"] = STRING
        schema["Catalog_СтавкиНДС"] = catalog(ПеречислениеСтавкаНДС=STRING, Ставка=DOUBLE,
                                              Расчетная=BOOLEAN)
    return schema


def ut11():
    return _ut11("11.5")


def ut114():
    return _ut11("11.4")


SCHEMAS = {"bp30": bp30, "ut11": ut11, "ut114": ut114}

# What posting a sale checks: (header fields, row fields) that must not be empty, per profile.
_UT_POSTING = (("ХозяйственнаяОперация", "Организация_Key", "Партнер_Key", "Контрагент_Key",
                "Валюта_Key", "НалогообложениеНДС"),
               ("Номенклатура_Key", "Количество", "КоличествоУпаковок", "Цена", "Сумма",
                "СуммаСНДС"))
POSTING = {
    "bp30": ("Услуги", ("ВидОперации", "Организация_Key", "Контрагент_Key", "ДоговорКонтрагента_Key",
                        "ВалютаДокумента_Key", "КурсВзаиморасчетов", "КратностьВзаиморасчетов",
                        "СпособЗачетаАвансов", "СчетУчетаРасчетовСКонтрагентом_Key",
                        "СчетУчетаРасчетовПоАвансам_Key"),
             ("Номенклатура_Key", "Количество", "Цена", "Сумма", "СтавкаНДС", "СчетДоходов_Key",
              "СчетРасходов_Key", "СчетУчетаНДСПоРеализации_Key", "Субконто")),
    "ut11": ("Товары", *_UT_POSTING[:1], _UT_POSTING[1] + ("СтавкаНДС_Key",)),
    "ut114": ("Товары", *_UT_POSTING[:1], _UT_POSTING[1] + ("СтавкаНДС",)),
}
