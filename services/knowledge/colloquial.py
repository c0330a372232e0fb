"""How clients write, mapped to how articles are written: colloquial words and brand names typed
in Cyrillic ("инет", "вайфай", "перко", "кинетик") and words typed in the other script.

`LEXICON` is the trade's vocabulary, kept by hand because no library knows that "пожарка" is a
fire alarm or that "куосера" is Kyocera: the colloquial forms service desks hear on the phone
for network, office, security, CCTV, access control, cash register and elevator equipment, and
the brands sold in Russia for them. A query word is looked up by its stem, so every grammatical
form of an entry matches ("инета", "инетом"). It is the default layer of every account's synonym
dictionary (synonyms.py); what only one account's clients write goes into that account's own
entries, through the API.

For a word that is in neither the index nor the lexicon, `transliterations` gives the word in the
other script (cyrtranslit's Russian table), which catches brand names clients spell in Cyrillic
("онвиф" -> onvif) and Russian words typed in Latin ("evotor" -> эвотор), exactly or through
the typo fallback.
"""
from functools import lru_cache

import cyrtranslit

from services.knowledge.analysis import CYRILLIC, WORD, normalize, stem

LEXICON = {
    # networks and computers
    "инет": "интернет", "вайфай": "wifi wi-fi беспроводная сеть", "вифи": "wifi wi-fi",
    "вайфайка": "wifi роутер", "роутер": "маршрутизатор", "маршрутизатор": "роутер",
    "комп": "компьютер", "ноут": "ноутбук", "винда": "windows", "виндовс": "windows",
    "айфон": "iphone телефон", "андроид": "android телефон", "смартфон": "телефон",
    "мобила": "телефон", "пасс": "пароль", "кинетик": "keenetic", "микротик": "mikrotik",
    "тплинк": "tp-link", "длинк": "d-link", "асус": "asus", "эникей": "компьютер настройка",
    # printers and office equipment
    "принтак": "принтер", "мфушка": "мфу", "ксерокс": "xerox копир", "копир": "мфу",
    "тонер": "картридж", "куосера": "kyocera", "киосера": "kyocera", "кьосера": "kyocera",
    "кёсера": "kyocera", "эйчпи": "hp", "хп": "hp", "канон": "canon", "кэнон": "canon",
    "эпсон": "epson", "бразер": "brother", "бротер": "brother", "рико": "ricoh",
    "самсунг": "samsung", "пантум": "pantum", "зебра": "zebra",
    # security and fire alarms
    "пожарка": "пожарная сигнализация", "охранка": "охранная сигнализация",
    "сигналка": "сигнализация", "сирена": "оповещатель",
    # CCTV
    "видак": "видеорегистратор", "регик": "видеорегистратор регистратор",
    "регистратор": "видеорегистратор", "видеонаблюдение": "камера", "хиквижн": "hikvision",
    "хиквижен": "hikvision", "хик": "hikvision", "дахуа": "dahua", "хайвотч": "hiwatch",
    "хайвоч": "hiwatch", "трассир": "trassir", "онвиф": "onvif", "айпи": "ip",
    "ипишка": "ip камера", "рви": "rvi", "полисон": "polyvision",
    # access control and intercoms
    "скуд": "контроль доступа", "турник": "турникет", "вертушка": "турникет", "перко": "perco",
    "айронлоджик": "ironlogic", "айрон": "ironlogic", "зетка": "z-5r",
    "домофон": "вызывная панель", "трубка": "домофон", "таблетка": "ключ touch memory",
    "магнитка": "электромагнитный замок", "пропуск": "карта", "карточка": "карта",
    "биосмарт": "biosmart", "сигур": "sigur",
    # cash registers and marking
    "касса": "ккт", "кассовый": "ккт", "онлайнкасса": "онлайн касса ккт", "ккм": "ккт касса",
    "фн": "фискальный накопитель", "фискальник": "фискальный накопитель", "чз": "честный знак",
    "лм": "локальный модуль", "утм": "егаис",
    # elevators
    "лифтер": "лифт", "подъемник": "лифт", "техосвидетельствование": "техническое освидетельствование",
    # the service itself
    "инжинер": "инженер", "мастер": "инженер", "приедет": "выезд реакция",
    "техник": "инженер", "монтажник": "инженер", "спец": "специалист инженер",
    # colloquial verbs of the trade (issue 25): moving data out, switching, failing, sounding
    "скинуть": "выгрузить экспорт", "скидывать": "выгрузить экспорт",
    "слить": "выгрузить экспорт", "перекинуть": "выгрузить перенести",
    "выкачать": "выгрузить скачать", "закинуть": "загрузить добавить",
    "вырубить": "выключить отключить", "вырубиться": "выключиться отключение",
    "врубить": "включить", "отвалиться": "отключается теряет связь",
    "отваливаться": "отключается теряет связь", "глючить": "сбой ошибка зависает",
    "глюк": "сбой ошибка", "виснуть": "зависает", "сдохнуть": "не работает не включается",
    "пикать": "пищит звуковой сигнал", "пиликать": "пищит звуковой сигнал",
    "верещать": "пищит сирена", "выть": "сирена тревога", "орать": "сирена тревога",
    "моргать": "мигает", "жевать": "замятие мнёт", "зажевать": "замятие",
    "мазать": "размазывается", "полосить": "полосы", "фонить": "фон помехи гул",
    "посеять": "потерял утеря", "прошить": "прошивка обновление",
    "перепрошить": "прошивка обновление", "ребутнуть": "перезагрузка",
    "расшарить": "общий доступ", "выбивать": "пробивать печатать",
    "запитать": "питание", "воткнуть": "подключить",
    # contracts, fees and prices (issue 25)
    "пролонгация": "продление договора", "пролонгировать": "продлить договор",
    "перезаключить": "продлить договор", "допник": "дополнительное соглашение",
    "допсоглашение": "дополнительное соглашение", "абонплата": "абонентская плата",
    "абонентка": "абонентская плата", "абонка": "абонентская плата",
    "подписка": "абонентская плата оплата", "тариф": "стоимость цена",
    "расценки": "стоимость цена прайс", "почем": "стоимость сколько стоит",
    "подорожать": "индексация стоимости", "подорожание": "индексация стоимости",
    "прайс": "стоимость цена", "счет": "оплата", "доки": "документы",
    # devices and parts as clients name them
    "рег": "видеорегистратор регистратор", "телик": "монитор телевизор",
    "свитч": "коммутатор", "свич": "коммутатор", "бесперебойник": "ибп",
    "симка": "sim-карта", "считывалка": "считыватель", "ридер": "считыватель",
    "ложняк": "ложная тревога ложное срабатывание", "пуш": "уведомления",
    "удаленка": "удаленный доступ удаленная работа",
}

@lru_cache(maxsize=50_000)
def transliterations(word):
    """[(term, word)] of `word` written in the other script, for the words it becomes."""
    if CYRILLIC.search(word):
        other = cyrtranslit.to_latin(word, "ru")
    else:
        other = cyrtranslit.to_cyrillic(word, "ru")
    found = []
    for match in WORD.finditer("".join(char for char in other if char.isalnum())):
        written = normalize(match.group())
        term = stem(written)
        if term and term != word:
            found.append((term, written))
    return found
