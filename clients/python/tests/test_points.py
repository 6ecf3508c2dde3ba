"""Upsert in batches, get, search with filters, search_batch, count and scroll on a live node."""

from __future__ import annotations

import math
import random
import unittest

import live_node

DIMENSION = 4
# Multiples of 1/8 are exact in float32, so vectors must come back equal, not just close.
RNG = random.Random(7)
POINTS = [
    {
        "id": f"p{i:03d}",
        "vector": [RNG.randint(-40, 40) / 8 for _ in range(DIMENSION)],
        "payload": {
            "n": i,
            "tag": "even" if i % 2 == 0 else "odd",
            "half": i / 2,
            "title": f"point {i}",
            "meta": {"group": i % 3, "labels": ["a", "b"] if i % 5 == 0 else []},
        },
    }
    for i in range(60)
]


def distance(a, b) -> float:
    return math.sqrt(sum((x - y) ** 2 for x, y in zip(a, b)))


def nearest(query, matching, k):
    """The ids of the k points of `matching` nearest to `query` (exact)."""
    return [p["id"] for p in sorted(matching, key=lambda p: distance(p["vector"], query))[:k]]


class ReadsTest(unittest.TestCase):
    """One collection of 60 points in 2 shards, upserted once in batches, then only read."""

    @classmethod
    def setUpClass(cls):
        cls.vectron = live_node.client()
        cls.name = live_node.unique_name("py-reads")
        cls.vectron.create_collection(cls.name, DIMENSION, "euclidean", shard_count=2, payload_indexes={"tag": "keyword"})
        cls.progress = []
        # A generator has no len(): progress reports None as the total.
        cls.upserted = cls.vectron.upsert(
            cls.name, (p for p in POINTS), batch_size=16, on_progress=lambda done, total: cls.progress.append((done, total))
        )

    @classmethod
    def tearDownClass(cls):
        live_node.drop_collection(cls.vectron, cls.name)
        cls.vectron.close()

    def test_upsert_sends_batches_and_reports_progress(self):
        self.assertEqual(self.upserted, 60)
        self.assertEqual(self.progress, [(16, None), (32, None), (48, None), (60, None)])
        self.assertEqual(self.vectron.count(self.name), 60)
        # Upserting the same ids again replaces them; a list reports its length as the total.
        progress = []
        again = self.vectron.upsert(self.name, POINTS, batch_size=25, on_progress=lambda d, t: progress.append((d, t)))
        self.assertEqual((again, progress), (60, [(25, 60), (50, 60), (60, 60)]))
        self.assertEqual(self.vectron.count(self.name), 60)
        described = self.vectron.get_collection(self.name)
        self.assertEqual((described.point_count, described.distance, described.shard_count), (60, "euclidean", 2))
        self.assertEqual(described.payload_indexes, {"tag": "keyword"})

    def test_get_returns_vectors_and_payloads_as_sent_in_the_order_asked(self):
        wanted = ["p042", "p007", "missing", "p000"]
        got = self.vectron.get(self.name, wanted)
        self.assertEqual([p.id for p in got], ["p042", "p007", "p000"])
        by_id = {p["id"]: p for p in POINTS}
        for point in got:
            self.assertEqual(point.vector, by_id[point.id]["vector"])
            self.assertEqual(point.payload, by_id[point.id]["payload"])
        # Whole numbers come back as ints (JSON numbers), fractions as floats.
        self.assertIsInstance(got[0].payload["n"], int)
        self.assertEqual(got[1].payload["half"], 3.5)
        bare = self.vectron.get(self.name, ["p007"], with_payload=False, with_vector=False)
        self.assertEqual((bare[0].vector, bare[0].payload), ([], {}))

    def test_search_with_a_filter_finds_the_exact_nearest_matches(self):
        query = [0.5, -1.0, 2.0, 0.25]
        filter = {"must": [{"key": "tag", "match": {"value": "even"}}, {"key": "n", "range": {"gte": 10}}]}
        hits = self.vectron.search(self.name, query, top_k=5, filter=filter, with_vector=True)
        matching = [p for p in POINTS if p["payload"]["tag"] == "even" and p["payload"]["n"] >= 10]
        self.assertEqual([h.id for h in hits], nearest(query, matching, 5))
        by_id = {p["id"]: p for p in POINTS}
        for hit in hits:
            # Euclidean: the score is the distance itself, lower first.
            self.assertAlmostEqual(hit.score, distance(by_id[hit.id]["vector"], query), places=4)
            self.assertEqual(hit.payload, by_id[hit.id]["payload"])
            self.assertEqual(hit.vector, by_id[hit.id]["vector"])
        self.assertEqual(hits.missing_shards, [])
        unfiltered = self.vectron.search(self.name, query, top_k=3, with_payload=False)
        self.assertEqual([h.id for h in unfiltered], nearest(query, POINTS, 3))
        self.assertEqual(unfiltered[0].payload, {})

    def test_filters_take_should_must_not_any_and_nested_keys(self):
        def model(p):
            meta = p["payload"]["meta"]
            should = meta["group"] == 1 or "a" in meta["labels"]
            return should and p["payload"]["n"] not in (5, 10, 15)

        expected = sum(1 for p in POINTS if model(p))
        snake = {
            "should": [{"key": "meta.group", "match": {"value": 1}}, {"key": "meta.labels", "match": {"any": ["a"]}}],
            "must_not": [{"key": "n", "match": {"any": [5, 10, 15]}}],
        }
        camel = {"should": snake["should"], "mustNot": snake["must_not"]}
        self.assertEqual(self.vectron.count(self.name, filter=snake), expected)
        self.assertEqual(self.vectron.count(self.name, filter=camel), expected)
        self.assertGreater(expected, 0)

    def test_search_batch_answers_each_query_in_order(self):
        first, second = [1.0, 1.0, 1.0, 1.0], [-2.0, 0.0, 3.0, -1.0]
        odd = {"must": [{"key": "tag", "match": {"value": "odd"}}]}
        batches = self.vectron.search_batch(self.name, [first, {"vector": second, "top_k": 2, "filter": odd}], top_k=4)
        self.assertEqual([[h.id for h in b] for b in batches], [
            nearest(first, POINTS, 4),
            nearest(second, [p for p in POINTS if p["payload"]["tag"] == "odd"], 2),
        ])

    def test_scroll_yields_every_point_once_in_id_order_over_many_pages(self):
        # 60 points at 7 a page: the generator must follow the cursor through 9 pages.
        scrolled = list(self.vectron.scroll(self.name, page_size=7))
        self.assertEqual([p.id for p in scrolled], sorted(p["id"] for p in POINTS))
        self.assertEqual(scrolled[3].payload, POINTS[3]["payload"])
        self.assertEqual(scrolled[3].vector, [])  # vectors only when asked
        odd = list(self.vectron.scroll(self.name, page_size=4, with_vector=True, filter={"must": [{"key": "tag", "match": {"value": "odd"}}]}))
        self.assertEqual([p.id for p in odd], [p["id"] for p in POINTS if p["payload"]["tag"] == "odd"])
        self.assertEqual(odd[0].vector, POINTS[1]["vector"])


