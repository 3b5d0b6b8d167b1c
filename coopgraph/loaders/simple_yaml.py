"""Read YAML written in the style of data/ (one field per line) several times faster than PyYAML.

PyYAML builds a node with its marks for every scalar, which dominates a large
build. A file in the style data/README.md shows (`- key: value` starting a
record, `  key: value` continuing it, each value plain, quoted or `[a, b]` on
its line, blank and comment lines anywhere) is checked with one regular
expression and read line by line instead, giving plain values PyYAML's meaning (`2016` an int,
`2016-05-12` a date, `yes` a bool). Anything else, including anything wrong,
makes `read_simple` give up, and the caller reads the file with PyYAML:
results and error messages stay PyYAML's.
"""

from __future__ import annotations

import re

import yaml

from coopgraph.loaders.records import Record

# Text made of these characters only: no tab, CR or other line break, BOM or control character.
USUAL_TEXT = re.compile("[\n\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*")
NOT_FIRST = r"-?:,\[\]{}#&*!|>'\"%@` "  # indicators, which a plain value may not start with
DOUBLE_INNER = r'[^"\\\n]*+(?:\\["\\nt][^"\\\n]*+)*+'
SINGLE = r"'[^'\n]*+(?:''[^'\n]*+)*+'"
PLAIN = rf"[^{NOT_FIRST}\n](?:[^:\n ]++|:(?=[^ \n])| ++(?=[^ #\n]))*+"  # no ': ', ' #' or ':' at the end
PLAIN_ITEM = rf"[^{NOT_FIRST}\n](?:[^:,\[\]{{}}\n ]++| ++(?=[^ #:,\[\]{{}}\n]))*+"  # and nothing of [a, b]'s
ITEM = f'"{DOUBLE_INNER}"|{SINGLE}|{PLAIN_ITEM}'
FLOW = rf"\[ *(?:(?:{ITEM})(?: *, *(?:{ITEM}))*)? *\]"
# A line is a field (`- ` or two spaces, a key, `: `, a value and maybe spaces), blank, or a comment.
FIELD = rf'(?:- |  )[A-Za-z_][A-Za-z0-9_]*: (?:"{DOUBLE_INNER}"|{SINGLE}|{FLOW}|{PLAIN}) *'
EMPTY = r" *(?:#.*)?"
LINE = rf"(?:{FIELD}|{EMPTY})"
TEXT = re.compile(rf"(?:{EMPTY}\n)*+(?:{EMPTY}|(?=- ){FIELD}(?:\n{LINE})*+)")  # the first field starts a record
FLOW_ITEM = re.compile(f'"{DOUBLE_INNER}"|{SINGLE}|{PLAIN_ITEM}')
ESCAPE = re.compile(r"\\(.)")
ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t"}
RESOLVERS = yaml.SafeLoader.yaml_implicit_resolvers
CONSTRUCTOR = yaml.constructor.SafeConstructor()
ORDINARY_FIRST = frozenset(chr(c) for c in range(0x20, 0x7F)) - set(RESOLVERS) - set("\"'[")  # plain text as it is
SCALARS = {f"tag:yaml.org,2002:{kind}" for kind in ("null", "bool", "int", "float", "timestamp")}


class NotSimple(Exception):
    """The text uses YAML that this reader leaves to PyYAML."""


def read_simple(text: str, shown_as: str) -> list[Record] | None:
    """The records of a file in the one-field-per-line style, or None for PyYAML to read it."""
    if not USUAL_TEXT.fullmatch(text) or not TEXT.fullmatch(text):
        return None
    records: list[Record] = []
    keys: set[str] = set()  # the field names seen to be text (`yes:` would be a bool)
    gap = False  # a blank or comment line inside the record: its fields' lines are written down
    try:
        for number, line in enumerate(text.split("\n"), 1):
            start = line[:2]
            if start == "- ":
                fields: dict[str, object] = {}
                record = Record(shown_as, number, fields)
                records.append(record)
                gap = False
            elif start != "  " or line[2:3] in ("", " ", "#"):
                gap = True
                continue
            key, _, value = line[2:].partition(": ")
            if key in fields:
                return None
            if key not in keys:
                if _plain(key) != key:
                    return None
                keys.add(key)
            if gap:
                record.lines = record.lines or {k: record.line + i for i, k in enumerate(fields)}
                record.lines[key] = number
            value = value.rstrip(" ")
            first = value[0]
            if first == '"' and "\\" not in value:
                fields[key] = value[1:-1]
            elif first in ORDINARY_FIRST:
                fields[key] = value
            else:
                fields[key] = _value(value)
    except NotSimple:
        return None
    return records


def _value(text: str):
    """A value the line's pattern accepted: double- or single-quoted, [flow, list] or plain."""
    first = text[0]
    if first == '"':
        inner = text[1:-1]
        return ESCAPE.sub(lambda m: ESCAPES[m[1]], inner) if "\\" in inner else inner
    if first == "'":
        return text[1:-1].replace("''", "'")
    if first != "[":
        return _plain(text)
    inner = text[1:-1]
    if '"' in inner or "'" in inner:
        return [_value(item) for item in FLOW_ITEM.findall(inner)]
    return [_plain(item.strip(" ")) for item in inner.split(",")] if inner.strip(" ") else []


def _plain(text: str):
    """A plain value as PyYAML's safe loader reads it: only a few first characters can make it other than text."""
    for tag, regexp in RESOLVERS.get(text[0], ()):
        if regexp.match(text):
            if tag not in SCALARS:
                raise NotSimple  # `<<`, `=`: PyYAML refuses them
            return CONSTRUCTOR.yaml_constructors[tag](CONSTRUCTOR, yaml.ScalarNode(tag, text))
    return text
