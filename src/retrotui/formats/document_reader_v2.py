"""Reading Retro Document v2: every record with its id, times and links, and tombstones.

Follows `formats.document_fields` key by key, with the same error style as v1 (file, JSON
path, what was expected; unknown keys are warnings). Values come out as the merge compares
them: model column values, links as public ids (a link to a deleted record reads as none).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic_core import PydanticUndefined as Undefined

from retrotui.core.factors import FACTOR_ID, MAX_NAME
from retrotui.formats.document_fields import (
    COLLECTIONS,
    RETRO_FIELDS,
    Collection,
    FieldSpec,
)
from retrotui.models import LabelKind, Retrospective

if TYPE_CHECKING:
    from retrotui.formats.document_reader import _Reader

TOP_KEYS = {
    "$schema", "format", "version", "id", "revision", "base_revision", "created_at",
    "updated_at", *(spec.key for spec in RETRO_FIELDS), *(c.key for c in COLLECTIONS),
}  # fmt: skip


@dataclass
class SyncRecord:
    """One record of a v2 document: live (with values) or a tombstone."""

    public_id: str
    path: str
    updated_at: datetime
    deleted: bool = False
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class SyncDocument:
    doc_id: str
    revision: datetime
    base_revision: datetime | None
    created_at: datetime
    updated_at: datetime
    values: dict[str, Any]
    records: dict[str, list[SyncRecord]]
    warnings: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return str(self.values["title"])


def read_v2(reader: _Reader, data: dict[str, Any]) -> SyncDocument:
    return _V2(reader).document(data)


class _V2:
    def __init__(self, reader: _Reader) -> None:
        self.r = reader

    def document(self, data: dict[str, Any]) -> SyncDocument:
        r = self.r
        r.unknown(data, TOP_KEYS, "")
        doc_id = r.string(data, "id", "", required=True, nonempty=True)
        revision = self.stamp(data, "revision", "")
        created = self.stamp(data, "created_at", "")
        updated = self.stamp(data, "updated_at", "")
        base = None
        if data.get("base_revision") is not None:
            base = self.stamp(data, "base_revision", "")
        values = self.fields(RETRO_FIELDS, data, "", Retrospective)
        records: dict[str, list[SyncRecord]] = {}
        for collection in COLLECTIONS:
            records[collection.key] = [
                self.record(collection, f"{collection.key}[{index}]", item)
                for index, item in enumerate(self.array(data, collection.key))
            ]
            self.unique(records[collection.key], by_name=collection.key == "labels")
        self.links(records)
        return SyncDocument(doc_id, revision, base, created, updated, values, records, r.warnings)

    def array(self, data: dict[str, Any], key: str) -> list[Any]:
        value = data.get(key, [])
        if not isinstance(value, list):
            self.r.fail(key, "expected an array")
        return value

    def record(self, collection: Collection, path: str, item: Any) -> SyncRecord:
        r = self.r
        if not isinstance(item, dict):
            r.fail(path, "expected an object")
        public_id = r.string(item, "id", path, required=True, nonempty=True)
        updated = self.stamp(item, "updated_at", path)
        deleted = item.get("deleted", False)
        if not isinstance(deleted, bool):
            r.fail(f"{path}.deleted", "expected true or false")
        if deleted:
            r.unknown(item, {"id", "deleted", "updated_at", "created_at"}, path)
            return SyncRecord(public_id, path, updated, deleted=True)
        known = {"id", "deleted", "created_at", "updated_at", *(s.key for s in collection.fields)}
        r.unknown(item, known, path)
        values = self.fields(collection.fields, item, path, collection.model)
        if collection.key == "labels":
            self.label(values, path)
        created, offset = r.instant(item, "created_at", path)
        values["created_at"] = updated if created is None else created
        if collection.created_offset:
            values["created_at_offset"] = offset
        return SyncRecord(public_id, path, updated, values=values)

    def fields(
        self, specs: tuple[FieldSpec, ...], obj: dict[str, Any], path: str, model: Any
    ) -> Any:
        """The values of `specs` in `obj`; a key left out takes the model's default."""
        values: dict[str, Any] = {}
        for spec in specs:
            nullable = spec.kind.endswith("?") or spec.kind == "ref"
            if obj.get(spec.key) is None and spec.key in obj and nullable:
                obj = {k: v for k, v in obj.items() if k != spec.key}
            default = model.model_fields[spec.column].default
            values.update(self.value(spec, obj, path, None if default is Undefined else default))
        return values

    def value(self, spec: FieldSpec, obj: dict[str, Any], path: str, default: Any) -> Any:
        r, kind, key = self.r, spec.kind, spec.key
        where = f"{path}.{key}" if path else key
        if kind.startswith("instant"):
            instant, offset = r.instant(obj, key, path, required=kind == "instant")
            return {spec.column: instant, f"{spec.column}_offset": offset}
        if kind == "utc?":
            return {spec.column: self.stamp(obj, key, path) if key in obj else None}
        if kind == "date?":
            return {spec.column: r.due(obj, path) if key == "due" else None}
        if kind.startswith("enum"):
            assert spec.enum is not None
            return {spec.column: r.enum(obj, key, path, spec.enum, default)}
        if kind in ("bool", "int"):
            fallback = default if default is not None else (0 if kind == "int" else False)
            value = obj.get(key, fallback)
            if isinstance(value, bool) != (kind == "bool") or not isinstance(value, int):
                r.fail(where, "expected true or false" if kind == "bool" else "expected a number")
            return {spec.column: value}
        if kind == "text":
            text = r.string(obj, key, path, required=spec.nonempty, nonempty=spec.nonempty)
            return {spec.column: default if text is None else text}
        return {spec.column: r.string(obj, key, path, default=None)}  # text?, ref

    def label(self, values: dict[str, Any], path: str) -> None:
        """A factor id or a tag as the app stores it (what `change_labels` would make)."""
        kind, name = values["kind"], values["name"]
        if kind is None:
            self.r.fail(f"{path}.kind", "expected one of factor, tag, but the key is missing")
        if len(name) > MAX_NAME:
            self.r.fail(f"{path}.name", f"expected at most {MAX_NAME} characters")
        folded = " ".join(name.split()).casefold()
        if kind == LabelKind.TAG and name != folded:
            self.r.fail(f"{path}.name", f"expected a tag as stored ({folded!r}), got {name!r}")
        if kind == LabelKind.FACTOR and not FACTOR_ID.match(name):
            self.r.fail(f"{path}.name", f"expected a factor id such as 'alerting', got {name!r}")

    def stamp(self, obj: dict[str, Any], key: str, path: str) -> datetime:
        value, _ = self.r.instant(obj, key, path, required=True)
        return value  # type: ignore[no-any-return]

    def unique(self, records: list[SyncRecord], *, by_name: bool = False) -> None:
        seen: dict[str, str] = {}
        names: dict[tuple[Any, Any], str] = {}
        for record in records:
            if by_name and not record.deleted:  # labels: one per kind and name
                name = (record.values["kind"], record.values["name"])
                if name in names:
                    self.r.fail(
                        f"{record.path}.name",
                        f"expected each {name[0]} once, but {name[1]!r} is also at {names[name]}",
                    )
                names[name] = record.path
            if record.public_id in seen:
                self.r.fail(
                    f"{record.path}.id",
                    f"expected a unique id, but {record.public_id!r} is also at "
                    f"{seen[record.public_id]}",
                )
            seen[record.public_id] = record.path

    def links(self, records: dict[str, list[SyncRecord]]) -> None:
        """A link names a record of its collection; one to a deleted record reads as none."""
        for collection in COLLECTIONS:
            for spec in collection.fields:
                if spec.kind != "ref":
                    continue
                assert spec.ref is not None
                targets = {t.public_id: t.deleted for t in records[spec.ref]}
                for record in records[collection.key]:
                    ref = record.values.get(spec.column)
                    if ref is None:
                        continue
                    if ref not in targets:
                        self.r.fail(
                            f"{record.path}.{spec.key}",
                            f"expected the id of a record in {spec.ref}, "
                            f"but there is none with id {ref!r}",
                        )
                    if targets[ref]:
                        record.values[spec.column] = None
