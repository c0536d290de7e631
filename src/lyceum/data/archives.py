"""arXiv source archives: one paper per `.tar.gz`/`.tgz`/`.tar`, or a single gzipped file.

arXiv serves a paper's source as a gzipped tarball of the LaTeX project or, for one-file
papers, as the gzipped `.tex` (sometimes a PDF) alone. The archive is unpacked into a private
temporary directory (regular files only, no links, no paths escaping it, size-capped) and
handed to `lyceum.data.extract`, which finds the main file and inlines its inputs.
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


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members, total = [], 0
    for member in tar.getmembers():
        if not member.isfile():
            continue
        parts = Path(member.name).parts
        if member.name.startswith("/") or ".." in parts:
            continue
        total += member.size
        if total > MAX_UNPACKED_BYTES:
            raise CorruptArchiveError(f"archive unpacks to more than {MAX_UNPACKED_BYTES} bytes")
        members.append(member)
    return members


def _from_tar(path: Path, workdir: Path, arxiv_id: str | None) -> Document:
    try:
        with tarfile.open(path, "r:*") as tar:
            members = _safe_members(tar)
            tar.extractall(workdir, members=members, filter="data")
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
            data = fh.read(MAX_UNPACKED_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise CorruptArchiveError(f"{path}: corrupt gzip file ({exc})") from exc
    if len(data) > MAX_UNPACKED_BYTES:
        raise CorruptArchiveError(f"{path}: unpacks to more than {MAX_UNPACKED_BYTES} bytes")
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
