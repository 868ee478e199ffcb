"""Pendo interop fixtures minted with PyJWT, the way a Python backend follows the seed:
``jwt.encode(payload, 'JWT-SECRET-KEY', algorithm='HS256')`` with the secret *as Pendo
shows it* (a text string, whose UTF-8 bytes are the HMAC key).

Run by ``cargo xtask interop`` in its virtual environment (PyJWT pinned in
requirements.txt). The environment gives JWTC_NOW (the suite clock), JWTC_KEYS
(vectors/keys) and JWTC_OUT (vectors/interop). The secrets come from the repository's
fixed keys pendo-1 and pendo-2; nothing here generates a key. HMAC is deterministic, so
the file is byte-identical from run to run.
"""

import base64
import json
import os
import sys
import warnings

import jwt


def env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        sys.exit(f"pyjwt-pendo.py: {name} is not set (run `cargo xtask interop`)")
    return value


NOW = int(env("JWTC_NOW"))
KEYS = env("JWTC_KEYS")
OUT = env("JWTC_OUT")
VERSION = f"PyJWT {jwt.__version__}"


def shown_secret(name: str) -> str:
    """The secret as the Pendo UI shows it: the text whose UTF-8 bytes the JWK holds."""
    with open(os.path.join(KEYS, f"{name}.json"), encoding="utf-8") as f:
        k = json.load(f)["k"]
    return base64.urlsafe_b64decode(k + "=" * (-len(k) % 4)).decode("utf-8")


SECRETS = {name: shown_secret(name) for name in ("pendo-1", "pendo-2")}


def sign(payload: dict, key_name: str = "pendo-1", algorithm: str = "HS256") -> str:
    with warnings.catch_warnings():
        # PyJWT warns that a 40-byte secret is short for HS512: that case is meant to fail.
        warnings.simplefilter("ignore", jwt.InsecureKeyLengthWarning)
        return jwt.encode(payload, SECRETS[key_name], algorithm=algorithm)


def ctx(mode: str = "allow") -> dict:
    return {"mode": mode, "keys": ["pendo-1", "pendo-2"], "revoked": []}


SNIPPET = {
    "visitor": {"id": "VISITOR-UNIQUE-ID", "email": "visitor@example.com"},
    "account": {"id": "ACCOUNT-UNIQUE-ID", "is_paying": True},
    "nonce": "3f1c2b9e-6a57-4d0e-8b41-7c2d9e0fa613",
}
IDENTIFIED = {
    "visitor_id": "VISITOR-UNIQUE-ID",
    "account_id": "ACCOUNT-UNIQUE-ID",
    "anonymous": False,
    "signed": True,
}

cases = []


def add(name, rule, severity, description, event, context, expect):
    cases.append(
        {
            "id": f"interop/pyjwt-pendo/{name}",
            "rule": rule,
            "description": f"{description} ({VERSION})",
            "severity": severity,
            "input": {"event": event},
            "context": context,
            "expect": expect,
        }
    )


def event(event_id: str, token: str, key_name: str = "pendo-1") -> dict:
    return {"id": event_id, "jwt": token, "signingKeyName": key_name}


add(
    "seed-snippet",
    "pendo.key-name",
    "low",
    "the seed's snippet payload (visitor, account, top-level nonce) signed with the shown secret as a str",
    event("e-1", sign(SNIPPET)),
    ctx(),
    {"verdict": "accept", "output": IDENTIFIED},
)
add(
    "seed-snippet-second-key",
    "pendo.key-name",
    "low",
    "the same payload signed with the second active key, named",
    event("e-2", sign(SNIPPET, "pendo-2"), "pendo-2"),
    ctx("only_signed"),
    {"verdict": "accept", "output": IDENTIFIED},
)
add(
    "seed-anonymous",
    "pendo.visitor",
    "low",
    "the seed's anonymous-visitor payload (no visitor id)",
    event(
        "e-3",
        sign(
            {
                "nonce": "abcdefg78910xyz",
                "visitor": {"otherVisitorField": "hi"},
                "account": {"otherAccountField": "hello world"},
            }
        ),
    ),
    ctx(),
    {"verdict": "accept", "output": {"anonymous": True, "signed": True}},
)
add(
    "hs512",
    "pendo.alg",
    "medium",
    "algorithm='HS512' with the right secret: Pendo verifies HMAC SHA-256 only",
    event("e-4", sign(SNIPPET, algorithm="HS512")),
    ctx(),
    {"verdict": "reject", "error": "alg_not_allowed"},
)
no_nonce = {k: v for k, v in SNIPPET.items() if k != "nonce"}
add(
    "no-nonce",
    "pendo.nonce",
    "medium",
    "the snippet payload without its nonce",
    event("e-5", sign(no_nonce)),
    ctx(),
    {"verdict": "reject", "error": "claim_missing"},
)
add(
    "exp-passed",
    "pendo.exp",
    "low",
    "an exp a minute before the suite clock (PyJWT sets no exp unless asked)",
    event("e-6", sign({**SNIPPET, "exp": NOW - 60})),
    ctx(),
    {"verdict": "either", "error": "expired"},
)

doc = {"schema": 1, "profile": "pendo", "group": "pyjwt-pendo", "cases": cases}
path = os.path.join(OUT, "pyjwt-pendo.json")
with open(path, "w", encoding="utf-8") as f:
    f.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
print(f"pyjwt-pendo.py: {len(cases)} cases written to {path}")
