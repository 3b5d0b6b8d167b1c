"""Turn curated records (from any text format) into RDF, checking them on the way.

A record is a flat mapping of field names to values. `id`, `type`, `name`,
`alt`, the language labels, `wikidata`, `note` and `source` have fixed
meanings; every other field is an ontology property by its local name.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import partial

import pyoxigraph as ox

from coopgraph.errors import InputError
from coopgraph.namespaces import (
    ALT_LABEL,
    ID,
    LABEL,
    NOTE,
    PREF_LABEL,
    RDF_TYPE,
    SAME_AS,
    WIKIDATA,
    XSD,
    coop,
)
from coopgraph.ontology import Ontology

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CITATION = re.compile(r"^(?P<file>[^#\s]+)#L(?P<start>\d+)(?:-L(?P<end>\d+))?$")
LANGUAGES = ("ru", "be", "zh")
FIXED = {"id", "type", "name", "alt", "wikidata", "note", "source", *LANGUAGES}
NEEDS_ESCAPE = re.compile(r'[\x00-\x1f"\\\x7f\ud800-\udfff]').search  # what N-Triples must escape, and more
CHUNK = 20_000  # records per block of N-Triples


@dataclass
class Record:
    """One entity or fact as written in a source file."""

    file: str
    line: int
    fields: dict[str, object]
    lines: dict[str, int] | None = None  # each field's line; None: one a line from `line` on, in order

    def error(self, key: str | None, problem: str) -> InputError:
        return InputError(self.file, self.line_of(key), problem, key)

    def line_of(self, key: str | None) -> int:
        if self.lines is not None:
            return self.lines.get(key, self.line)
        return self.line + list(self.fields).index(key) if key in self.fields else self.line

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def closest(word: str, choices, n: int = 3) -> str:
    """`; did you mean a, b?` or nothing."""
    near = difflib.get_close_matches(word, list(choices), n=n, cutoff=0.6)
    return f"; did you mean {', '.join(near)}?" if near else ""


def literal(text: str, suffix: str = "") -> str:
    """A literal in N-Triples, `suffix` being `@lang` or `^^<datatype>`; pyoxigraph escapes the rare odd ones."""
    return f"{ox.Literal(text)}{suffix}" if NEEDS_ESCAPE(text) else f'"{text}"{suffix}'


Field = Callable[[Record, str, object], str]  # (record, key, one value) -> "<predicate> object" in N-Triples


class RecordConverter:
    """Converts a whole set of records at once, so references can point anywhere.

    The output is N-Triples text, which the store parses far faster than Python
    builds pyoxigraph terms one by one."""

    def __init__(self, ontology: Ontology):
        self.ontology = ontology
        self.origins: dict[str, str] = {}
        self.iris: dict[str, str] = {}  # id -> IRI
        self.documents: dict[str, tuple[str, int]] = {}  # file name -> (document IRI, line count)
        self.citations: dict[str, str] = {}  # a `source` value already checked -> `<citation IRI>`
        self.cited: set[str] = set()  # the citations whose triples are written
        self.classes = {name: f"<{iri}>" for name, iri in ontology.classes.items()}
        self.kinds = {name: ontology.iri_kind(name) for name in ontology.classes}
        self.fields: dict[str, Field] = {
            "type": self._type,
            "name": self._text_field(PREF_LABEL, "@en"),
            **{lang: self._text_field(PREF_LABEL, f"@{lang}") for lang in LANGUAGES},
            "alt": self._text_field(ALT_LABEL, ""),
            "note": self._text_field(NOTE, "@en"),
            "wikidata": self._wikidata,
            "source": self._source,
        }
        self.out: list[str] = []

    def convert(self, records: list[Record]) -> Iterator[bytes]:
        """The records as N-Triples, a block of CHUNK records at a time, each checked on the way.
        Empties the list as it goes: the memory of converted records is free for the store."""
        self._index(records)
        self._documents(records)
        out = self.out
        records.reverse()
        while records:
            rec = records.pop()
            subject = f"<{self.iris[rec.fields['id']]}>"
            for key, value in rec.fields.items():
                items = value if isinstance(value, list) else (value,)
                if key == "id" or not items:
                    continue
                field = self.fields.get(key) or self._property(rec, key)
                for item in items:
                    out.append(f"{subject} {field(rec, key, item)} .\n")
            if "source" not in rec.fields:
                raise rec.error(None, f"record '{rec.fields['id']}' cites no source (add `source: FILE#Lnn`)")
            if len(records) % CHUNK == 0:
                yield "".join(out).encode()
                out.clear()

    def _index(self, records: list[Record]) -> None:
        iris = self.iris
        for rec in records:
            rid = rec.fields.get("id")
            if rid is None:
                raise rec.error(None, "record has no `id`")
            if not isinstance(rid, str) or not SLUG.match(rid):
                raise rec.error("id", f"{rid!r} is not a slug (lower-case letters, digits, '-')")
            cls = rec.fields.get("type")
            if cls is None:
                raise rec.error(None, f"record '{rid}' has no `type`")
            if cls not in self.ontology.classes:
                raise rec.error("type", f"unknown class {cls!r}{closest(str(cls), self.ontology.classes)}")
            if rid in iris:
                raise rec.error("id", f"duplicate id '{rid}' (first defined at {self.origins[iris[rid]]})")
            iri = f"{ID}{self.kinds[cls]}/{rid}"
            iris[rid] = iri
            self.origins[iri] = rec.where

    def _documents(self, records: list[Record]) -> None:
        for rec in records:
            if rec.fields["type"] == "SourceDocument":
                name, count = rec.fields.get("fileName"), rec.fields.get("lineCount")
                if not isinstance(name, str) or not isinstance(count, int):
                    raise rec.error(None, "a SourceDocument needs `fileName` and an integer `lineCount`")
                self.documents[name] = (f"{ID}source-document/{rec.fields['id']}", count)

    def _type(self, rec: Record, key: str, value) -> str:
        return f"<{RDF_TYPE}> {self.classes[value]}"

    def _text_field(self, predicate: str, suffix: str) -> Field:
        return partial(self._labelled, f"<{predicate}>", suffix)

    def _labelled(self, p: str, suffix: str, rec: Record, key: str, value) -> str:
        return f"{p} {literal(self._text(rec, key, value), suffix)}"

    def _text(self, rec: Record, key: str, value) -> str:
        text = str(value).strip() if isinstance(value, str | int | float) and not isinstance(value, bool) else ""
        if not text:
            raise rec.error(key, f"expected text, got {value!r}")
        return text

    def _wikidata(self, rec: Record, key: str, value) -> str:
        if not isinstance(value, str) or not re.fullmatch(r"Q[1-9]\d*", value):
            raise rec.error(key, f"{value!r} is not a Wikidata id like Q184")
        return f"<{SAME_AS}> {ox.NamedNode(WIKIDATA + value)}"

    def _source(self, rec: Record, key: str, value) -> str:
        cited = self.citations.get(value) if isinstance(value, str) else None
        return f"<{coop('source')}> {cited or self._citation(rec, value)}"

    def _citation(self, rec: Record, value) -> str:
        """The citation's IRI; its own triples the first time it is cited."""
        m = CITATION.match(str(value).strip())
        if not m:
            raise rec.error("source", f"{value!r} is not a citation like 002_e84c28b6cbc4fd91.txt#L359-L360")
        name, start = m["file"], int(m["start"])
        end = int(m["end"] or start)
        if name not in self.documents:
            raise rec.error("source", f"unknown source document {name!r}{closest(name, self.documents)}")
        doc_iri, count = self.documents[name]
        if not 1 <= start <= end <= count:
            raise rec.error("source", f"lines {start}-{end} are outside {name} (it has {count} lines)")
        lines = f"L{start}" + (f"-L{end}" if end != start else "")
        iri = str(ox.NamedNode(f"{ID}citation/{name.rsplit('.', 1)[0]}-{lines}"))
        if iri not in self.cited:
            self.cited.add(iri)
            integer = f"^^<{XSD}integer>"
            self.out += (
                f"{iri} <{RDF_TYPE}> <{coop('Citation')}> .\n",
                f"{iri} <{LABEL}> {literal(f'{name}#{lines}')} .\n",
                f"{iri} <{coop('document')}> <{doc_iri}> .\n",
                f"{iri} <{coop('lineStart')}> {literal(str(start), integer)} .\n",
                f"{iri} <{coop('lineEnd')}> {literal(str(end), integer)} .\n",
            )
        if isinstance(value, str):
            self.citations[value] = iri
        return iri

    def _property(self, rec: Record, key: str) -> Field:
        """How the values of an ontology property become RDF, worked out once per property."""
        prop = self.ontology.properties.get(key)
        if prop is None:
            known = FIXED | set(self.ontology.properties)
            raise rec.error(key, f"unknown field{closest(key, known)}")
        p = f"<{prop.iri}>"
        if prop.is_object:
            field = partial(self._reference, p)
        elif prop.allowed:
            field = partial(self._vocabulary, p, prop.allowed, {v: f"{p} {literal(v)}" for v in prop.allowed})
        elif key == "date":
            field = partial(self._date, p, {})
        elif prop.range in (XSD + "decimal", XSD + "integer"):
            field = partial(self._number, p, prop.range)
        else:
            field = self._text_field(prop.iri, "")
        self.fields[key] = field
        return field

    def _reference(self, p: str, rec: Record, key: str, value) -> str:
        target = self.iris.get(value) if isinstance(value, str) else None
        if target is None:
            raise rec.error(key, f"unknown entity {value!r}{closest(str(value), self.iris)}")
        return f"{p} <{target}>"

    def _vocabulary(self, p: str, allowed: tuple[str, ...], terms: dict[str, str], rec: Record, key: str, value) -> str:
        if value not in allowed:
            raise rec.error(key, f"{value!r} is not one of: {', '.join(allowed)}")
        return terms[value]

    def _number(self, p: str, datatype: str, rec: Record, key: str, value) -> str:
        return f"{p} {number(rec, key, value, datatype)}"

    def _date(self, p: str, seen: dict, rec: Record, key: str, value) -> str:
        """Dates repeat: each value is parsed once (kept with its type, as `2016` and `2016.0` are equal)."""
        known = (type(value), value) if isinstance(value, str | int | dt.date) else None
        term = seen.get(known)
        if term is None:
            term = f"{p} {parse_date(rec, key, value)}"
            if known:
                seen[known] = term
        return term


