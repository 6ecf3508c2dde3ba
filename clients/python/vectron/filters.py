"""Payload filters: a plain dict mirroring the proto ``Filter`` to the message.

The dict is the filter's JSON form, with the proto's snake_case names accepted too::

    {"must": [{"key": "tags", "match": {"any": ["x", "y"]}},
              {"key": "year", "range": {"gte": 2020}}],
     "should": [{"key": "lang", "match": {"value": "en"}}],
     "must_not": [{"key": "draft", "match": {"value": True}}]}   # or "mustNot"
"""

from __future__ import annotations

from typing import Any, Mapping, Optional, Union

from google.protobuf import json_format

from .errors import InvalidArgumentError
from .v1 import vectron_pb2

FilterLike = Union[Mapping[str, Any], vectron_pb2.Filter]


def write_filter(filter: Optional[FilterLike], into: vectron_pb2.Filter, field: str = "filter") -> None:
    """Writes ``filter`` into the request's ``into`` field; None leaves it unset (no filter)."""
    if filter is None:
        return
    if isinstance(filter, vectron_pb2.Filter):
        into.CopyFrom(filter)
        return
    if not isinstance(filter, Mapping):
        raise InvalidArgumentError(f"{field}: must be a dict like {{'must': [...]}}, got {type(filter).__name__}")
    try:
        json_format.ParseDict(filter, into)
    except json_format.ParseError as problem:
        raise InvalidArgumentError(f"{field}: {problem}") from problem
