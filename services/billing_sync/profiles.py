"""Configuration profiles: which 1C entity sets and fields hold what the sync reads and writes.

A profile is a default mapping for a configuration (БП 3.0 or УТ 11) plus an admin's overrides,
because names change between releases and with local modifications. Keys are `group.item`; an
entity key names an entity set, the others a property, an enumeration value or account codes.
Defaults marked ASSUMED are not in the checked reference (docs/billing-sync.md): the connection
check says so when 1C does not know them, so the admin knows which override to make.
"""
import re

from services.shared.errors import ValidationFailed

IDENTIFIER = re.compile(r"^[^\W\d]\w*$")
ACCOUNT_CODE = re.compile(r"^\d{2}(\.\d{1,2}){0,2}$")

COMMON = {
    "counterparty.entity": "Catalog_Контрагенты",
    "counterparty.inn": "ИНН",
    "counterparty.kpp": "КПП",
    "counterparty.full_name": "НаименованиеПолное",
    # IsFolder exists only in hierarchical catalogs; empty when the catalog has no groups.
    "counterparty.folder": "IsFolder",
    "contract.entity": "Catalog_ДоговорыКонтрагентов",
    "contract.number": "Номер",
    "contract.date": "Дата",
    "nomenclature.entity": "Catalog_Номенклатура",
    "nomenclature.article": "Артикул",
    "nomenclature.folder": "IsFolder",
    "nomenclature.unit": "ЕдиницаИзмерения_Key",
    "price.nomenclature": "Номенклатура_Key",
    "price.price": "Цена",
    "organisation.entity": "Catalog_Организации",
    "currency.entity": "Catalog_Валюты",
    "sale.entity": "Document_РеализацияТоваровУслуг",
    # What the push writes into a sale: the header, then each row of its services section.
    "sale.organisation": "Организация_Key",
    "sale.counterparty": "Контрагент_Key",
    "sale.amount": "СуммаДокумента",
    "sale.comment": "Комментарий",
    "sale.row_service": "Номенклатура_Key",
    "sale.row_content": "Содержание",
    "sale.row_quantity": "Количество",
    "sale.row_price": "Цена",
    "sale.row_amount": "Сумма",
    "sale.row_vat_amount": "СуммаНДС",
    "settlement.amount": "СуммаBalance",
}

PAYMENT_ITEMS = ("operation", "operation_value", "counterparty", "amount", "rows", "row_contract",
                 "row_amount")


def payment_group(group, entity, operation, value, row_contract, row_amount):
    names = (operation, value, "Контрагент_Key", "СуммаДокумента", "РасшифровкаПлатежа",
             row_contract, row_amount)
    return dict({f"{group}.entity": entity},
                **{f"{group}.{item}": name for item, name in zip(PAYMENT_ITEMS, names)})


BP30 = dict(
    COMMON,
    **payment_group("payment", "Document_ПоступлениеНаРасчетныйСчет", "ВидОперации",
                    "ОплатаПокупателя", "ДоговорКонтрагента_Key", "СуммаПлатежа"),
    **payment_group("cash_payment", "Document_ПриходныйКассовыйОрдер", "ВидОперации",
                    "ОплатаПокупателя", "ДоговорКонтрагента_Key", "СуммаПлатежа"),
    **{"contract.counterparty": "Owner_Key",
       "contract.kind": "ВидДоговора",
       "contract.kind_value": "СПокупателем",
       "contract.valid_until": "СрокДействия",
       "contract.closed": "ДоговорЗакрыт",
       "contract.closed_value": "true",
       "settlement.register": "AccountingRegister_Хозрасчетный",
       "settlement.accounts_chart": "ChartOfAccounts_Хозрасчетный",
       "settlement.accounts": "62.01,62.02",
       "settlement.account": "Account_Key",
       "settlement.counterparty": "ExtDimension1",
       "settlement.contract": "ExtDimension2",
       "nomenclature.service": "Услуга",
       "nomenclature.service_value": "true",
       # The item's VAT kind (ВидСтавкиНДС: Общая, Пониженная, ...), not a rate: vat.py.
       "nomenclature.vat_rate": "ВидСтавкиНДС",
       "nomenclature_group.entity": "Catalog_НоменклатурныеГруппы",
       "unit.entity": "Catalog_КлассификаторЕдиницИзмерения",
       "price_type.entity": "Catalog_ТипыЦенНоменклатуры",
       "price.register": "InformationRegister_ЦеныНоменклатуры",
       "price.price_type": "ТипЦен_Key",
       "sale.rows": "Услуги",
       "sale.operation": "ВидОперации",
       "sale.operation_value": "Услуги",
       "sale.contract": "ДоговорКонтрагента_Key",
       "sale.currency": "ВалютаДокумента_Key",
       "sale.vat_included": "СуммаВключаетНДС",
       "sale.exchange_rate": "КурсВзаиморасчетов",
       "sale.exchange_multiplier": "КратностьВзаиморасчетов",
       "sale.advance_offset": "СпособЗачетаАвансов",
       "sale.receivable_account": "СчетУчетаРасчетовСКонтрагентом_Key",
       "sale.advances_account": "СчетУчетаРасчетовПоАвансам_Key",
       "sale.row_vat_rate": "СтавкаНДС",
       "sale.row_income_account": "СчетДоходов_Key",
       "sale.row_expense_account": "СчетРасходов_Key",
       "sale.row_vat_account": "СчетУчетаНДСПоРеализации_Key",
       "sale.row_subconto": "Субконто"})

