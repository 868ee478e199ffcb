"""A Pomerium-protected back end for jwtc probe's tests: Python's http.server and PyJWT
2.15.1's PyJWKClient, verifying the X-Pomerium-Jwt-Assertion header with the audience, the
issuer, ES256 only and 60 s leeway. Listens on 127.0.0.1 only; prints "listening PORT".

    python3 server.py PORT JWKS_URL AUDIENCE ISSUER

200 {"sub","email","groups"} on success, 401 {"error"} otherwise.
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt

PORT, JWKS_URL, AUDIENCE, ISSUER = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
JWKS = jwt.PyJWKClient(JWKS_URL, cache_keys=True, timeout=2)


def identity(headers):
    values = headers.get_all("x-pomerium-jwt-assertion") or []
    if len(set(values)) != 1:
        raise ValueError(f"{len(values)} differing assertion headers")
    token = values[0].strip()
    key = JWKS.get_signing_key_from_jwt(token)
    claims = jwt.decode(
        token,
        key.key,
        algorithms=["ES256"],
        audience=AUDIENCE,
        issuer=ISSUER,
        leeway=60,
        options={"require": ["exp", "iat", "sub"]},
    )
    sub, email, groups = claims.get("sub"), claims.get("email"), claims.get("groups")
    if not isinstance(sub, str) or sub == "":
        raise ValueError("sub")
    if email is not None and not isinstance(email, str):
        raise ValueError("email")
    if groups is not None and not (isinstance(groups, list) and all(isinstance(g, str) for g in groups)):
        raise ValueError("groups")
    out = {"sub": sub}
    if email:
        out["email"] = email
    if groups:
        out["groups"] = groups
    return out


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        try:
            status, body = 200, identity(self.headers)
        except Exception as e:  # every failure to verify is a 401
            status, body = 401, {"error": type(e).__name__}
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
print(f"listening {server.server_address[1]}", flush=True)
server.serve_forever()
