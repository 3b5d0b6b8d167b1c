"""Turn curated records (from any text format) into RDF, checking them on the way.

A record is a flat mapping of field names to values. `id`, `type`, `name`,
`alt`, the language labels, `wikidata`, `note` and `source` have fixed
meanings; every other field is an ontology property by its local name.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

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


@dataclass
class Record:
    """One entity or fact as written in a source file."""

    file: str
    line: int
    fields: dict[str, object]
    lines: dict[str, int] = field(default_factory=dict)

    def error(self, key: str | None, problem: str) -> InputError:
        return InputError(self.file, self.lines.get(key, self.line), problem, key)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def closest(word: str, choices, n: int = 3) -> str:
    """`; did you mean a, b?` or nothing."""
    near = difflib.get_close_matches(word, list(choices), n=n, cutoff=0.6)
    return f"; did you mean {', '.join(near)}?" if near else ""


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


class RecordConverter:
    """Converts a whole set of records at once, so references can point anywhere."""

    def __init__(self, ontology: Ontology):
        self.ontology = ontology
        self.quads: list[ox.Quad] = []
        self.origins: dict[str, str] = {}

    def convert(self, records: list[Record]) -> None:
        iris = self._index(records)
        documents = self._documents(records)
        citations: set[str] = set()
        for rec in records:
            subject = ox.NamedNode(iris[rec.fields["id"]][0])
            for key, value in rec.fields.items():
                if key == "id":
                    continue
                for item in as_list(value):
                    self._field(rec, subject, key, item, iris, documents, citations)
            if "source" not in rec.fields:
                raise rec.error(None, f"record '{rec.fields['id']}' cites no source (add `source: FILE#Lnn`)")

    def _index(self, records: list[Record]) -> dict[str, tuple[str, Record]]:
        iris: dict[str, tuple[str, Record]] = {}
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
                raise rec.error("id", f"duplicate id '{rid}' (first defined at {iris[rid][1].where})")
            iri = f"{ID}{self.ontology.iri_kind(cls)}/{rid}"
            iris[rid] = (iri, rec)
            self.origins[iri] = rec.where
        return iris

    def _documents(self, records: list[Record]) -> dict[str, tuple[str, int]]:
        """File name -> (document IRI, line count), from the SourceDocument records."""
        docs = {}
        for rec in records:
            if rec.fields["type"] == "SourceDocument":
                name, count = rec.fields.get("fileName"), rec.fields.get("lineCount")
                if not isinstance(name, str) or not isinstance(count, int):
                    raise rec.error(None, "a SourceDocument needs `fileName` and an integer `lineCount`")
                docs[name] = (f"{ID}source-document/{rec.fields['id']}", count)
        return docs

    def _add(self, s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal) -> None:
        self.quads.append(ox.Quad(s, ox.NamedNode(p), o))

    def _field(self, rec, subject, key, value, iris, documents, citations) -> None:
        if key == "type":
            self._add(subject, RDF_TYPE, ox.NamedNode(self.ontology.classes[value]))
        elif key == "name":
            self._add(subject, PREF_LABEL, ox.Literal(self._text(rec, key, value), language="en"))
        elif key in LANGUAGES:
            self._add(subject, PREF_LABEL, ox.Literal(self._text(rec, key, value), language=key))
        elif key == "alt":
            self._add(subject, ALT_LABEL, ox.Literal(self._text(rec, key, value)))
        elif key == "note":
            self._add(subject, NOTE, ox.Literal(self._text(rec, key, value), language="en"))
        elif key == "wikidata":
            if not isinstance(value, str) or not re.fullmatch(r"Q[1-9]\d*", value):
                raise rec.error(key, f"{value!r} is not a Wikidata id like Q184")
            self._add(subject, SAME_AS, ox.NamedNode(WIKIDATA + value))
        elif key == "source":
            cite = self._citation(rec, value, documents, citations)
            self._add(subject, coop("source"), cite)
        else:
            self._property(rec, subject, key, value, iris)

    def _text(self, rec: Record, key: str, value) -> str:
        if not isinstance(value, str | int | float) or isinstance(value, bool) or str(value).strip() == "":
            raise rec.error(key, f"expected text, got {value!r}")
        return str(value).strip()

    def _citation(self, rec, value, documents, citations) -> ox.NamedNode:
        m = CITATION.match(str(value).strip())
        if not m:
            raise rec.error("source", f"{value!r} is not a citation like 002_e84c28b6cbc4fd91.txt#L359-L360")
        name, start = m["file"], int(m["start"])
        end = int(m["end"] or start)
        if name not in documents:
            raise rec.error("source", f"unknown source document {name!r}{closest(name, documents)}")
        doc_iri, count = documents[name]
        if not 1 <= start <= end <= count:
            raise rec.error("source", f"lines {start}-{end} are outside {name} (it has {count} lines)")
        label = f"{name}#L{start}" + (f"-L{end}" if end != start else "")
        iri = ox.NamedNode(f"{ID}citation/{name.rsplit('.', 1)[0]}-L{start}" + (f"-L{end}" if end != start else ""))
        if iri.value not in citations:
            citations.add(iri.value)
            self._add(iri, RDF_TYPE, ox.NamedNode(coop("Citation")))
            self._add(iri, LABEL, ox.Literal(label))
            self._add(iri, coop("document"), ox.NamedNode(doc_iri))
            self._add(iri, coop("lineStart"), ox.Literal(str(start), datatype=ox.NamedNode(XSD + "integer")))
            self._add(iri, coop("lineEnd"), ox.Literal(str(end), datatype=ox.NamedNode(XSD + "integer")))
        return iri

    def _property(self, rec, subject, key, value, iris) -> None:
        prop = self.ontology.properties.get(key)
        if prop is None:
            known = FIXED | set(self.ontology.properties)
            raise rec.error(key, f"unknown field{closest(key, known)}")
        if prop.is_object:
            target = iris.get(value) if isinstance(value, str) else None
            if target is None:
                raise rec.error(key, f"unknown entity {value!r}{closest(str(value), iris)}")
            self._add(subject, prop.iri, ox.NamedNode(target[0]))
            return
        self._add(subject, prop.iri, self._literal(rec, key, value, prop))

    def _literal(self, rec, key, value, prop) -> ox.Literal:
        if prop.allowed:
            if value not in prop.allowed:
                raise rec.error(key, f"{value!r} is not one of: {', '.join(prop.allowed)}")
            return ox.Literal(value)
        if key == "date":
            return parse_date(rec, key, value)
        if prop.range in (XSD + "decimal", XSD + "integer"):
            return _number(rec, key, value, prop.range)
        return ox.Literal(self._text(rec, key, value))


def parse_date(rec: Record, key: str, value) -> ox.Literal:
    """A year (gYear), a year and month (gYearMonth) or a day (date), as the source gives it."""
    if isinstance(value, dt.date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
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
    return ox.Literal(text, datatype=ox.NamedNode(XSD + kind))


def _number(rec: Record, key: str, value, datatype: str) -> ox.Literal:
    if isinstance(value, bool):
        raise rec.error(key, f"expected a number, got {value!r}")
    try:
        number = Decimal(str(value).replace("_", ""))
    except InvalidOperation:
        raise rec.error(key, f"expected a number, got {value!r}") from None
    if datatype == XSD + "integer":
        if number != number.to_integral_value():
            raise rec.error(key, f"expected a whole number, got {value!r}")
        return ox.Literal(str(int(number)), datatype=ox.NamedNode(datatype))
    return ox.Literal(format(number.normalize(), "f"), datatype=ox.NamedNode(datatype))
