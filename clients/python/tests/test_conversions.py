"""Conversions that need no node: payloads, filters, points, enum names, the retry policy."""

from __future__ import annotations

import unittest

from vectron import InvalidArgumentError, Point, RetryPolicy
from vectron.enum_names import consistency_number, distance_name, distance_number, index_kind_number
from vectron.filters import write_filter
from vectron.payload import from_struct, to_struct
from vectron.points import to_point_message
from vectron.v1 import vectron_pb2 as pb


class PayloadTest(unittest.TestCase):
    def test_a_payload_round_trips_with_whole_numbers_as_ints(self):
        payload = {"n": 3, "big": 2**53, "x": 1.25, "s": "é", "t": True, "none": None, "nested": {"list": [1, "a", [2.5]]}}
        back = from_struct(to_struct(payload, "payload"))
        self.assertEqual(back, payload)
        self.assertIsInstance(back["n"], int)
        self.assertIsInstance(back["nested"]["list"][0], int)
        self.assertIsInstance(back["x"], float)
        # Beyond 2**53 a double is no longer an exact integer: it stays a float.
        self.assertIsInstance(from_struct(to_struct({"huge": 2.0**60}, "p"))["huge"], float)

    def test_a_payload_that_is_not_json_names_the_field(self):
        with self.assertRaises(InvalidArgumentError) as caught:
            to_struct({"when": object()}, "points[2].payload")
        self.assertTrue(caught.exception.message.startswith("points[2].payload:"))
        with self.assertRaises(InvalidArgumentError):
            to_struct(["not", "a", "dict"], "payload")


class FilterTest(unittest.TestCase):
    def test_a_dict_becomes_the_proto_filter(self):
        message = pb.SearchRequest()
        write_filter(
            {
                "must": [{"key": "a.b", "match": {"value": "x"}}, {"key": "n", "range": {"gt": 1, "lte": 5}}],
                "should": [{"key": "t", "match": {"any": [1, True, "y"]}}],
                "mustNot": [{"key": "z", "match": {"value": False}}],
            },
            message.filter,
        )
        f = message.filter
        self.assertEqual((f.must[0].key, f.must[0].match.value.string_value), ("a.b", "x"))
        self.assertEqual((f.must[1].range.gt, f.must[1].range.lte, f.must[1].range.HasField("gte")), (1, 5, False))
        self.assertEqual([v.WhichOneof("kind") for v in f.should[0].match.any.values], ["number_value", "bool_value", "string_value"])
        self.assertEqual(f.must_not[0].match.value.bool_value, False)
        self.assertTrue(f.must_not[0].match.value.HasField("bool_value"))

    def test_no_filter_leaves_the_field_unset(self):
        message = pb.CountRequest()
        write_filter(None, message.filter)
        self.assertFalse(message.HasField("filter"))

    def test_a_misspelt_field_is_invalid_argument(self):
        with self.assertRaises(InvalidArgumentError) as caught:
            write_filter({"must": [{"key": "a", "range": {"above": 3}}]}, pb.Filter(), "queries[1].filter")
        self.assertIn("queries[1].filter", caught.exception.message)
        self.assertIn("above", caught.exception.message)


class PointTest(unittest.TestCase):
    def test_points_come_as_dataclasses_dicts_or_tuples(self):
        for given in (Point("p", [1, 2.5], {"k": 1}), {"id": "p", "vector": (1, 2.5), "payload": {"k": 1}}, ("p", [1, 2.5], {"k": 1})):
            message = to_point_message(given, "points[0]")
            self.assertEqual((message.id, list(message.vector), from_struct(message.payload)), ("p", [1.0, 2.5], {"k": 1}))
        self.assertFalse(to_point_message(("p", [1]), "points[0]").HasField("payload"))

    def test_bad_points_name_the_field(self):
        cases = [
            ({"id": "p"}, "points[4]"),
            ({"id": 7, "vector": [1]}, "points[4].id"),
            ({"id": "p", "vector": "1,2"}, "points[4].vector"),
            ({"id": "p", "vector": [1, "two"]}, "points[4].vector"),
        ]
        for point, field in cases:
            with self.subTest(point=point), self.assertRaises(InvalidArgumentError) as caught:
                to_point_message(point, "points[4]")
            self.assertTrue(caught.exception.message.startswith(field + ":"), caught.exception.message)


class EnumNamesTest(unittest.TestCase):
    def test_short_full_and_numeric_names(self):
        self.assertEqual(distance_number("cosine"), pb.DISTANCE_COSINE)
        self.assertEqual(distance_number("DISTANCE_DOT"), pb.DISTANCE_DOT)
        self.assertEqual(distance_number(pb.DISTANCE_EUCLIDEAN), pb.DISTANCE_EUCLIDEAN)
        self.assertEqual(distance_name(pb.DISTANCE_EUCLIDEAN), "euclidean")
        self.assertEqual(index_kind_number("keyword"), pb.PAYLOAD_INDEX_KIND_KEYWORD)
        self.assertEqual(consistency_number(None), pb.READ_CONSISTENCY_UNSPECIFIED)
        self.assertEqual(consistency_number("eventual"), pb.READ_CONSISTENCY_EVENTUAL)
        for bad in ("unspecified", 0, True, "cosinus"):
            with self.subTest(bad=bad), self.assertRaises(InvalidArgumentError):
                distance_number(bad)


class RetryPolicyTest(unittest.TestCase):
    def test_backoff_grows_to_the_ceiling_with_jitter_below_it(self):
        policy = RetryPolicy(initial_backoff=0.1, max_backoff=0.3, multiplier=2)
        for attempt, ceiling in ((1, 0.1), (2, 0.2), (3, 0.3), (6, 0.3)):
            for _ in range(20):
                self.assertTrue(ceiling / 2 <= policy.backoff(attempt) <= ceiling)

    def test_nonsense_is_refused(self):
        with self.assertRaises(ValueError):
            RetryPolicy(max_attempts=0)
        with self.assertRaises(ValueError):
            RetryPolicy(initial_backoff=2, max_backoff=1)


if __name__ == "__main__":
    unittest.main()
