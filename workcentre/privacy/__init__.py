"""People's data stays theirs: the data map, access requests (export), erasure, photo consent and
retention. See docs/privacy.md."""
