"""Reading a tagged PDF's structure tree and bookmarks with pikepdf, for the report's tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pikepdf


@dataclass
class Tagged:
    """What a reader's assistive technology sees of a PDF."""

    lang: str
    title: str
    marked: bool
    display_title: bool
    ua_part: str | None  # the PDF/UA part its XMP metadata claims
    elements: list[tuple[str, str | None]]  # every structure element: (type, /Alt), in order
    bookmarks: list[tuple[int, str]]  # (level, title), in order

    def of_type(self, kind: str) -> list[tuple[str, str | None]]:
        return [e for e in self.elements if e[0] == kind]


def _walk(node, out: list[tuple[str, str | None]]) -> None:
    if isinstance(node, pikepdf.Dictionary) and "/S" in node:
        alt = node.get("/Alt")
        out.append((str(node.S)[1:], None if alt is None else str(alt)))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            _walk(kid, out)


def _bookmarks(items, level: int, out: list[tuple[int, str]]) -> None:
    for item in items:
        out.append((level, item.title))
        _bookmarks(item.children, level + 1, out)


def read(path: Path) -> Tagged:
    """The structure tree (StructTreeRoot must be there), language, title and bookmarks."""
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        elements: list[tuple[str, str | None]] = []
        for kid in root.StructTreeRoot.K:
            _walk(kid, elements)
        bookmarks: list[tuple[int, str]] = []
        with pdf.open_outline() as outline:
            _bookmarks(outline.root, 1, bookmarks)
        return Tagged(
            lang=str(root.get("/Lang", "")),
            title=str(pdf.docinfo.get("/Title", "")),
            marked=bool(root.get("/MarkInfo", {}).get("/Marked", False)),
            display_title=bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)),
            ua_part=pdf.open_metadata().get("pdfuaid:part"),
            elements=elements,
            bookmarks=bookmarks,
        )
