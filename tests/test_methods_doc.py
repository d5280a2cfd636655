"""Every citation of the methods page points at docs/methods.md and at a section it has (issue 16)."""

import re

from brandrep.paths import PROJECT_ROOT

METHODS = PROJECT_ROOT / "docs" / "methods.md"


def _citing_files():
    return [*(PROJECT_ROOT / "src").rglob("*.py"), *(PROJECT_ROOT / "notebooks").glob("*.py")]


def test_methods_page_exists_with_cited_sections():
    headings = {m.group(1) for m in re.finditer(r"^## (\d+)\.", METHODS.read_text(encoding="utf-8"), re.M)}
    cited = 0
    for path in _citing_files():
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"(\S*)methods\.md,? (?:sections?) (\d+)", text):
            cited += 1
            assert match.group(1).endswith("docs/"), f"{path}: cites {match.group(0)!r}, not docs/methods.md"
            assert match.group(2) in headings, f"{path}: section {match.group(2)} not in docs/methods.md"
        assert not re.search(r"(?<!docs/)methods\.md", text), f"{path}: cites methods.md outside docs/"
    assert cited >= 5