UT115 = dict(
    COMMON,
    **payment_group("payment", "Document_ПоступлениеБезналичныхДенежныхСредств",
                    "ХозяйственнаяОперация", "ПоступлениеОплатыОтКлиента", "ОбъектРасчетов_Key",
                    "Сумма"),
    **payment_group("cash_payment", "Document_ПриходныйКассовыйОрдер", "ХозяйственнаяОперация",
                    "ПоступлениеОплатыОтКлиента", "ОбъектРасчетов_Key", "Сумма"),
    **{"counterparty.partner": "Партнер_Key",
       # Contracts are not owned by the counterparty: they name it, and a status closes them.
       "contract.counterparty": "Контрагент_Key",
       "contract.kind": "ТипДоговора",
       "contract.kind_value": "СКлиентом",
       "contract.valid_until": "ДатаОкончанияДействия",
       "contract.closed": "Статус",
       "contract.closed_value": "Закрыт",
       # Client settlements are keyed by an analytics key (partner, counterparty, organisation)
       # and a settlement object, which names the contract (or an order) in its `Объект`.
       "settlement.register": "AccumulationRegister_РасчетыСКлиентами",
       "settlement.counterparty": "АналитикаУчетаПоПартнерам_Key",
       "settlement.contract": "ОбъектРасчетов_Key",
       "settlement_object.entity": "Catalog_ОбъектыРасчетов",
       "settlement_object.object": "Объект",
       "nomenclature.service": "ТипНоменклатуры",
       "nomenclature.service_value": "Услуга",
       # A reference to a Catalog_СтавкиНДС item; the item's enumeration value names the rate.
       "nomenclature.vat_rate": "СтавкаНДС_Key",
       "vat_rate.entity": "Catalog_СтавкиНДС",
       "vat_rate.value": "ПеречислениеСтавкаНДС",
       "unit.entity": "Catalog_УпаковкиЕдиницыИзмерения",
       "price_type.entity": "Catalog_ВидыЦен",
       "price.register": "InformationRegister_ЦеныНоменклатуры25",
       "price.price_type": "ВидЦены_Key",
       "sale.rows": "Товары",
       "sale.operation": "ХозяйственнаяОперация",
       "sale.operation_value": "РеализацияКлиенту",
       "sale.contract": "Договор_Key",
       "sale.partner": "Партнер_Key",
       "sale.currency": "Валюта_Key",
       "sale.vat_included": "ЦенаВключаетНДС",
       "sale.taxation": "НалогообложениеНДС",
       "sale.row_vat_rate": "СтавкаНДС_Key",
       "sale.row_packages": "КоличествоУпаковок",
       "sale.row_amount_with_vat": "СуммаСНДС"})

# 11.4: payment rows and settlements name the contract itself in a composite field (`Заказ`,
# `ЗаказКлиента` with their `_Type`), prices are in the older register, VAT is an enumeration.
UT114 = dict(
    UT115,
    **{"payment.row_contract": "Заказ", "cash_payment.row_contract": "Заказ",
       "settlement.contract": "ЗаказКлиента",
       "settlement_object.entity": "", "settlement_object.object": "",
       "nomenclature.vat_rate": "СтавкаНДС", "vat_rate.entity": "", "vat_rate.value": "",
       "price.register": "InformationRegister_ЦеныНоменклатуры",
       "sale.row_vat_rate": "СтавкаНДС"})

DEFAULTS = {"bp30": BP30, "ut11": UT115, "ut114": UT114}

# Defaults not confirmed by the checked reference (docs/billing-sync.md): the connection check
# says so when 1C lacks them.
UT_ASSUMED = {"contract.kind_value", "unit.entity", "sale.rows", "sale.taxation",
              "sale.row_packages", "sale.row_amount_with_vat", "sale.row_content",
              "vat_rate.value", "settlement_object.object"}
ASSUMED = {
    "bp30": {"unit.entity", "sale.row_subconto"},
    "ut11": UT_ASSUMED,
    "ut114": UT_ASSUMED | {"payment.row_contract", "cash_payment.row_contract",
                          "settlement.contract", "nomenclature.vat_rate", "sale.row_vat_rate"},
}

# Keys that may be empty: the group or property is then not read.
OPTIONAL = {"cash_payment.entity", "unit.entity", "nomenclature.article", "counterparty.folder",
            "nomenclature.folder", "nomenclature.vat_rate", "settlement_object.entity",
            "settlement_object.object", "vat_rate.entity", "vat_rate.value"}

