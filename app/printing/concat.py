"""Concatenate PDF files into one, streaming: each part is read, renumbered and written in turn.

ReportLab keeps every finished page of a document in memory until it is saved, so a long batch
is laid out in parts of a few dozen documents, each saved to a temporary file, and the parts are
copied object by object into the output. Only one part is ever held in memory; the output keeps
just the byte offsets of the objects written and the list of page references.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any, cast

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    TextStringObject,
)

PAGES, CATALOG, INFO = 1, 2, 3  # object numbers reserved for the objects written last
INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")


class _Counted:
    """A write-only byte sink that knows its position (works for pipes as well as files)."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.position = 0

    def write(self, data: bytes | str) -> int:
        raw = data.encode("latin-1") if isinstance(data, str) else data
        self.out.write(raw)
        self.position += len(raw)
        return len(raw)


class PdfConcatenator:
    """Writes the pages of several PDFs, in order, as one PDF."""

    def __init__(self, out: IO[bytes], *, title: str = "") -> None:
        self._out = _Counted(out)
        self._offsets: dict[int, int] = {}
        self._next = INFO + 1
        self._kids: list[int] = []
        self._title = title
        self._out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")

    @property
    def pages(self) -> int:
        """How many pages have been written so far."""
        return len(self._kids)

    def add(self, path: Path) -> None:
        """Append every page of the PDF at path (read once, then let go)."""
        reader = PdfReader(path)
        numbers: dict[tuple[int, int], int] = {}
        pending: list[tuple[int, Any]] = []

        def renumber(ref: IndirectObject) -> IndirectObject:
            key = (ref.idnum, ref.generation)
            if key not in numbers:
                numbers[key] = self._next
                self._next += 1
                pending.append((numbers[key], ref.get_object()))
            return IndirectObject(numbers[key], 0, None)

        def remap(obj: Any) -> Any:
            if isinstance(obj, IndirectObject):
                return renumber(obj)
            if isinstance(obj, DictionaryObject):
                for key, value in list(obj.items()):
                    if key == "/Parent":  # page-tree links are rebuilt; nothing else here has one
                        del obj[key]
                    else:
                        obj[NameObject(key)] = remap(value)
            elif isinstance(obj, ArrayObject):
                for i, value in enumerate(obj):
                    obj[i] = remap(value)
            return obj

        for page in reader.pages:
            ref = page.indirect_reference
            if ref is None:
                continue
            raw = reader.get_object(ref)
            assert isinstance(raw, DictionaryObject)
            for key in INHERITED:
                if key not in raw and key in page:
                    raw[NameObject(key)] = page[key]
            number = renumber(ref).idnum
            self._kids.append(number)
            while pending:
                n, obj = pending.pop()
                remap(obj)
                if n == number:
                    obj[NameObject("/Parent")] = IndirectObject(PAGES, 0, None)
                self._write(n, obj)
        reader.stream.close()

    def _write(self, number: int, obj: PdfObject) -> None:
        self._offsets[number] = self._out.position
        self._out.write(f"{number} 0 obj\n")
        obj.write_to_stream(cast(IO[bytes], self._out))
        self._out.write(b"\nendobj\n")

    def close(self) -> None:
        """Write the page tree, catalogue, document info and cross-reference table."""
        pages = DictionaryObject({
            NameObject("/Type"): NameObject("/Pages"), NameObject("/Count"): NumberObject(len(self._kids)),
            NameObject("/Kids"): ArrayObject(IndirectObject(n, 0, None) for n in self._kids)})
        catalog = DictionaryObject({NameObject("/Type"): NameObject("/Catalog"),
                                    NameObject("/Pages"): IndirectObject(PAGES, 0, None)})
        info = DictionaryObject({NameObject("/Producer"): TextStringObject("村医"),
                                 NameObject("/Creator"): TextStringObject("村医"),
                                 NameObject("/Author"): TextStringObject("村医")})
        if self._title:
            info[NameObject("/Title")] = TextStringObject(self._title)
        for number, obj in ((PAGES, pages), (CATALOG, catalog), (INFO, info)):
            self._write(number, obj)
        start = self._out.position
        size = self._next
        lines = [f"xref\n0 {size}\n", "0000000000 65535 f \n"]
        lines += [f"{self._offsets.get(n, 0):010d} 00000 {'n' if n in self._offsets else 'f'} \n"
                  for n in range(1, size)]
        lines.append(f"trailer\n<< /Size {size} /Root {CATALOG} 0 R /Info {INFO} 0 R >>\n"
                     f"startxref\n{start}\n%%EOF\n")
        self._out.write("".join(lines))
