"""An owned native handle: freed once, by close(), by ``with``, or when the
Python object is collected (CPython: as soon as the last reference goes)."""

from __future__ import annotations

from typing import Any, Callable, Optional, TypeVar

from .errors import InvalidInputError, Status

T = TypeVar("T", bound="Handle")


class Handle:
    __slots__ = ("_ptr", "_free")

    def __init__(self, ptr: Any, free: Callable[[Any], None]) -> None:
        if not ptr:
            raise InvalidInputError("the library returned no handle", Status.NULL_POINTER, "CMPAY_NULL_POINTER")
        self._ptr = ptr
        self._free = free

    @property
    def _p(self) -> Any:
        ptr = self._ptr
        if ptr is None:
            raise InvalidInputError("%s is closed" % type(self).__name__, Status.INVALID_ARGUMENT, "CMPAY_INVALID_ARGUMENT")
        return ptr

    @property
    def closed(self) -> bool:
        return self._ptr is None

    def close(self) -> None:
        """Frees the native object now (idempotent). Do not close an object
        another thread is still using."""
        ptr, self._ptr = self._ptr, None
        if ptr is not None:
            self._free(ptr)

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown: the library may be gone already
            pass

    def __enter__(self: T) -> T:
        return self

    def __exit__(self, *exc: Optional[object]) -> None:
        self.close()
