"""Payloads: Python dicts to ``google.protobuf.Struct`` and back.

Payload numbers are JSON numbers, i.e. IEEE doubles. Reading a payload back turns a
whole double of at most 2**53 into an ``int`` (as ``json.loads`` reads ``1``), so
``{"n": 1}`` comes back as ``{"n": 1}`` and not ``{"n": 1.0}``.
"""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional

from google.protobuf import struct_pb2

from .errors import InvalidArgumentError

_EXACT_INTEGERS = 2**53


def to_struct(payload: Mapping[str, Any], field: str, into: Optional[struct_pb2.Struct] = None) -> struct_pb2.Struct:
    """``payload`` as a Struct (written into ``into`` when given); ``field`` names it in errors."""
    if not isinstance(payload, Mapping):
        raise InvalidArgumentError(f"{field}: must be a dict (a JSON object), got {type(payload).__name__}")
    struct = struct_pb2.Struct() if into is None else into
    try:
        struct.update(payload)
    except (ValueError, TypeError, AttributeError) as problem:
        raise InvalidArgumentError(f"{field}: not JSON: {problem}") from problem
    return struct


def from_struct(struct: struct_pb2.Struct) -> Dict[str, Any]:
    """A Struct as a plain dict of JSON values."""
    return {key: from_value(value) for key, value in struct.fields.items()}


def from_value(value: struct_pb2.Value) -> Any:
    """A ``google.protobuf.Value`` as a plain Python value."""
    kind = value.WhichOneof("kind")
    if kind == "number_value":
        number = value.number_value
        if number.is_integer() and abs(number) <= _EXACT_INTEGERS:
            return int(number)
        return number
    if kind == "string_value":
        return value.string_value
    if kind == "bool_value":
        return value.bool_value
    if kind == "struct_value":
        return from_struct(value.struct_value)
    if kind == "list_value":
        return [from_value(item) for item in value.list_value.values]
    return None
