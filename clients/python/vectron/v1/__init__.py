"""vectron.v1: messages and stubs of the data API, generated from proto/vectron/v1 by clients/python/generate.sh."""
