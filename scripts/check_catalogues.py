"""Fail when a translation catalogue has an untranslated or fuzzy entry, or does not compile."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted((ROOT / "src/manyi/locale").glob("*/LC_MESSAGES/django.po"))


def main() -> int:
    failed = False
    if len(CATALOGUES) < 2:
        print("expected both the zh_Hans and the en catalogue")
        return 1
    for po in CATALOGUES:
        result = subprocess.run(
            ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
            capture_output=True,
            text=True,
        )
        stats = (result.stderr or result.stdout).strip()
        bad = result.returncode != 0 or "untranslated" in stats or "fuzzy" in stats
        failed |= bad
        print(f"{'FAIL' if bad else 'ok  '} {po.relative_to(ROOT)}: {stats}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
