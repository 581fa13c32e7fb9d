"""Access control: who may do what. Security checks that can be skipped (assert, except-pass,
checks that run only sometimes), privilege drops, and token verification."""
