"""Text encodings of import files: which are accepted, and a guess when a file is not
what it was said to be.

Files are cut into rows as bytes (newlines and quote characters) before they are
decoded, so only encodings in which those ASCII bytes never occur inside a multibyte
character are accepted: UTF-8, GBK/GB 18030, Big5, Shift-JIS, the Latin code pages.
UTF-16 and UTF-32 are refused with the command that converts them.
"""

from __future__ import annotations

import codecs

from cdp.errors import InvalidInput

DEFAULT = "utf-8"
# Tried, in order, on bytes that are not UTF-8: Chinese core-banking exports are
# mostly GBK (GB 18030 decodes all of it), Taiwanese and Hong Kong ones Big5.
_GUESSES = ("gb18030", "big5", "shift_jis")
_NAMES = {"gb18030": "GBK (GB 18030)", "big5": "Big5", "shift_jis": "Shift-JIS", "utf-16": "UTF-16"}
# Bytes that must mean the same in the file's encoding as in ASCII.
_STRUCTURE = '\n\r",source_key'


def check_encoding(name: str) -> str:
    """The codec's canonical name, or ``InvalidInput`` for an unknown or unusable one."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise InvalidInput(f"unknown encoding {name!r}; e.g. utf-8, gbk, gb18030, big5") from None
    try:
        ascii_compatible = _STRUCTURE.encode(info.name) == _STRUCTURE.encode("ascii")
    except UnicodeError:
        ascii_compatible = False
    if not ascii_compatible or info.name.startswith(("utf-16", "utf-32")):
        raise InvalidInput(
            f"encoding {name!r} is not supported for imports (rows are cut on ASCII bytes); "
            f"convert the file first: iconv -f {name} -t UTF-8 FILE > FILE.utf8"
        )
    return info.name


def guess(data: bytes) -> str | None:
    """The likeliest encoding of ``data`` among common non-UTF-8 ones, if any fits."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for name in _GUESSES:
        try:
            data.decode(name)
        except UnicodeDecodeError:
            continue
        return name
    return None


def decode(data: bytes, path: str, encoding: str, line: int) -> str:
    """``data`` as text, or ``InvalidInput`` naming the encoding found and the fix.

    ``line`` is the number of the file's first line in ``data``, for the message.
    """
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        at = line + data.count(b"\n", 0, exc.start)
        found = guess(data)
        hint = f"it looks like {_NAMES.get(found, found)}" if found else "its encoding is unknown"
        convert = f"iconv -f {found.upper() if found else 'ENCODING'} -t UTF-8 {path} > fixed.csv"
        again = f"--encoding {_option(found)}" if found else "--encoding ENCODING"
        raise InvalidInput(
            f"{path} is not {encoding.upper()} text (line {at}: {exc.reason}); {hint}. "
            f"Import it with {again}, or convert it: {convert}"
        ) from None


def _option(found: str) -> str:
    # GB 18030 is a superset of GBK; ``gbk`` is what people know to type.
    return "gbk" if found == "gb18030" else found
