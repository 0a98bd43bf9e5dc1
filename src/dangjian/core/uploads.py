"""Uploaded evidence: photos (jpg, png) and PDFs, checked by content, not only by name."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# Extension -> leading bytes the file must start with: photos and PDFs only.
EVIDENCE_TYPES = {"jpg": b"\xff\xd8\xff", "jpeg": b"\xff\xd8\xff", "png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-"}


def check_evidence(file, *, field: str) -> None:
    """Evidence files are photos (jpg, png) or PDFs up to 10 MB, checked by content, not only by name."""
    if not file:
        return
    ext = (file.name.rsplit(".", 1)[-1] if "." in file.name else "").lower()
    magic = EVIDENCE_TYPES.get(ext)
    head = file.read(16)
    file.seek(0)
    if magic is None or not head.startswith(magic):
        raise ValidationError({field: _("Evidence files must be JPG or PNG pictures or PDF files")})
    if file.size > MAX_EVIDENCE_BYTES:
        raise ValidationError({field: _("Evidence files can be at most 10 MB")})
