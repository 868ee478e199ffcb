# A Watson customer's identity token (PyJWT, cryptography's RSA-OAEP) behind jwtc's protocol.
import base64, json, math, sys
import jwt
from jwt.algorithms import RSAAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

OAEP = padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None)

def encrypt(payload, ibm_jwk):  # node-rsa's encrypt(text, 'base64'): equal chunks of at most k - 42 bytes
    key = RSAAlgorithm.from_jwk(json.dumps(ibm_jwk))
    data, k = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode(), key.key_size // 8
    size = max(1, math.ceil(len(data) / max(1, math.ceil(len(data) / (k - 42)))))
    chunks = [data[i:i + size] for i in range(0, len(data), size)] or [b""]
    return base64.b64encode(b"".join(key.encrypt(c, OAEP) for c in chunks)).decode()

def mint(request, ctx, now):  # the customer's login route: user id (and payload) -> identity token
    key = RSAAlgorithm.from_jwk(json.dumps(ctx["signing_key"]))
    if key.key_size < 2048:
        return {"verdict": "reject", "error": "key_unknown", "detail": f"a {key.key_size}-bit signing key"}
    user = str(request["user_id"])
    if not user or any(not "!" <= c <= "~" for c in user):
        return {"verdict": "reject", "error": "claim_invalid", "detail": f"user id {user!r} cannot be a sub"}
    claims = {"iss": ctx["issuer"], "sub": user, "iat": now, "exp": now + 300}
    if request.get("payload") is not None:
        claims["user_payload"] = encrypt(request["payload"], ctx["ibm_public_key"])
    return {"verdict": "accept", "output": {"token": jwt.encode(claims, key, algorithm="RS256")}}

now = 0  # the suite clock from the hello: mint at it, never at the wall clock
for line in sys.stdin:
    msg = json.loads(line)
    if msg["type"] == "hello":
        now, out = msg["now"], {"type": "hello", "name": "watson-signer-pyjwt", "version": "1", "profiles": ["watson-signer"]}
    else:
        try: out = mint(msg["input"], msg["context"], now)
        except Exception as e: out = {"verdict": "error", "detail": repr(e)}
        out.update(type="result", id=msg["id"], step=msg["step"])
    print(json.dumps(out), flush=True)
