"""vectron.auth: the account service; its generated code is in vectron.auth.v1."""
