"""A tar file written member by member while the data is produced, and read back with checks.

``tarfile`` needs each member's size before its data, which would mean holding a whole table in memory
(or writing it twice). ``StreamingTarWriter`` writes the header with size 0, streams the data straight to
disk and then seeks back to patch the header with the real size. Headers are GNU format, whose length
depends only on the member's name (a long name adds a fixed ``././@LongLink`` block; a size past 8 GiB is
written in base-256 in the same field), so patching never moves the data. The result is an ordinary tar
that ``tar -tvf`` and ``tarfile`` read.
"""

from __future__ import annotations

import hashlib
import io
import tarfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

BLOCK = tarfile.BLOCKSIZE
RECORD = tarfile.RECORDSIZE


class HashingWriter(io.RawIOBase):
    """Counts and hashes every byte on its way to the underlying file."""

    def __init__(self, target: BinaryIO) -> None:
        self.target = target
        self.sha256 = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[override]
        view = memoryview(data)
        self.sha256.update(view)
        self.target.write(view)
        self.size += len(view)
        return len(view)


class StreamingTarWriter:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.fh = open(path, "wb")  # noqa: SIM115 — closed in close()
        self.mtime = int(time.time())

    def _header(self, name: str, size: int) -> bytes:
        info = tarfile.TarInfo(name)
        info.size = size
        info.mtime = self.mtime
        info.mode = 0o644
        return info.tobuf(format=tarfile.GNU_FORMAT, encoding="utf-8", errors="strict")

    @contextmanager
    def member(self, name: str) -> Iterator[HashingWriter]:
        """Yields a writer; whatever is written becomes the member ``name`` (size and sha256 on the writer)."""
        start = self.fh.tell()
        header = self._header(name, 0)
        self.fh.write(header)
        writer = HashingWriter(self.fh)
        yield writer
        end = self.fh.tell()
        patched = self._header(name, writer.size)
        if len(patched) != len(header):  # cannot happen with GNU headers; never write a broken archive
            raise RuntimeError(f"tar header length changed for {name}")
        self.fh.seek(start)
        self.fh.write(patched)
        self.fh.seek(end)
        remainder = writer.size % BLOCK
        if remainder:
            self.fh.write(b"\0" * (BLOCK - remainder))

    def add_bytes(self, name: str, data: bytes) -> str:
        with self.member(name) as out:
            out.write(data)
        return out.sha256.hexdigest()

    def add_stream(self, name: str, source: BinaryIO, chunk: int = 1 << 20) -> tuple[int, str]:
        with self.member(name) as out:
            while block := source.read(chunk):
                out.write(block)
        return out.size, out.sha256.hexdigest()

    def close(self) -> None:
        self.fh.write(b"\0" * (2 * BLOCK))
        remainder = self.fh.tell() % RECORD
        if remainder:
            self.fh.write(b"\0" * (RECORD - remainder))
        self.fh.flush()
        self.fh.close()

    def abort(self) -> None:
        self.fh.close()
        self.path.unlink(missing_ok=True)


def sha256_of(stream: BinaryIO, chunk: int = 1 << 20) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    while block := stream.read(chunk):
        digest.update(block)
        size += len(block)
    return size, digest.hexdigest()
