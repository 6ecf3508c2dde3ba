"""``google.protobuf.Timestamp`` as an aware UTC ``datetime``."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from google.protobuf import timestamp_pb2

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def from_timestamp(timestamp: timestamp_pb2.Timestamp) -> datetime:
    """The instant as a timezone-aware datetime in UTC (microsecond precision)."""
    return _EPOCH + timedelta(seconds=timestamp.seconds, microseconds=timestamp.nanos // 1000)
