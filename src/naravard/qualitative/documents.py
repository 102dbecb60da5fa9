"""Uploaded documents (a region's plan, interview notes): the text of a PDF (its text layer,
read by pypdf) or of a UTF-8 text file, refused with a clear reason when there is none."""

from __future__ import annotations

import hashlib
import io
import logging
import re

from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from naravard.core.errors import Invalid
from naravard.core.text import clean_text

MAX_BYTES = 20 * 1024 * 1024
MAX_PAGES = 500
MAX_CHARS = 2_000_000

logging.getLogger("pypdf").setLevel(logging.ERROR)  # pypdf warns about harmless quirks


class DocumentError(Invalid):
    """A document whose text cannot be read; the message names the file and why."""


def fingerprint(data: bytes) -> str:
    """The file's SHA-256: the same file is stored once per organisation."""
    return hashlib.sha256(data).hexdigest()


def extract_text(name: str, data: bytes) -> str:
    """The text of an uploaded PDF or plain-text file."""
    if not data:
        raise DocumentError(_("%(name)s är tom.") % {"name": name})
    if len(data) > MAX_BYTES:
        raise DocumentError(
            _("%(name)s är större än %(mb)s MB.") % {"name": name, "mb": MAX_BYTES // (1024 * 1024)}
        )
    if data.startswith(b"%PDF-"):
        text = _pdf_text(name, data)
    elif name.lower().endswith(".pdf"):
        raise DocumentError(_("%(name)s heter .pdf men är ingen PDF-fil.") % {"name": name})
    elif name.lower().endswith((".txt", ".md")):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DocumentError(
                _("%(name)s är inte kodad i UTF-8 (fel vid byte %(at)s).")
                % {"name": name, "at": exc.start}
            ) from None
        if "\x00" in text:
            raise DocumentError(_("%(name)s är ingen textfil.") % {"name": name})
    else:
        raise DocumentError(
            _("%(name)s: bara PDF- och textfiler (.pdf, .txt) kan läsas.") % {"name": name}
        )
    text = clean_text(text).strip()  # a PDF's text layer may hold NUL and other controls
    if not text:
        raise DocumentError(_("%(name)s innehåller ingen text.") % {"name": name})
    if len(text) > MAX_CHARS:
        raise DocumentError(
            _("%(name)s har mer än %(n)s tecken text.")
            % {"name": name, "n": f"{MAX_CHARS:,}".replace(",", " ")}
        )
    return text


def reflow(page: str) -> str:
    """A PDF page's lines joined into paragraphs: a line break inside a paragraph becomes a
    space (a word split with a hyphen is joined again); an empty line ends a paragraph."""
    page = re.sub(r"(?<=[a-zåäö])-\n(?=[a-zåäö])", "", page)
    paragraphs = re.split(r"\n\s*\n", page)
    return "\n\n".join(re.sub(r"\s*\n\s*", " ", p).strip() for p in paragraphs if p.strip())


def _pdf_text(name: str, data: bytes) -> str:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise DocumentError(
                _("%(name)s är lösenordsskyddad; ladda upp en olåst version.") % {"name": name}
            )
        if len(reader.pages) > MAX_PAGES:
            raise DocumentError(
                _("%(name)s har fler än %(n)s sidor.") % {"name": name, "n": MAX_PAGES}
            )
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
    except DocumentError:
        raise
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
        OSError,
    ) as exc:
        raise DocumentError(
            _("%(name)s kunde inte läsas som PDF (%(why)s).")
            % {"name": name, "why": type(exc).__name__}
        ) from None
    text = "\n\n".join(reflow(p) for p in pages if p)
    if not text:
        raise DocumentError(
            _(
                "%(name)s har inget textlager (en inskannad bild?); den kan inte "
                "kodas förrän texten tolkats."
            )
            % {"name": name}
        )
    return text
