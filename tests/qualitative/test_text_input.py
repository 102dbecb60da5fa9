"""Text that PostgreSQL would refuse (the NUL character and other controls) is cleaned where it
enters the coding pages: a coding save, an uploaded document and its title, a search."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from naravard.qualitative import documents
from naravard.qualitative.models import Passage, Text, TextKind
from naravard.qualitative.texts import add_text
from naravard.refdata.models import Region

pytestmark = pytest.mark.django_db

BODY = "Mobila team besöker äldre i hemmet. Teamen arbetar dagtid."


def pdf_with_text(text: bytes) -> bytes:
    """A one-page PDF whose text layer is ``text`` (a PDF string: ``\\000`` is a NUL), in a
    standard font, as some PDF producers write it."""
    content = b"BT /F1 12 Tf 10 50 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 100] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for at in offsets:
        out.write(b"%010d 00000 n \n" % at)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


NUL_PDF = pdf_with_text(b"Mobila\\000 team\\001 i Kiruna bes\\366ker \\344ldre.")


def test_a_pdf_text_layer_with_nul_is_read_without_it():
    assert documents.extract_text("plan.pdf", NUL_PDF) == "Mobila team i Kiruna besöker äldre."
    text = documents.extract_text("anteckningar.txt", "Rad ett\x01\x1b\ttabb\r\nrad två".encode())
    assert text == "Rad ett\ttabb\r\nrad två"


@pytest.fixture
def analyst_client(client, make_user):
    client.force_login(make_user("analys-a", "analyst"))
    return client


def test_uploading_a_document_with_nul_in_its_text_and_title(analyst_client):
    reply = analyst_client.post(
        reverse("qualitative:upload"),
        {
            "organisation": "Kiruna\x00",
            "title": "Plan\x00 för Kiruna",
            "file": SimpleUploadedFile("plan.pdf", NUL_PDF, "application/pdf"),
        },
    )
    assert reply.status_code == 302, reply.content.decode()[:2000]
    text = Text.objects.get(kind=TextKind.DOCUMENT)
    assert (text.title, text.body) == ("Plan för Kiruna", "Mobila team i Kiruna besöker äldre.")
    assert text.municipality_id == "2584"


def test_a_coding_save_with_nul_in_the_form_is_stored_cleaned(analyst_client):
    text = add_text(
        kind="status_report", title="Rapport", body=BODY, region=Region.objects.get(code="25")
    )
    reply = analyst_client.post(
        reverse("qualitative:text", args=[text.pk]),
        {
            "start": 0,
            "end": 11,
            "quote": "Mobila\x00 team",
            "themes": ["mobila_team\x00"],
            "stage": "pilot\x00",
        },
    )
    assert reply.status_code == 302, reply.content.decode()[:2000]
    passage = Passage.objects.get(text=text)
    assert (passage.quote, passage.stage) == ("Mobila team", "pilot")


def test_a_search_with_nul_finds_what_the_words_find(analyst_client):
    add_text(kind="status_report", title="Rapport", body=BODY, region=Region.objects.get(code="25"))
    page = analyst_client.get(reverse("qualitative:search") + "?q=hemmet%00&region=25%00")
    assert page.status_code == 200
    assert "besöker äldre i <mark>hemmet</mark>" in page.content.decode()
