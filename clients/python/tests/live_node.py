"""The live Vectron node the tests talk to, named by environment variables.

`bun test test/client-python.test.ts` starts `vectron serve`, creates an account and an
API key, and sets them. To run these tests by hand against any node:

    VECTRON_TEST_GRPC_ADDRESS=127.0.0.1:8081 VECTRON_TEST_API_KEY=vk_... \\
      PYTHONPATH=clients/python python3 -m unittest discover -s clients/python/tests

A missing variable fails the tests that need a node; they are never skipped.
"""

from __future__ import annotations

import os
import uuid

from vectron import NotFoundError, VectronClient


def grpc_address() -> str:
    return _required("VECTRON_TEST_GRPC_ADDRESS", "host:port of a node's gRPC port")


def api_key() -> str:
    return _required("VECTRON_TEST_API_KEY", "an API key of an account on that node")


def client(**options) -> VectronClient:
    """A client of the live node with the test account's API key."""
    return VectronClient(grpc_address(), api_key=api_key(), **options)


def unique_name(prefix: str) -> str:
    """A collection name or email part no other test run uses."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def drop_collection(vectron: VectronClient, name: str) -> None:
    """Deletes a collection a test made, if it is still there."""
    try:
        vectron.delete_collection(name)
    except NotFoundError:
        pass


def _required(name: str, what: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(
            f"{name} is not set: it must hold {what} (bun test test/client-python.test.ts sets it)"
        )
    return value
