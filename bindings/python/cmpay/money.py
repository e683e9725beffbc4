"""Amounts as people read them, converted by the library (its one place for money)."""

from __future__ import annotations

from . import _native
from .messages import _amount


def yuan(fen: int) -> str:
    """An amount in fen as yuan with two decimals, exactly (12800 -> "128.00",
    5 -> "0.05"), for a page that shows it."""
    return _native.out_string(_native.lib().cmpay_yuan, _amount(fen))
