"""A file whose first bytes were already read (to tell its format), with them put back."""

from __future__ import annotations

from typing import BinaryIO


class Rewound:
    """Reads `head`, then the rest of `file`: a stream that cannot seek, read from its start.
    Like a buffered file, read(n) returns n bytes unless the file ends first."""

    def __init__(self, head: bytes, file: BinaryIO):
        self._head = head
        self._file = file

    def read(self, size: int = -1) -> bytes:
        if not self._head:
            return self._file.read(size)
        if size is None or size < 0:
            data, self._head = self._head + self._file.read(), b""
            return data
        data, self._head = self._head[:size], self._head[size:]
        return data + self._file.read(size - len(data)) if len(data) < size else data

    def readline(self, limit: int = -1) -> bytes:
        if not self._head:
            return self._file.readline(limit)
        end = self._head.find(b"\n") + 1 or len(self._head)
        if 0 <= limit < end:
            end = limit
        line, self._head = self._head[:end], self._head[end:]
        if line.endswith(b"\n") or (0 <= limit <= len(line)):
            return line
        return line + self._file.readline(-1 if limit < 0 else limit - len(line))
