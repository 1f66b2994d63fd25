"""Name matching: one organization answers to its Korean and English names and its aliases."""

import re
import unicodedata

# Legal-form marks carry no identity: "(주)포스코", "포스코 주식회사" and "POSCO Co., Ltd." are one.
# NFKC has already turned "㈜" into "(주)".
_LEGAL_FORMS = re.compile(
    r"\(주\)|\(유\)|\(재\)|\(사\)|주식회사|유한회사|재단법인|사단법인"
    r"|\b(?:co|ltd|inc|corp|llc|plc|gmbh)\b\.?(?=[\s,.]|$)",
)
_NOT_WORD = re.compile(r"[\W_]+")


def normalize_name(name: str) -> str:
    """The key names are compared by: case, spaces, punctuation and legal forms ignored."""
    text = unicodedata.normalize("NFKC", name or "").casefold()
    text = _LEGAL_FORMS.sub(" ", text)
    return _NOT_WORD.sub("", text)