class WritesTest(unittest.TestCase):
    """Payload updates and deletes, each test on a fresh collection."""

    def setUp(self):
        self.vectron = live_node.client()
        self.addCleanup(self.vectron.close)
        self.name = live_node.unique_name("py-writes")
        self.vectron.create_collection(self.name, DIMENSION, "cosine")
        self.addCleanup(live_node.drop_collection, self.vectron, self.name)
        points = [(f"w{i}", [1.0, float(i), 0.0, 0.5], {"i": i, "color": "red", "size": "L"}) for i in range(10)]
        self.assertEqual(self.vectron.upsert(self.name, points), 10)

    def payload_of(self, id):
        return self.vectron.get(self.name, [id], with_vector=False)[0].payload

    def test_set_payload_merges_or_overwrites_and_keys_can_be_deleted(self):
        self.assertEqual(self.vectron.set_payload(self.name, ["w1", "w2", "nope"], {"color": "blue", "tags": ["new"]}), 2)
        self.assertEqual(self.payload_of("w1"), {"i": 1, "color": "blue", "size": "L", "tags": ["new"]})
        self.assertEqual(self.payload_of("w3"), {"i": 3, "color": "red", "size": "L"})
        self.assertEqual(self.vectron.set_payload(self.name, ["w2"], {"only": True}, overwrite=True), 1)
        self.assertEqual(self.payload_of("w2"), {"only": True})
        self.assertEqual(self.vectron.delete_payload_keys(self.name, ["w1", "w4"], ["size", "tags"]), 2)
        self.assertEqual(self.payload_of("w1"), {"i": 1, "color": "blue"})
        self.assertEqual(self.payload_of("w4"), {"i": 4, "color": "red"})
        # The vector was never resent and is unchanged.
        self.assertEqual(self.vectron.get(self.name, ["w1"])[0].vector, [1.0, 1.0, 0.0, 0.5])

    def test_delete_by_ids_and_by_filter(self):
        self.assertEqual(self.vectron.delete(self.name, ["w0", "w1", "absent"]), 2)
        self.assertEqual(self.vectron.delete(self.name, filter={"must": [{"key": "i", "range": {"gte": 7}}]}), 3)
        self.assertEqual(sorted(p.id for p in self.vectron.scroll(self.name)), ["w2", "w3", "w4", "w5", "w6"])
        self.assertEqual(self.vectron.count(self.name), 5)

    def test_collections_are_listed_and_deleted(self):
        self.assertIn(self.name, [c.name for c in self.vectron.list_collections()])
        self.vectron.delete_collection(self.name)
        self.assertNotIn(self.name, [c.name for c in self.vectron.list_collections()])


if __name__ == "__main__":
    unittest.main()
