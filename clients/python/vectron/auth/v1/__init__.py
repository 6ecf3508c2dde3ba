"""vectron.auth.v1: messages and stubs of the account service, generated from proto/vectron/auth/v1 by clients/python/generate.sh."""
