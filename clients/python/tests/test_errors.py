"""Typed errors from a live node, timeouts, and retries on UNAVAILABLE."""

from __future__ import annotations

import unittest

import grpc

import live_node
from late_listener import LateListener
from vectron import (
    AlreadyExistsError,
    DeadlineExceededError,
    InvalidArgumentError,
    NotFoundError,
    RetryPolicy,
    UnauthenticatedError,
    UnavailableError,
    VectronClient,
    VectronError,
)


class TypedErrorsTest(unittest.TestCase):
    def setUp(self):
        self.vectron = live_node.client()
        self.addCleanup(self.vectron.close)

    def test_an_unknown_collection_is_not_found_with_the_servers_message(self):
        name = live_node.unique_name("py-absent")
        with self.assertRaises(NotFoundError) as caught:
            self.vectron.get_collection(name)
        error = caught.exception
        self.assertIsInstance(error, VectronError)
        self.assertEqual((error.code, error.status), ("not_found", grpc.StatusCode.NOT_FOUND))
        self.assertIn(name, error.message)
        with self.assertRaises(NotFoundError):
            self.vectron.search(name, [1.0, 2.0])

    def test_a_wrong_dimension_is_invalid_argument_naming_the_point(self):
        name = live_node.unique_name("py-dims")
        self.vectron.create_collection(name, 3)
        self.addCleanup(live_node.drop_collection, self.vectron, name)
        points = [{"id": f"ok{i}", "vector": [1.0, 0.0, float(i)]} for i in range(5)]
        points.append({"id": "bad", "vector": [1.0, 2.0]})
        progress = []
        # Batches of 2: the bad point is the second of the third batch, and the message
        # still names it by its place in the caller's list.
        with self.assertRaises(InvalidArgumentError) as caught:
            self.vectron.upsert(name, points, batch_size=2, on_progress=lambda d, t: progress.append(d))
        error = caught.exception
        self.assertIsInstance(error, ValueError)
        self.assertEqual(error.code, "invalid_argument")
        self.assertTrue(error.message.startswith("points[5].vector"), error.message)
        self.assertEqual(progress, [2, 4])  # the batches before it are written
        self.assertEqual(self.vectron.count(name), 4)
        with self.assertRaises(InvalidArgumentError) as caught:
            self.vectron.search(name, [1.0, 0.0, 0.0, 0.0])
        self.assertIn("vector", caught.exception.message)

    def test_a_taken_collection_name_already_exists(self):
        name = live_node.unique_name("py-twice")
        self.vectron.create_collection(name, 3)
        self.addCleanup(live_node.drop_collection, self.vectron, name)
        with self.assertRaises(AlreadyExistsError) as caught:
            self.vectron.create_collection(name, 3)
        self.assertEqual(caught.exception.code, "already_exists")
        self.assertIn(name, caught.exception.message)

    def test_a_bad_api_key_is_unauthenticated(self):
        with VectronClient(live_node.grpc_address(), api_key="vk_not_a_real_key") as stranger:
            with self.assertRaises(UnauthenticatedError) as caught:
                stranger.list_collections()
        self.assertEqual(caught.exception.code, "unauthenticated")
        with VectronClient(live_node.grpc_address()) as anonymous:
            with self.assertRaises(UnauthenticatedError):
                anonymous.count("anything")

    def test_client_side_misuse_fails_before_any_call(self):
        with self.assertRaises(InvalidArgumentError) as caught:
            self.vectron.get("c", "p1")  # a single string, not a list of ids
        self.assertIn("['p1']", caught.exception.message)
        with self.assertRaises(InvalidArgumentError) as caught:
            self.vectron.count("c", filter={"must": [{"key": "a", "matches": {"value": 1}}]})
        self.assertIn("matches", caught.exception.message)
        with self.assertRaises(InvalidArgumentError) as caught:
            self.vectron.create_collection("c", 3, distance="manhattan")
        self.assertIn("'euclidean'", caught.exception.message)
        with self.assertRaises(ValueError):
            VectronClient("http://127.0.0.1:8081")

    def test_a_timeout_too_short_for_any_answer_is_deadline_exceeded(self):
        with self.assertRaises(DeadlineExceededError) as caught:
            self.vectron.list_collections(timeout=1e-6)
        self.assertEqual(caught.exception.status, grpc.StatusCode.DEADLINE_EXCEEDED)


class RetriesTest(unittest.TestCase):
    """A node that is not listening yet: idempotent calls wait for it, others fail at once."""

    def test_idempotent_calls_retry_until_the_node_answers_and_creates_are_tried_once(self):
        listener = LateListener(live_node.grpc_address())
        self.addCleanup(listener.close)
        patient = RetryPolicy(max_attempts=20, initial_backoff=0.05, max_backoff=0.4)
        vectron = VectronClient(listener.address, api_key=live_node.api_key(), retry=patient, timeout=10)
        self.addCleanup(vectron.close)
        name = live_node.unique_name("py-retry")

        with self.assertRaises(UnavailableError) as caught:
            vectron.create_collection(name, 3)
        self.assertEqual(caught.exception.attempts, 1)

        listener.open_after(0.3)
        # Fails at first (nothing listens), then succeeds through the listener.
        names = [c.name for c in vectron.list_collections()]
        self.assertNotIn(name, names)  # the create was never retried behind our back
        with live_node.client() as direct:
            self.assertEqual(names, [c.name for c in direct.list_collections()])

    def test_retries_give_up_after_max_attempts(self):
        listener = LateListener(live_node.grpc_address())  # never opened
        with VectronClient(listener.address, retry=RetryPolicy(max_attempts=3, initial_backoff=0.01)) as vectron:
            with self.assertRaises(UnavailableError) as caught:
                vectron.count("anything")
        self.assertEqual(caught.exception.attempts, 3)


if __name__ == "__main__":
    unittest.main()