def parse_date(rec: Record, key: str, value) -> str:
    """A year (gYear), a year and month (gYearMonth) or a day (date), as the source gives it."""
    if isinstance(value, dt.date):
        return literal(value.isoformat(), f"^^<{XSD}date>")
    text = str(value).strip()
    try:
        if re.fullmatch(r"\d{4}", text):
            kind = "gYear"
        elif re.fullmatch(r"\d{4}-\d{2}", text):
            dt.date(int(text[:4]), int(text[5:]), 1)
            kind = "gYearMonth"
        else:
            dt.date.fromisoformat(text)
            kind = "date"
    except ValueError:
        raise rec.error(key, f"{value!r} is not a date (use 2016, 2016-05 or 2016-05-12)") from None
    if not 1900 <= int(text[:4]) <= 2100:
        raise rec.error(key, f"{value!r} is not a plausible year")
    return literal(text, f"^^<{XSD}{kind}>")


def number(rec: Record, key: str, value, datatype: str) -> str:
    """A decimal or an integer, as the datatype asks."""
    if isinstance(value, bool):
        raise rec.error(key, f"expected a number, got {value!r}")
    try:
        number = Decimal(str(value).replace("_", ""))
    except InvalidOperation:
        raise rec.error(key, f"expected a number, got {value!r}") from None
    if datatype == XSD + "integer":
        if number != number.to_integral_value():
            raise rec.error(key, f"expected a whole number, got {value!r}")
        return literal(str(int(number)), f"^^<{datatype}>")
    return literal(format(number.normalize(), "f"), f"^^<{datatype}>")
