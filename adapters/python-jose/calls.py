"""How python-jose is called: the strict `options` of `jwt.decode`, the `algorithms`
argument (the context's, or None under the history rows' `--no-algorithms`), and the key
argument made from the context's keys.

`--no-algorithms`: `jwt.decode(token, key)` with `algorithms` left at its default, None,
which python-jose reads as "any algorithm" (`jws._verify_signature` checks the header's alg
against the list only when one is given), and the configured key's text as the key: the
setup of CVE-2024-33663 (README.md, History)."""

from __future__ import annotations

import sys

NO_ALGORITHMS = "--no-algorithms" in sys.argv[1:]


def algorithms(configured):
    return None if NO_ALGORITHMS else list(configured)


def strict_options(skew):
    # Every verify_* option is on by default; "leeway" is python-jose's skew for exp and nbf.
    return {"leeway": int(skew or 0)}


def key_of(entries):
    """The context's keys as python-jose takes them: a JWK as its dict, a PEM (or other key
    text) as the text itself; one key alone, several as {"keys": [...]}."""
    if not isinstance(entries, list):
        raise ValueError("context.keys is not an array")
    keys = [e["pem"] if isinstance(e, dict) and isinstance(e.get("pem"), str) else e for e in entries]
    if len(keys) == 1:
        return keys[0]
    return {"keys": keys}
