// A Pendo customer's signed metadata (jsonwebtoken's JWT.sign, as Pendo's snippet) behind jwtc's protocol.
import { createRequire } from "node:module";
import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline";
import { resolve } from "node:path";
const JWT = createRequire(resolve(process.argv[2] ?? ".") + "/")("jsonwebtoken"); // argv[2]: where npm ci ran

// The app's visitor or account as Pendo wants it: ids as strings, an anonymous visitor without one.
const part = (p) => {
  if (!p) return undefined;
  const { id, ...rest } = p;
  return id === undefined || id === null ? rest : { ...rest, id: String(id) };
};

function mint(request, ctx, now) {
  if ((ctx.revoked ?? []).includes(ctx.active)) return { verdict: "reject", error: "key_revoked" };
  const key = ctx.keys.find((k) => k.kid === ctx.active);
  if (!key) return { verdict: "reject", error: "key_unknown", detail: `no key ${ctx.active}` };
  const secret = Buffer.from(key.k, "base64url").toString(); // the secret's text, as Pendo shows it
  const payload = { visitor: part(request.visitor), account: part(request.account), nonce: randomUUID(), iat: now };
  const jwt = JWT.sign(payload, secret, { algorithm: "HS256" });
  return { verdict: "accept", output: { jwt, signingKeyName: ctx.active } }; // pendo.initialize(options)
}

let now = 0; // the suite clock from the hello: mint at it, never at the wall clock
for await (const line of createInterface({ input: process.stdin })) {
  const msg = JSON.parse(line);
  let out;
  if (msg.type === "hello") {
    now = msg.now;
    out = { type: "hello", name: "pendo-signer-jsonwebtoken", version: "1", profiles: ["pendo-signer"] };
  } else {
    try { out = mint(msg.input, msg.context, now); } catch (e) { out = { verdict: "error", detail: String(e) }; }
    Object.assign(out, { type: "result", id: msg.id, step: msg.step });
  }
  process.stdout.write(JSON.stringify(out) + "\n");
}
