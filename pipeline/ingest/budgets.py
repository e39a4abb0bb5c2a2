"""How much of one file is read: bytes, characters, pages, OCR pages, seconds and zip parts.

A file or text too large to analyse in reasonable time becomes an error row with a Norwegian reason
(:class:`~pipeline.ingest.extracted.IngestError`), not a run of hours: each check here raises one
when its budget (``MAX_*``) is spent.
"""

from __future__ import annotations

import io
import signal
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar

from pipeline.ingest.extracted import IngestError

# The text limit is ~700 dense pages, several times the longest real response: 2 million characters
# give ~7,000 comments, which take the embedding step ~10 minutes on a 2-core laptop CPU (the whole
# bundled round of 34 comments takes under a minute), the OCR repair ~10 s.
MB = 1024 * 1024
MAX_TEXT_CHARS = 2_000_000  # characters of extracted text
CHARS_PER_PAGE = 3_000  # a dense page of Norwegian prose, for the message
MAX_TXT_BYTES = 8 * MB  # a .txt larger than this can't hold <= MAX_TEXT_CHARS (4 bytes a char in UTF-32)
MAX_FILE_BYTES = 200 * MB  # any other file (a scanned PDF of 100 colour pages is ~100 MB)
MAX_PDF_PAGES = 1_000  # pages of a PDF with a text layer
MAX_OCR_PAGES = 300  # pages of a scan (PDF or multi-page TIFF) read with OCR: ~3 s each
# Budgets of a .docx or .odt, checked on its zip directory before any XML is parsed: a small file can
# unpack to gigabytes, or hold millions of empty paragraphs that take minutes and gigabytes to build.
MAX_ZIP_ENTRIES = 2_000
MAX_UNZIPPED_BYTES = 200 * MB  # every part together, as the zip directory declares (reads never exceed it)
MAX_XML_BYTES = 25 * MB  # the main text part (word/document.xml, content.xml), ~10 times the longest real one
MAX_PARAGRAPHS = 50_000  # paragraphs in the main part; a 300-page response has a few thousand
MAX_PARSE_SECONDS = 60  # reading a file's text (not OCR: see pipeline.ingest.tesseract); a long real one takes a few

_OCR_PAGES_LEFT: ContextVar[list[int] | None] = ContextVar("ocr_pages_left", default=None)


def _megabytes(size: int) -> str:
    value = round(size / MB, 1)
    return f"{value:.0f}" if value >= 10 or value.is_integer() else f"{value:.1f}".replace(".", ",")


def _count(n: int) -> str:
    """12 345 678: thousands separated by a space, the Norwegian way."""
    return f"{n:,}".replace(",", " ")


def size_limit(fmt: str) -> int:
    """The largest file (in bytes) of format ``fmt`` that is read."""
    return MAX_TXT_BYTES if fmt == "txt" else MAX_FILE_BYTES


def check_size(size: int, fmt: str) -> None:
    """Raises IngestError when a file of ``size`` bytes is too large to analyse (see MAX_TXT_BYTES)."""
    limit = size_limit(fmt)
    if size > limit:
        kind = " for tekstfiler" if fmt == "txt" else ""
        raise IngestError(
            f"Filen er for stor til å analyseres ({_megabytes(size)} MB; grense {_megabytes(limit)} MB{kind})"
        )


def check_length(text: str, pages: int | None = None) -> None:
    """Raises IngestError when a text is too long to analyse (more than MAX_TEXT_CHARS characters)."""
    if len(text) > MAX_TEXT_CHARS:
        raise IngestError(
            f"Filen er for stor til å analyseres: teksten har {_count(len(text))} tegn (grense "
            f"{_count(MAX_TEXT_CHARS)} tegn, om lag {_count(int(round(MAX_TEXT_CHARS / CHARS_PER_PAGE, -1)))} sider)",
            pages=pages,
        )


class _TookTooLong(BaseException):
    """Raised by the alarm of :func:`time_limit`; not an Exception, so a parser's ``except Exception``
    cannot swallow it."""


@contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Stop the Python work inside after ``seconds``, as an IngestError naming ``what``: a budget of
    time for parsing a file, whatever in it makes the parser slow. Uses the process's alarm timer, so
    only in the main thread (elsewhere, as on Dask workers, the size and page budgets bound the work);
    an alarm already set (Prefect's own timeouts) is put back afterwards.

    Raises:
        IngestError: the work inside took longer than ``seconds``.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def alarm(signum, frame):  # noqa: ANN001 - a signal handler's signature
        raise _TookTooLong

    previous_handler = signal.signal(signal.SIGALRM, alarm)
    previous_delay, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        yield
    except _TookTooLong:
        raise IngestError(f"Filen er for tung å lese: {what} tok mer enn {seconds:g} sekunder") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_delay:
            signal.setitimer(signal.ITIMER_REAL, max(previous_delay - (time.monotonic() - started), 0.001))


def parsing_time_limit(what: str) -> AbstractContextManager[None]:
    """:func:`time_limit` of ``MAX_PARSE_SECONDS``: the time a reader has to parse one file's text."""
    return time_limit(MAX_PARSE_SECONDS, what)


@contextmanager
def ocr_page_budget() -> Iterator[None]:
    """A budget of ``MAX_OCR_PAGES`` for the file read inside (see :func:`take_ocr_pages`); a file read
    while another is (an e-mail's attachment) shares the budget of that one."""
    token = None if _OCR_PAGES_LEFT.get() is not None else _OCR_PAGES_LEFT.set([MAX_OCR_PAGES])
    try:
        yield
    finally:
        if token is not None:
            _OCR_PAGES_LEFT.reset(token)


def take_ocr_pages(pages: int, what: str) -> None:
    """Count ``pages`` against the OCR budget of the file being read: ``MAX_OCR_PAGES`` for a file
    with all its attachments (an e-mail with four 300-page scans is over it before any is read).

    Raises:
        IngestError: the pages would take the file over the budget.
    """
    left = _OCR_PAGES_LEFT.get()
    if left is None:
        left = [MAX_OCR_PAGES]
    if pages > left[0]:
        used = MAX_OCR_PAGES - left[0]
        what = f"{what} (med {_count(used)} sider til OCR i resten av e-posten)" if used else what
        raise too_many_pages(pages, left[0] if used else MAX_OCR_PAGES, what)
    left[0] -= pages


def too_many_pages(pages: int, limit: int, what: str) -> IngestError:
    return IngestError(
        f"Filen er for stor til å analyseres: {what} har {_count(pages)} sider (grense {_count(limit)} sider)",
        pages=pages,
    )


def check_package(data: bytes, main_part: str, paragraph_tags: tuple[bytes, ...], what: str) -> None:
    """Raises IngestError when a zip package (.docx, .odt) is over a budget (``MAX_ZIP_ENTRIES``,
    ``MAX_UNZIPPED_BYTES``, ``MAX_XML_BYTES``, ``MAX_PARAGRAPHS``), before anything is parsed. A file
    that is no zip is left to its reader to report."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        return
    with package:
        entries = package.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise IngestError(
                f"Filen er for stor til å analyseres: {what} har {_count(len(entries))} deler "
                f"(grense {_count(MAX_ZIP_ENTRIES)})"
            )
        unzipped = sum(e.file_size for e in entries)
        if unzipped > MAX_UNZIPPED_BYTES:
            raise IngestError(
                f"Filen er for stor til å analyseres: {what} pakkes ut til {unzipped // MB:,} MB "
                f"(grense {MAX_UNZIPPED_BYTES // MB} MB)".replace(",", " ")
            )
        main = next((e for e in entries if e.filename == main_part), None)
        if main is None:
            return
        if main.file_size > MAX_XML_BYTES:
            raise IngestError(
                f"Filen er for stor til å analyseres: teksten i {what} er {main.file_size // MB} MB "
                f"XML (grense {MAX_XML_BYTES // MB} MB)"
            )
        paragraphs = _count_tags(package, main, paragraph_tags)
        if paragraphs > MAX_PARAGRAPHS:
            raise IngestError(
                f"Filen er for stor til å analyseres: {what} har {_count(paragraphs)} avsnitt "
                f"(grense {_count(MAX_PARAGRAPHS)})"
            )


def _count_tags(package: zipfile.ZipFile, entry: zipfile.ZipInfo, tags: tuple[bytes, ...]) -> int:
    """Occurrences of the opening ``tags`` in a part, read in chunks (a tag cut between two chunks
    is counted by keeping the last bytes of each)."""
    count, tail, keep = 0, b"", max(len(t) for t in tags)
    with package.open(entry) as handle:
        while chunk := handle.read(1 << 20):
            window = tail + chunk
            count += sum(window.count(t) for t in tags) - sum(tail.count(t) for t in tags)
            tail = window[-keep:]
    return count
