"""The metadata the 1C double publishes: entity sets, their properties and Edm types, tabular
sections and registers' virtual tables, for the two configurations the sync maps.

Names come from docs/billing-sync.md (and the checked reference it cites). Where that reference is
silent for УТ 11 (a payment row's contract, the settlement register's dimensions, the unit
catalog, the sale's service section) the double uses the same defaults as
services/billing_sync/profiles.py, so that a mismatch with a real release shows up in the same
place in both: the connection check.
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


CONTRACT_FIELDS = dict(Owner_Key=GUID, Номер=STRING, Дата=DATETIME, ВидДоговора=STRING,
                       СрокДействия=DATETIME, ДоговорЗакрыт=BOOLEAN, Организация_Key=GUID)
# СтавкаНДС: the item's VAT rate, an enumeration (a string over OData; empty when not set).
NOMENCLATURE_FIELDS = dict(HIERARCHY, Артикул=STRING, Услуга=BOOLEAN, ЕдиницаИзмерения_Key=GUID,
                           НаименованиеПолное=STRING, СтавкаНДС=STRING)


def bp30():
    payment_row = {"ДоговорКонтрагента_Key": GUID, "СуммаПлатежа": DOUBLE}
    payment = dict(ВидОперации=STRING, Организация_Key=GUID, Контрагент_Key=GUID,
                   СуммаДокумента=DOUBLE, НазначениеПлатежа=STRING)
    settlement_dims = {"Account_Key": GUID, "ExtDimension1": GUID, "ExtDimension1_Type": STRING,
                       "ExtDimension2": GUID, "ExtDimension2_Type": STRING}
    return {
        "Catalog_Организации": catalog(ИНН=STRING, КПП=STRING, НаименованиеПолное=STRING),
        "Catalog_Контрагенты": catalog(**counterparty_fields()),
        "Catalog_ДоговорыКонтрагентов": catalog(ТипЦен_Key=GUID, **CONTRACT_FIELDS),
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
        "Catalog_Номенклатура": catalog(**NOMENCLATURE_FIELDS),
        "Catalog_КлассификаторЕдиницИзмерения": catalog(НаименованиеПолное=STRING),
        "Catalog_ТипыЦенНоменклатуры": catalog(ЦенаВключаетНДС=BOOLEAN),
        "InformationRegister_ЦеныНоменклатуры": register(
            "information", {"Номенклатура_Key": GUID, "ТипЦен_Key": GUID}, {"Цена": DOUBLE},
            {"SliceLast": {}}),
        "Document_РеализацияТоваровУслуг": document(
            {"Услуги": {"Номенклатура_Key": GUID, "Содержание": STRING, "Количество": DOUBLE,
                        "Цена": DOUBLE, "Сумма": DOUBLE, "СтавкаНДС": STRING,
                        "СуммаНДС": DOUBLE, "СчетДоходов_Key": GUID, "СчетРасходов_Key": GUID,
                        "Субконто": GUID}},
            ВидОперации=STRING, Организация_Key=GUID, Контрагент_Key=GUID,
            ДоговорКонтрагента_Key=GUID, СуммаВключаетНДС=BOOLEAN, СуммаДокумента=DOUBLE,
            СчетУчетаРасчетовСКонтрагентом_Key=GUID, СчетУчетаРасчетовПоАвансам_Key=GUID),
    }


def ut11():
    payment_row = {"Партнер_Key": GUID, "Договор_Key": GUID, "Сумма": DOUBLE}
    return {
        "Catalog_Организации": catalog(ИНН=STRING, КПП=STRING, НаименованиеПолное=STRING),
        "Catalog_Партнеры": catalog(Клиент=BOOLEAN, НаименованиеПолное=STRING, **HIERARCHY),
        "Catalog_Контрагенты": catalog(**counterparty_fields(Партнер_Key=GUID)),
        "Catalog_ДоговорыКонтрагентов": catalog(**CONTRACT_FIELDS),
        "Document_ПоступлениеБезналичныхДенежныхСредств": document(
            {"РасшифровкаПлатежа": payment_row}, ХозяйственнаяОперация=STRING,
            Организация_Key=GUID, Контрагент_Key=GUID, Партнер_Key=GUID, СуммаДокумента=DOUBLE),
        "AccumulationRegister_РасчетыСКлиентами": register(
            "accumulation", {"Контрагент_Key": GUID, "Договор_Key": GUID}, {"Сумма": DOUBLE},
            {"Balance": {"СуммаBalance": DOUBLE}}),
        "Catalog_Номенклатура": catalog(**NOMENCLATURE_FIELDS),
        "Catalog_УпаковкиЕдиницыИзмерения": catalog(НаименованиеПолное=STRING),
        "Catalog_ВидыЦен": catalog(ЦенаВключаетНДС=BOOLEAN),
        "InformationRegister_ЦеныНоменклатуры": register(
            "information", {"Номенклатура_Key": GUID, "ВидЦен_Key": GUID}, {"Цена": DOUBLE},
            {"SliceLast": {}}),
        "Document_РеализацияТоваровУслуг": document(
            {"Товары": {"Номенклатура_Key": GUID, "Содержание": STRING, "Количество": DOUBLE,
                        "Цена": DOUBLE, "Сумма": DOUBLE, "СтавкаНДС": STRING,
                        "СуммаНДС": DOUBLE}},
            ХозяйственнаяОперация=STRING, Организация_Key=GUID, Партнер_Key=GUID,
            Контрагент_Key=GUID, Договор_Key=GUID, СуммаВключаетНДС=BOOLEAN,
            СуммаДокумента=DOUBLE),
    }


SCHEMAS = {"bp30": bp30, "ut11": ut11}
