"""Shared fixtures: the project's test vectors and keys, and a merchant."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

import cmpay

REPO = Path(__file__).resolve().parents[3]
DATA = REPO / "tests" / "data"
MERCHANT_ID = "888009941120001"


def _vectors() -> Dict[str, Any]:
    with open(DATA / "cmpay-vectors.json", encoding="utf-8") as f:
        return json.load(f)


VECTORS = _vectors()
KEY: str = VECTORS["md5_key"]


def vectors(kind: str) -> List[Dict[str, Any]]:
    return [v for v in VECTORS["vectors"] if v["kind"] == kind]


def vector(name: str) -> Dict[str, Any]:
    return next(v for v in VECTORS["vectors"] if v["name"] == name)


def key_file(name: str) -> bytes:
    return (DATA / "test-keys" / name).read_bytes()


@pytest.fixture(scope="session")
def merchant() -> Iterator[cmpay.Merchant]:
    with cmpay.Merchant.md5(MERCHANT_ID, KEY) as m:
        yield m
