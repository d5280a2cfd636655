"""Which text encoding a file uses, decided from its bytes and stated to the user.

Order of evidence, most certain first:

1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32) is taken at its word;
2. UTF-16 without a BOM shows as NUL bytes in every other position (ASCII delimiters);
3. a sample that decodes as UTF-8 (allowing a few corrupt bytes among many valid multi-byte
   characters) is UTF-8: legacy Chinese bytes almost never form valid UTF-8; so is a sample in
   which at least as many lines are valid UTF-8 Chinese as are not (a file that mixes encodings
   is read in the one most of its lines use);
4. a sample that is pure GB2312 (EUC-CN) is GB18030: detectors are unreliable on a few
   characters, and Big5 text rarely fits GB2312's byte ranges (decision for mainland data; a
   Big5 file of a handful of characters may be misread, a longer one is not);
5. otherwise charset-normalizer (a maintained detector, successor of chardet) decides; when it
   names an implausible code for this project (corrupt bytes can make GBK look like KOI8-R), it
   decides again between GB18030 and Big5 on the lines that one of them can decode.

GBK and GB2312 are read as GB18030, their superset, and Big5 as CP950 (the Big5 variant that
Windows and Excel write), so a detector that names the narrower code never makes a valid
character undecodable. Bytes that still do not decode are not replaced by U+FFFD: the
``brandrep-escape`` error handler keeps each as a lone surrogate (U+DC80 + byte), and the reader
rejects the row that holds it with the reason "undecodable bytes", keeping the bytes visible as
``\\xNN`` in the rejects file.

The sample is the start of the file plus whole lines from its middle and its end
(:func:`file_sample`), so a file whose first MiB is ASCII is still read in the encoding of the
Chinese further on. The encoding is chosen once per file and checked per row
(:func:`other_encoding`): a row that is not valid in the file's encoding but is Chinese text in
another plausible one (a UTF-8 file with GB18030 rows appended, or the reverse) is rejected as
``mixed encodings: line N decodes as gb18030``, never decoded into mojibake and scored.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from brandrep.errors import InputError

SAMPLE_BYTES = 1 << 20  # detection reads the first MiB ...
PART_BYTES = 1 << 18  # ... and this much from the middle and from the end of a larger file

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# detector name -> codec we decode with (superset, so nothing valid is lost)
_WIDEN = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "hz": "gb18030",
    "big5": "cp950",
    "big5hkscs": "big5hkscs",
    "ascii": "utf-8",
    "utf_8": "utf-8",
    "utf_16": "utf-16",
    "utf_16_le": "utf-16-le",
    "utf_16_be": "utf-16-be",
}

ESCAPE_HANDLER = "brandrep-escape"
UNDECODABLE = re.compile("[\udc80-\udcff]")


def _escape(error: UnicodeDecodeError):
    # One byte at a time so the decoder resynchronises on the next byte; ASCII bytes stay
    # themselves (a newline must still end the line), others become lone surrogates.
    byte = error.object[error.start]
    ESCAPES.value += 1
    return (chr(byte) if byte < 0x80 else chr(0xDC00 + byte)), error.start + 1


codecs.register_error(ESCAPE_HANDLER, _escape)


class _EscapeCount:
    """How many bytes the handler has escaped in this process, ever (monotonic). A reader notes
    the value when it opens a file and checks lines for escapes only once it has moved: most
    files never need the check. Other threads can only cause extra checks, never fewer."""

    value = 0


ESCAPES = _EscapeCount()


def show_undecodable(text: str) -> str:
    """Make escaped bytes visible (``\\xNN``) so a rejects file shows what was there."""
    return UNDECODABLE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", text)


def _decodes(sample: bytes, codec: str, complete: bool) -> bool:
    try:
        sample.decode(codec)
        return True
    except UnicodeDecodeError as error:
        # a sample cut in the middle of a character still counts
        return not complete and error.start >= len(sample) - 3 and error.end == len(sample)


def _utf16_without_bom(sample: bytes) -> str | None:
    head = sample[:4096]
    if len(head) < 4:
        return None
    even_nul = head[0::2].count(0) / len(head[0::2])
    odd_nul = head[1::2].count(0) / len(head[1::2])
    if odd_nul > 0.3 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.3 and odd_nul < 0.05:
        return "utf-16-be"
    return None


# Encodings a researcher's table plausibly uses; a detector verdict outside this set on a
# Chinese project (say KOI8-R) usually means a few corrupt bytes confused it.
# UTF-16/32 are not in it: a table's ASCII delimiters make real UTF-16 show as a BOM or NUL
# bytes (checked first), so a detector's UTF-16 verdict without them is a misreading of a
# short legacy sample.
_PLAUSIBLE = {
    "utf_8", "ascii", "gb18030", "gbk", "gb2312", "hz", "big5", "cp950", "big5hkscs",
    "cp1252", "latin_1",
}


def _utf8_counts(data: bytes) -> tuple[int, int]:
    """(valid non-ASCII UTF-8 characters, bytes that are not UTF-8) in ``data``."""
    text = data.decode("utf-8", errors="surrogateescape")
    bad = len(UNDECODABLE.findall(text))
    return sum(1 for ch in text if ord(ch) > 0x7F) - bad, bad


def _mostly_utf8(sample: bytes) -> bool:
    """UTF-8 with a few corrupt bytes: the valid multi-byte characters outnumber the bad bytes
    twice over. Legacy Chinese bytes form valid UTF-8 by chance in about one character of ten,
    so their ratio is far below that even in a short sample."""
    good, bad = _utf8_counts(sample)
    return good >= 2 * bad


def _line_votes(sample: bytes) -> tuple[int, list[bytes]]:
    """(lines that are valid UTF-8 with a character of three bytes or more, as Chinese is;
    the non-ASCII lines that are not valid UTF-8)."""
    utf8, legacy = 0, []
    for line in sample.split(b"\n"):
        if line.isascii():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            legacy.append(line)
            continue
        if any(ord(ch) >= 0x800 for ch in text):
            utf8 += 1
    return utf8, legacy


def file_sample(handle, head: bytes) -> bytes:
    """``head`` (the first bytes of the open binary file ``handle``), cut at its last line end,
    plus whole lines from the middle and the end of the file when it is longer than ``head``."""
    handle.seek(0, 2)
    size = handle.tell()
    if size <= len(head):
        return head
    parts = [head[: head.rfind(b"\n") + 1] or head]
    for start in (max(len(head), size // 2 - PART_BYTES // 2), max(len(head), size - PART_BYTES)):
        handle.seek(start)
        part = handle.read(PART_BYTES)
        first = part.find(b"\n") + 1
        last = part.rfind(b"\n") + 1 if start + len(part) < size else len(part)
        if 0 < first < last:
            parts.append(part[first:last])
    return b"".join(p if p.endswith(b"\n") else p + b"\n" for p in parts)


UTF8_CODECS = ("utf-8", "utf-8-sig")
_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def other_encoding(text: str, encoding: str) -> str | None:
    """The plausible encoding, other than the file's ``encoding``, in which the line read as
    ``text`` (escaped bytes included) is Chinese text, or None.

    A UTF-8 line with a few corrupt bytes is not another encoding: it counts only when it has
    more bytes that are not UTF-8 than valid UTF-8 characters of three bytes or more. A line read in a legacy code counts as
    UTF-8 when its bytes are valid UTF-8 with a Chinese character (chance does not make that)."""
    if encoding in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):
        return None
    try:
        data = text.encode(encoding, errors="surrogateescape")
    except (UnicodeEncodeError, LookupError):
        return None
    if encoding in UTF8_CODECS:
        # Chinese in UTF-8 is three bytes a character; legacy bytes make valid two-byte UTF-8
        # (一 = D2 BB reads as Cyrillic һ) far more often than three-byte, so only those count
        decoded = data.decode("utf-8", errors="surrogateescape")
        bad = len(UNDECODABLE.findall(decoded))
        if sum(1 for ch in decoded if "\u0800" <= ch < "\ud800" or ch > "\udfff") >= bad:
            return None
        candidates = ("gb18030", "cp950")
    else:  # called for every non-ASCII row of a legacy file: no exception on the common path
        decoded = data.decode("utf-8", errors="surrogateescape")
        return "utf-8" if not UNDECODABLE.search(decoded) and _CJK.search(decoded) else None
    for candidate in candidates:
        try:
            decoded = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        if _CJK.search(decoded):
            return candidate
    return None


def _chinese_without_junk(sample: bytes) -> str | None:
    """Detect GB18030 vs Big5 on the lines that at least one of them can decode."""
    def decodes(line, codec):
        try:
            line.decode(codec)
            return True
        except UnicodeDecodeError:
            return False

    lines = [line for line in sample.split(b"\n")[:-1] if decodes(line, "gb18030") or decodes(line, "cp950")]
    if not lines:
        return None
    best = charset_normalizer.from_bytes(b"\n".join(lines), cp_isolation=["gb18030", "big5"]).best()
    return best.encoding.lower() if best else None


def detect_encoding(sample: bytes, *, complete: bool, path=None, whole: bytes | None = None) -> str:
    """Return the Python codec name to decode a file whose first bytes are ``sample``.

    ``complete`` says whether ``sample`` is the whole file (then a truncated last character is
    an error, not a cut). ``whole`` is :func:`file_sample` of the file (start, middle and end
    in whole lines); BOMs and UTF-16 are judged on ``sample`` alone.
    """
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    utf16 = _utf16_without_bom(sample)
    if utf16:
        return utf16
    if whole is not None and whole is not sample:
        sample, complete = whole, True  # whole lines only: no character is cut
    if _decodes(sample, "utf-8", complete):
        return "utf-8"
    utf8_lines, legacy_lines = _line_votes(sample)
    if (utf8_lines and utf8_lines >= len(legacy_lines)) or _mostly_utf8(sample):
        return "utf-8"
    if utf8_lines:  # mostly legacy lines: decide their code on them alone
        sample, complete = b"\n".join(legacy_lines) + b"\n", True
    if _decodes(sample, "gb2312", complete):
        # Pure GB2312 bytes: Big5 text almost never fits (40% of its characters have trail
        # bytes 0x40-0x7E that GB2312 lacks), while short mainland samples confuse detectors.
        return "gb18030"
    best = charset_normalizer.from_bytes(sample).best()
    name = best.encoding.lower() if best else None
    if name not in _PLAUSIBLE:
        name = (
            _chinese_without_junk(sample)
            or next((c for c in ("gb18030", "cp950") if _decodes(sample, c, complete)), None)
            or name
        )
    if name is None:
        raise InputError(
            "cannot tell the text encoding (not UTF-8, UTF-16, GB18030/GBK or Big5); "
            "save the file as UTF-8",
            path=path,
        )
    return _WIDEN.get(name, name)
