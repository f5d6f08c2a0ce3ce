"""Complete the zh_Hans catalogue: Manyi's own strings are written in Chinese, so their
translation is the string itself; allauth strings we reword come from accounts/wording.py.

Run by `make messages` after makemessages. English translations are kept by hand in
src/manyi/locale/en/LC_MESSAGES/django.po.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from manyi.accounts.wording import ALLAUTH_WORDING  # noqa: E402

HAS_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def fill(path: Path) -> int:
    import polib

    catalogue = polib.pofile(str(path))
    filled = 0
    for entry in catalogue:
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.msgstr = ""
            entry.msgstr_plural = (
                dict.fromkeys(entry.msgstr_plural, "") if entry.msgid_plural else {}
            )
        if entry.msgid in ALLAUTH_WORDING:
            entry.msgstr = ALLAUTH_WORDING[entry.msgid]
            filled += 1
        elif entry.msgid_plural:
            if not any(entry.msgstr_plural.values()):
                entry.msgstr_plural = {0: entry.msgid}
                filled += 1
        elif not entry.msgstr and HAS_CJK.search(entry.msgid) or not entry.msgstr:
            entry.msgstr = entry.msgid
            filled += 1
    catalogue.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    catalogue.metadata["Language"] = "zh_Hans"
    catalogue.metadata["Project-Id-Version"] = "Manyi"
    catalogue.metadata["Last-Translator"] = "Manyi project"
    catalogue.metadata["Language-Team"] = "Chinese (Simplified)"
    if catalogue.metadata.get("PO-Revision-Date", "").startswith("YEAR"):
        catalogue.metadata["PO-Revision-Date"] = catalogue.metadata.get("POT-Creation-Date", "")
    catalogue.save()
    return filled


if __name__ == "__main__":
    po = ROOT / "src/manyi/locale/zh_Hans/LC_MESSAGES/django.po"
    print(f"{po.relative_to(ROOT)}: {fill(po)} entries filled")
