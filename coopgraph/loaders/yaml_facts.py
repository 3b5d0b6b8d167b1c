"""Read the curated YAML files into records that remember their file and lines."""

from __future__ import annotations

from pathlib import Path

import yaml

from coopgraph.errors import InputError
from coopgraph.loaders.records import Record
from coopgraph.loaders.simple_yaml import read_simple

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: several times faster


def read_yaml(path: Path, shown_as: str) -> list[Record]:
    """One record per list item; every field keeps the line it was written on. Files in the
    usual style are read by `simple_yaml`, the rest (and any mistake) by PyYAML."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise InputError(shown_as, None, f"not UTF-8 text ({e.reason})") from None
    records = read_simple(text, shown_as)
    return read_with_pyyaml(text, shown_as) if records is None else records


def read_with_pyyaml(text: str, shown_as: str) -> list[Record]:
    """PyYAML's reading, for any YAML and for the exact place of any mistake."""
    loader = LOADER(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return []
        if not isinstance(root, yaml.SequenceNode):
            raise InputError(shown_as, _line(root), "expected a list of records (`- id: ...`)")
        return [_record(loader, item, shown_as) for item in root.value]
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        raise InputError(shown_as, mark.line + 1 if mark else None, f"YAML: {e.problem}") from None
    finally:
        loader.dispose()


def _record(loader, node: yaml.Node, shown_as: str) -> Record:
    if not isinstance(node, yaml.MappingNode):
        raise InputError(shown_as, _line(node), "expected a record (`key: value` lines)")
    fields, lines = {}, {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise InputError(shown_as, _line(key_node), f"field name {key!r} is not text")
        if key in fields:
            raise InputError(shown_as, _line(key_node), "given twice in one record", key)
        fields[key] = loader.construct_object(value_node, deep=True)
        lines[key] = _line(key_node)
    return Record(file=shown_as, line=_line(node), fields=fields, lines=lines)


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1
