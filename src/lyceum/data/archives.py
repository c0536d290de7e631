"""arXiv source archives: one paper per `.tar.gz`/`.tgz`/`.tar`, or a single gzipped file.

arXiv serves a paper's source as a gzipped tarball of the LaTeX project or, for one-file
papers, as the gzipped `.tex` (sometimes a PDF) alone. The archive is unpacked into a private
temporary directory and handed to `lyceum.data.extract`, which finds the main file and
inlines its inputs (only from inside that directory).

The archive is hostile until read: it is streamed member by member, and the number of
members and the bytes they unpack to are counted as they come, so a bomb is refused before
the rest of it is decompressed. Only regular files with relative paths inside the directory
are written (no links, devices, absolute or `..` paths).
"""

from __future__ import annotations

import gzip
import re
import tarfile
import tempfile
import zlib
from pathlib import Path

from lyceum.data.extract import Document, ExtractionError, extract_latex, extract_pdf
from lyceum.data.extract.latex import extract_latex_project, find_main_file, is_main_file

ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".gz")
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
"""Bytes an archive may unpack to in all (every member counted, written or skipped)."""
MAX_MEMBERS = 10_000
"""Members an archive may hold; arXiv sources hold tens, rarely a few thousand."""
MAX_SINGLE_FILE_BYTES = 64 * 1024 * 1024
"""Bytes a gzipped single file (one .tex or PDF) may unpack to."""
_ARXIV_NAME_RE = re.compile(r"^(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?[/_]?\d{7})(v\d+)?")


class CorruptArchiveError(ExtractionError):
    """The archive cannot be decompressed or unpacked."""


def is_archive(path: Path | str) -> bool:
    name = Path(path).name.lower()
    return name.endswith(ARCHIVE_SUFFIXES)


def arxiv_id_from_name(path: Path | str) -> str | None:
    """The arXiv identifier an archive's file name carries (`2101.00001v2.tar.gz`,
    `hep-th9901001.gz`), without version; None if the name is not one."""
    stem = Path(path).name
    for suffix in ARCHIVE_SUFFIXES:
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    match = _ARXIV_NAME_RE.match(stem)
    if not match:
        return None
    ident = match.group(1)
    old_style = re.match(r"^([a-z\-]+(?:\.[A-Z]{2})?)[/_]?(\d{7})$", ident)
    return f"{old_style.group(1)}/{old_style.group(2)}" if old_style else ident


def _unpack(tar: tarfile.TarFile, workdir: Path, name: str) -> None:
    """Stream `tar`'s members into `workdir`: regular files with safe relative paths only,
    refusing the archive as soon as it passes MAX_MEMBERS or MAX_UNPACKED_BYTES."""
    members = total = 0
    for member in tar:
        members += 1
        total += max(member.size, 0)
        if members > MAX_MEMBERS:
            raise CorruptArchiveError(
                f"{name}: more than {MAX_MEMBERS} members", hint="Not read: it may be a bomb."
            )
        if total > MAX_UNPACKED_BYTES:
            raise CorruptArchiveError(
                f"{name}: unpacks to more than {MAX_UNPACKED_BYTES} bytes",
                hint="Not read: it may be a bomb.",
            )
        parts = Path(member.name).parts
        if not member.isfile() or member.name.startswith("/") or ".." in parts:
            continue
        tar.extract(member, workdir, filter="data")


def _from_tar(path: Path, workdir: Path, arxiv_id: str | None) -> Document:
    try:
        # "r|*" reads the archive as a stream: no member index is built up front.
        with tarfile.open(path, "r|*") as tar:
            _unpack(tar, workdir, str(path))
    except CorruptArchiveError:
        raise
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise CorruptArchiveError(f"{path}: corrupt archive ({exc})") from exc
    files = [p for p in workdir.rglob("*") if p.is_file()]
    main = find_main_file([p for p in files if p.suffix.lower() in (".tex", ".latex")])
    if main is not None:
        return extract_latex_project(main)
    pdfs = sorted(p for p in files if p.suffix.lower() == ".pdf")
    if pdfs:
        return extract_pdf(pdfs[0].read_bytes(), str(path))
    raise ExtractionError(f"{path}: no LaTeX main file or PDF in the archive")


def _from_gzip(path: Path, arxiv_id: str | None) -> Document:
    try:
        with gzip.open(path, "rb") as fh:
            data = fh.read(MAX_SINGLE_FILE_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise CorruptArchiveError(f"{path}: corrupt gzip file ({exc})") from exc
    if len(data) > MAX_SINGLE_FILE_BYTES:
        raise CorruptArchiveError(f"{path}: unpacks to more than {MAX_SINGLE_FILE_BYTES} bytes")
    if data.startswith(b"%PDF"):
        return extract_pdf(data, str(path))
    if b"\x00" in data[:8192]:
        raise ExtractionError(f"{path}: binary content that is neither LaTeX nor PDF")
    text = data.decode("utf-8", errors="replace")
    if not is_main_file(text) and "\\begin{document}" not in text and "\\section" not in text:
        raise ExtractionError(f"{path}: gzipped file is not LaTeX")
    return extract_latex(text, name=str(path), arxiv_id=arxiv_id)


def extract_archive(path: Path | str) -> Document:
    """The paper in an arXiv-style source archive. Raises `CorruptArchiveError` for archives
    that cannot be unpacked and `ExtractionError` for ones without a paper in them."""
    path = Path(path)
    arxiv_id = arxiv_id_from_name(path)
    is_tar = path.name.lower().endswith((".tar.gz", ".tgz", ".tar"))
    if not is_tar and path.name.lower().endswith(".gz"):
        # arXiv names gzipped tarballs `ID.gz` too; the content decides.
        try:
            is_tar = tarfile.is_tarfile(path)
        except (OSError, EOFError, zlib.error):
            is_tar = False
    if is_tar:
        with tempfile.TemporaryDirectory(prefix="lyceum-archive-") as tmp:
            workdir = Path(tmp) / (arxiv_id or "paper").replace("/", "_")
            workdir.mkdir()
            doc = _from_tar(path, workdir, arxiv_id)
            doc.metadata.pop("files", None)  # temporary paths, meaningless after cleanup
    else:
        doc = _from_gzip(path, arxiv_id)
    doc.source = str(path)
    if arxiv_id and not doc.arxiv_id:
        doc.arxiv_id = arxiv_id
    doc.metadata["archive"] = str(path)
    return doc
