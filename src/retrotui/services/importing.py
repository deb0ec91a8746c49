"""Getting Retro Documents in: create a retrospective, or merge into the one with its id.

Every import is one transaction: it commits everything or nothing. Dry runs go through the
same code inside a transaction that is rolled back, so what they report is exactly what a
real import would do. Timeline files (CSV, JSON Lines, Slack) are in `timeline_import`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, tzinfo
from pathlib import Path

from retrotui.core.import_report import DocumentImportReport
from retrotui.errors import UserError, ValidationError
from retrotui.formats.document_reader import RetroDocument, parse_document
from retrotui.formats.document_reader_v2 import SyncDocument
from retrotui.formats.timeline_rows import decode_text, read_bytes
from retrotui.store.document_merge_v1 import RefHeldError, merge_document
from retrotui.store.errors import IncidentRefTakenError
from retrotui.store.repository import Store
from retrotui.store.tombstones import RetroDeletedError

Progress = Callable[[int, int], None]
CHUNK = 5000

# -- Retro Documents -----------------------------------------------------------------------


def read_document(path: Path, *, zone: tzinfo | None = None) -> RetroDocument | SyncDocument:
    return parse_document(decode_text(read_bytes(path), str(path)), source=str(path), zone=zone)


@dataclass
class DocumentPreview:
    """A Retro Document as read, and what importing it would do (a dry run). Importing
    `document` afterwards applies exactly what was read, whatever the file says by then."""

    document: RetroDocument | SyncDocument
    report: DocumentImportReport


def preview_document(store: Store, path: Path, *, zone: tzinfo | None = None) -> DocumentPreview:
    document = read_document(path, zone=zone)
    return DocumentPreview(document, import_document(store, document, dry_run=True))


def import_document(
    store: Store,
    doc: RetroDocument | SyncDocument,
    *,
    dry_run: bool = False,
    restore: bool = False,
) -> DocumentImportReport:
    """Create the document's retrospective, or merge into the one with its id. One this
    database deleted after the document's last edit is refused (UserError, nothing
    changes) unless `restore`; a newer document brings it back, and the report says so."""
    try:
        report = merge_document(store, doc, dry_run=dry_run, restore=restore)
    except RetroDeletedError as gone:
        raise DeletedRetroError(_deleted_problem(gone) + ".") from None
    except RefHeldError as held:
        from retrotui.services.retros import ref_taken_sentence

        raise ValidationError(
            ref_taken_sentence(held.ref, held.holder_id, held.holder_title)
        ) from None
    except IncidentRefTakenError:
        # Taken by another process between the check and the commit (the unique index).
        from retrotui.services.retros import check_ref_free

        check_ref_free(store, str(doc.values.get("incident_ref") or ""))
        raise
    report.dry_run = dry_run
    return report


class DeletedRetroError(UserError):
    """The document's retrospective was deleted here after the document's last edit (each
    front end adds how to import it anyway: `--restore` on the command line)."""


def _deleted_problem(gone: RetroDeletedError) -> str:
    deleted = f"{gone.deleted_at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"
    if gone.edited_at is None:
        return (
            f"{gone.title!r} was deleted from this database on {deleted}, and a v1 document "
            "has no edit times to show it is newer; nothing was imported"
        )
    edited = f"{gone.edited_at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"
    return (
        f"{gone.title!r} was deleted from this database on {deleted}, after the document's "
        f"last edit ({edited}); nothing was imported"
    )
