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
    "contract.counterparty": "Owner_Key",
    "contract.number": "Номер",
    "contract.date": "Дата",
    "contract.kind": "ВидДоговора",
    "contract.kind_value": "СПокупателем",
    "contract.valid_until": "СрокДействия",
    "contract.closed": "ДоговорЗакрыт",
    "nomenclature.entity": "Catalog_Номенклатура",
    "nomenclature.article": "Артикул",
    "nomenclature.service": "Услуга",
    "nomenclature.service_value": "true",
    "nomenclature.folder": "IsFolder",
    "nomenclature.unit": "ЕдиницаИзмерения_Key",
    # The item's own VAT rate (an enumeration value such as НДС20), which the push writes per row.
    "nomenclature.vat_rate": "СтавкаНДС",
    "price.register": "InformationRegister_ЦеныНоменклатуры",
    "price.nomenclature": "Номенклатура_Key",
    "price.price": "Цена",
    "sale.entity": "Document_РеализацияТоваровУслуг",
    # What the push writes into a sale: the header, then each row of its services section.
    "sale.organisation": "Организация_Key",
    "sale.counterparty": "Контрагент_Key",
    "sale.vat_included": "СуммаВключаетНДС",
    "sale.amount": "СуммаДокумента",
    "sale.comment": "Комментарий",
    "sale.row_service": "Номенклатура_Key",
    "sale.row_content": "Содержание",
    "sale.row_quantity": "Количество",
    "sale.row_price": "Цена",
    "sale.row_amount": "Сумма",
    "sale.row_vat_rate": "СтавкаНДС",
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


DEFAULTS = {
    "bp30": dict(
        COMMON,
        **payment_group("payment", "Document_ПоступлениеНаРасчетныйСчет", "ВидОперации",
                        "ОплатаПокупателя", "ДоговорКонтрагента_Key", "СуммаПлатежа"),
        **payment_group("cash_payment", "Document_ПриходныйКассовыйОрдер", "ВидОперации",
                        "ОплатаПокупателя", "ДоговорКонтрагента_Key", "СуммаПлатежа"),
        **{"settlement.register": "AccountingRegister_Хозрасчетный",
           "settlement.accounts_chart": "ChartOfAccounts_Хозрасчетный",
           "settlement.accounts": "62.01,62.02",
           "settlement.account": "Account_Key",
           "settlement.counterparty": "ExtDimension1",
           "settlement.contract": "ExtDimension2",
           "unit.entity": "Catalog_КлассификаторЕдиницИзмерения",
           "price_type.entity": "Catalog_ТипыЦенНоменклатуры",
           "price.price_type": "ТипЦен_Key",
           "sale.rows": "Услуги",
           "sale.operation": "ВидОперации",
           "sale.operation_value": "Услуги",
           "sale.contract": "ДоговорКонтрагента_Key"}),
    "ut11": dict(
        COMMON,
        **payment_group("payment", "Document_ПоступлениеБезналичныхДенежныхСредств",
                        "ХозяйственнаяОперация", "ПоступлениеОплатыОтКлиента", "Договор_Key",
                        "Сумма"),
        # Cash receipts are off until an admin names the document (the reference gives none).
        **payment_group("cash_payment", "", "ХозяйственнаяОперация", "ПоступлениеОплатыОтКлиента",
                        "Договор_Key", "Сумма"),
        **{"settlement.register": "AccumulationRegister_РасчетыСКлиентами",
           "settlement.counterparty": "Контрагент_Key",
           "settlement.contract": "Договор_Key",
           "unit.entity": "Catalog_УпаковкиЕдиницыИзмерения",
           "price_type.entity": "Catalog_ВидыЦен",
           "price.price_type": "ВидЦен_Key",
           "sale.rows": "Товары",
           "sale.operation": "ХозяйственнаяОперация",
           "sale.operation_value": "РеализацияКлиенту",
           "sale.contract": "Договор_Key"}),
}

ASSUMED = {
    "bp30": {"unit.entity", "nomenclature.vat_rate"},
    "ut11": {"counterparty.folder", "payment.row_contract", "payment.row_amount", "settlement.counterparty",
             "settlement.contract", "unit.entity", "sale.rows", "sale.operation",
             "sale.operation_value", "sale.contract", "sale.row_vat_rate", "sale.row_vat_amount",
             "nomenclature.vat_rate"},
}

# Keys that may be empty: the group or property is then not read.
OPTIONAL = {"cash_payment.entity", "unit.entity", "nomenclature.article", "counterparty.folder",
            "nomenclature.folder", "nomenclature.vat_rate"}

ENTITY_KINDS = {
    "counterparty.entity": ("Catalog",), "contract.entity": ("Catalog",),
    "payment.entity": ("Document",), "cash_payment.entity": ("Document",),
    "settlement.register": ("AccountingRegister", "AccumulationRegister"),
    "settlement.accounts_chart": ("ChartOfAccounts",), "nomenclature.entity": ("Catalog",),
    "unit.entity": ("Catalog",), "price_type.entity": ("Catalog",),
    "price.register": ("InformationRegister",), "sale.entity": ("Document",),
}

LABELS = {"bp30": "1С:Бухгалтерия предприятия 3.0", "ut11": "1С:Управление торговлей 11"}


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
        if group == "sale" and item not in ("entity", "operation_value"):
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
