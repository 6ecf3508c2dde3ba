"""Account calls on a live node: register, log in, refresh, profile, API keys."""

from __future__ import annotations

import datetime
import unittest

import live_node
from vectron import UnauthenticatedError, VectronClient

PASSWORD = "python client password"


class AccountsTest(unittest.TestCase):
    def setUp(self):
        self.email = f"{live_node.unique_name('py-account')}@example.com"
        self.vectron = VectronClient(live_node.grpc_address())
        self.addCleanup(self.vectron.close)

    def test_register_log_in_and_read_the_profile(self):
        user = self.vectron.register_user(self.email, PASSWORD)
        self.assertEqual(user.email, self.email)
        self.assertTrue(user.id)
        self.assertIsNone(self.vectron.token)
        session = self.vectron.login(self.email, PASSWORD)
        self.assertEqual(self.vectron.token, session.token)  # login keeps the session
        self.assertEqual(session.user.id, user.id)
        self.assertGreater(session.expires_at, datetime.datetime.now(datetime.timezone.utc))
        self.assertEqual(self.vectron.get_user_profile(), user)
        with VectronClient(live_node.grpc_address()) as other, self.assertRaises(UnauthenticatedError):
            other.login(self.email, "not the password")

    def test_refresh_token_gives_a_session_that_works(self):
        self.vectron.register_user(self.email, PASSWORD)
        first = self.vectron.login(self.email, PASSWORD)
        refreshed = self.vectron.refresh_token()
        self.assertTrue(refreshed.token)
        self.assertEqual(self.vectron.token, refreshed.token)
        self.assertGreaterEqual(refreshed.expires_at, first.expires_at)
        with VectronClient(live_node.grpc_address(), token=refreshed.token) as fresh:
            self.assertEqual(fresh.get_user_profile().email, self.email)

    def test_api_keys_are_created_listed_used_and_revoked(self):
        self.vectron.register_user(self.email, PASSWORD)
        self.vectron.login(self.email, PASSWORD)
        created = self.vectron.create_api_key("py laptop")
        reader = self.vectron.create_api_key("py reader", read_only=True)
        self.assertTrue(created.key.startswith(created.api_key.prefix))
        self.assertEqual((created.api_key.name, created.api_key.read_only), ("py laptop", False))
        listed = {k.id: k for k in self.vectron.list_api_keys()}
        self.assertEqual(set(listed), {created.api_key.id, reader.api_key.id})
        self.assertTrue(listed[reader.api_key.id].read_only)
        self.assertEqual(listed[created.api_key.id], created.api_key)

        # The new key works for data calls, on a client sharing this one's connection.
        keyed = self.vectron.with_credentials(api_key=created.key)
        name = live_node.unique_name("py-own")
        keyed.create_collection(name, 2)
        self.addCleanup(live_node.drop_collection, self.vectron, name)
        self.assertEqual([c.name for c in keyed.list_collections()], [name])

        self.vectron.delete_api_key(created.api_key.id)
        self.assertEqual([k.id for k in self.vectron.list_api_keys()], [reader.api_key.id])
        with self.assertRaises(UnauthenticatedError):
            keyed.list_collections()
        # The session still reaches the collection (data calls accept it without a key).
        self.assertEqual([c.name for c in self.vectron.list_collections()], [name])


if __name__ == "__main__":
    unittest.main()
