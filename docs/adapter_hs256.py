# A real adapter in 30 lines: HS256 JWTs (profile core) with Python's standard library.
import base64, hashlib, hmac, json, sys

def b64(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))

def verify(token, ctx, now):
    h, p, s = token.split(".")                       # ValueError: not 3 segments
    header, claims = json.loads(b64(h)), json.loads(b64(p))
    if header.get("alg") != ctx["algorithm"]:
        return {"verdict": "reject", "error": "alg_not_allowed", "detail": f"alg {header.get('alg')}"}
    keys = [b64(k["k"]) for k in ctx["keys"] if k.get("kid", header.get("kid")) == header.get("kid")]
    mac = lambda k: hmac.new(k, f"{h}.{p}".encode(), hashlib.sha256).digest()
    if not any(hmac.compare_digest(mac(k), b64(s)) for k in keys):
        return {"verdict": "reject", "error": "bad_signature", "detail": "no key verifies"}
    if "exp" in claims and now >= claims["exp"] + ctx.get("skew", 0):
        return {"verdict": "reject", "error": "expired", "detail": f"exp {claims['exp']}"}
    return {"verdict": "accept", "output": {"claims": claims}}

now = 0
for line in sys.stdin:
    msg = json.loads(line)
    if msg["type"] == "hello":
        now, out = msg["now"], {"type": "hello", "name": "hs256-stdlib", "version": "1", "profiles": ["core"]}
    elif msg["context"]["algorithm"] != "HS256":
        out = {"type": "skip", "id": msg["id"], "step": msg["step"], "reason": "HS256 core only"}
    else:
        try: out = verify(msg["input"]["token"], msg["context"], now)
        except Exception as e: out = {"verdict": "reject", "error": "malformed", "detail": repr(e)}
        out.update(type="result", id=msg["id"], step=msg["step"])
    print(json.dumps(out), flush=True)