ENTITY_KINDS = {
    "counterparty.entity": ("Catalog",), "contract.entity": ("Catalog",),
    "payment.entity": ("Document",), "cash_payment.entity": ("Document",),
    "settlement.register": ("AccountingRegister", "AccumulationRegister"),
    "settlement.accounts_chart": ("ChartOfAccounts",), "nomenclature.entity": ("Catalog",),
    "unit.entity": ("Catalog",), "price_type.entity": ("Catalog",),
    "price.register": ("InformationRegister",), "sale.entity": ("Document",),
    "settlement_object.entity": ("Catalog",), "vat_rate.entity": ("Catalog",),
    "organisation.entity": ("Catalog",), "currency.entity": ("Catalog",),
    "nomenclature_group.entity": ("Catalog",),
}

LABELS = {"bp30": "1С:Бухгалтерия предприятия 3.0", "ut11": "1С:Управление торговлей 11.5",
          "ut114": "1С:Управление торговлей 11.4"}


class Profile:
    """A validated mapping: `profile["payment.entity"]` is the entity set's name in this 1C."""

    def __init__(self, name, overrides=None):
        if name not in DEFAULTS:
            raise ValidationFailed.from_fields(
                {"profile": [f"One of: {', '.join(DEFAULTS)}."]})
        if overrides is not None and not isinstance(overrides, dict):
            raise ValidationFailed.from_fields({"mapping": ["An object of mapping keys to names."]})
        overrides = dict(overrides or {})
        problems = validate(name, overrides)
        if problems:
            raise ValidationFailed.from_fields(problems)
        self.name = name
        self.overrides = overrides
        self.mapping = dict(DEFAULTS[name], **overrides)

    def __getitem__(self, key):
        return self.mapping[key]

    def get(self, key, default=None):
        return self.mapping.get(key, default)

    def uses(self, group):
        """Whether the group is read at all (an optional entity left empty switches it off)."""
        return bool(self.mapping.get(f"{group}.entity", self.mapping.get(f"{group}.register")))

    @property
    def payment_groups(self):
        return [g for g in ("payment", "cash_payment") if self.uses(g)]

    @property
    def settles_on_accounts(self):
        """БП keeps settlements on accounts of an accounting register, УТ in its own register."""
        return self["settlement.register"].startswith("AccountingRegister_")

    def assumed(self, key):
        return key in ASSUMED[self.name] and key not in self.overrides

    def document(self):
        """What is stored: the profile's name and only what the admin changed."""
        return {"profile": self.name, "overrides": dict(self.overrides)}


def validate(name, overrides):
    """{'mapping.<key>': [messages]} for each override that cannot be right, whatever 1C holds."""
    problems = {}
    defaults = DEFAULTS[name]
    for key, value in overrides.items():
        field = f"mapping.{key}"
        if key not in defaults:
            problems[field] = [f"No such mapping key for {name}."]
        elif not isinstance(value, str):
            problems[field] = ["A name, as text."]
        elif value == "":
            if key not in OPTIONAL:
                problems[field] = ["Required: only optional groups may be switched off."]
        elif key in ENTITY_KINDS:
            kind, _, rest = value.partition("_")
            if kind not in ENTITY_KINDS[key] or not IDENTIFIER.match(rest):
                problems[field] = [f"An entity set named {' or '.join(k + '_<Name>' for k in ENTITY_KINDS[key])}."]
        elif key == "settlement.accounts":
            codes = value.split(",")
            if not all(ACCOUNT_CODE.match(code.strip()) for code in codes):
                problems[field] = ["Account codes separated by commas, such as 62.01,62.02."]
        elif not IDENTIFIER.match(value):
            problems[field] = ["A 1C name: letters, digits and underscores, not starting with a digit."]
    problems.update(_sale_names_shared(defaults, overrides))
    register = overrides.get("settlement.register", defaults["settlement.register"])
    if (isinstance(register, str) and register.startswith("AccountingRegister_")
            and "settlement.accounts" not in defaults):
        problems["mapping.settlement.register"] = [
            "Settlements on an accounting register need account codes: use the bp30 profile."]
    return problems


def _sale_names_shared(defaults, overrides):
    """Two sale keys naming one property would have the push write one value over the other."""
    mapping = dict(defaults, **{k: v for k, v in overrides.items() if isinstance(v, str)})
    holders = {}
    for key, name in mapping.items():
        group, _, item = key.partition(".")
        if group == "sale" and item not in ("entity", "operation_value") and name:
            holders.setdefault((item.startswith("row_"), name), []).append(key)
    return {f"mapping.{key}": [f"Also the name of {', '.join(k for k in keys if k != key)}: "
                               "each value the push writes needs its own property."]
            for keys in holders.values() if len(keys) > 1 for key in keys if key in overrides}


def defaults(name):
    """The default mapping of a profile with which keys are assumed, for an admin screen."""
    if name not in DEFAULTS:
        raise ValidationFailed.from_fields({"profile": [f"One of: {', '.join(DEFAULTS)}."]})
    return {key: {"default": value, "assumed": key in ASSUMED[name], "optional": key in OPTIONAL}
            for key, value in DEFAULTS[name].items()}
