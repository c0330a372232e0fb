"""Words to index terms, for every service that searches text in Russian and English: lowercase,
ё as е, stop words dropped, Russian or English Snowball stem chosen by the word's script. So
"турникеты", "турникета" and "турникет" are one term. The knowledge base indexes articles with it
(services/knowledge/analysis.py adds what its index keeps: lemma families, stop words by normal
form), the tickets service its tickets."""
import re
from functools import lru_cache

import snowballstemmer

# A word is a run of letters and digits, or single letters with dots (S.M.A.R.T., т.д.), which
# `normalize` joins: «S.M.A.R.T.» is the word «smart».
WORD = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_]+", re.UNICODE)
CYRILLIC = re.compile(r"[а-я]")

RUSSIAN_STOP = frozenset("""
а без более бы был была были было быть в вам вас весь во вот все всего всех вы где да даже для до
его ее её если есть еще ещё же за здесь и из или им их к как ко когда кто ли либо мне может мы на
над надо наш не него нее неё нет ни них но ну о об однако он она они оно от очень по под при с со
так также такой там те тем то того тоже той только том ты у уже хотя чего чей чем что чтобы чье
чья эта эти это я мой моя мое моё мои свой своя свое своё свои который которая которое которые
ваш ваша ваше ваши наша наше наши твой твоя твое твои какой какая какое какие этот тот сам
вроде пожалуйста подсказать сказать
""".split())
ENGLISH_STOP = frozenset("""
a an and are as at be but by for from has have how i if in into is it its my not of on or so that
the their then there these they this to was what when where which who why will with you your
""".split())

_russian = snowballstemmer.stemmer("russian")
_english = snowballstemmer.stemmer("english")


def normalize(word):
    return word.lower().replace("ё", "е").replace(".", "")


@lru_cache(maxsize=200_000)
def stem(word):
    """The index term of one normalized word, or None for a stop word."""
    if word in RUSSIAN_STOP or word in ENGLISH_STOP:
        return None
    if CYRILLIC.search(word):
        return _russian.stemWord(word)
    if word.isdigit():
        return word
    return _english.stemWord(word)


def words(text, stem=stem):
    """(start, end, term) of every word of `text`; term is None for stop words. `stem`: a
    service's own word -> term (the knowledge base's drops more stop words)."""
    for match in WORD.finditer(text or ""):
        yield match.start(), match.end(), stem(normalize(match.group()))


def terms(text, stem=stem):
    """The index terms of `text`, in order, stop words left out."""
    return [term for _, _, term in words(text, stem) if term]
