// A COYO plug-in back end, for jwtc probe's tests: node:http and jose 6.2.17, verifying the
// token of a front-end call or lifecycle event (Authorization: Bearer) as COYO's
// "JWT token security" text asks: RS256 (RS512 by a key that declares it), keys built in (tried first, no network), keys
// registered under an issuer pattern matched against iss, else the key set or COYO's key document {alg, key} downloaded from
// the header's jku, but only from an https origin on the allowlist. Two deliberately wrong
// variants. Listens on 127.0.0.1 only; prints "listening PORT" once ready.
//
//   NODE_EXTRA_CA_CERTS=CA.pem node server.mjs INSTALL_DIR MODE PORT CONFIG_JSON
//
// CONFIG_JSON: what `jwtc keys serve --profile coyo` prints (issuer_pattern,
// registered_keys_jwks, builtin_keys_jwks, jku_allowlist), as a file.
//
// MODE: correct   the allowlist compares the jku's parsed origin (and its serialization
//                 must be the jku as written: no alternative spellings)
//       any-jku   WRONG: downloads from any jku (no allowlist at all)
//       host-only WRONG: compares the jku's host and port with the allowlist's, not its
//                 scheme, so an http:// jku on the allowlisted host is downloaded
//       lax-fetch WRONG: as correct, but the download follows redirects, takes a body
//                 of any size and waits as long as the server takes (fetch's defaults)
//
// (A string-prefix allowlist, jku.startsWith(origin), is not among them: against the key
// server's 127.0.0.1:PORT origins its tricks need a host name or credentials in the URL,
// and Node's fetch refuses URLs with credentials; docs/probe.md.)
//
// Fetched sets are not cached across requests (the probe serves each case its own set at
// the same URL). 200 {"iss","sub"} on success, 401 {"error"} otherwise.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [installDir, mode, port, configFile] = process.argv.slice(2);
const jose = await import(pathToFileURL(path.join(installDir, 'node_modules/jose/dist/webapi/index.js')).href);
const config = JSON.parse(fs.readFileSync(configFile, 'utf8'));

const literal = /^\/(.*)\/([a-z]*)$/s.exec(config.issuer_pattern);
const issuerPattern = literal ? new RegExp(`^(?:${literal[1]})$`, literal[2]) : new RegExp(`^(?:${config.issuer_pattern})$`);
const allowlist = config.jku_allowlist;

// At most 64 KiB, 5 s, no redirect followed, status 200, a JSON object with a keys array.
async function download(url) {
  const lax = mode === 'lax-fetch';
  const res = await fetch(url, lax ? { redirect: 'follow' } : { redirect: 'manual', signal: AbortSignal.timeout(5000) });
  if (res.status !== 200) throw new Error(`key_unavailable: HTTP ${res.status} from ${url}`);
  const text = await res.text();
  if (!lax && text.length > 64 * 1024) throw new Error(`key_unavailable: over 64 KiB from ${url}`);
  const set = JSON.parse(text);
  // COYO's key document, {alg: <WebCrypto algorithm>, key: <JWK>}: the one key, its alg
  // from the document (RSASSA-PKCS1-v1_5 with SHA-256 is RS256, with SHA-512 RS512).
  if (set !== null && typeof set === 'object' && set.keys === undefined && set.key !== undefined) {
    const hash = typeof set.alg?.hash === 'string' ? set.alg.hash : set.alg?.hash?.name;
    const alg = set.alg?.name === 'RSASSA-PKCS1-v1_5' ? { 'SHA-256': 'RS256', 'SHA-512': 'RS512' }[hash] : undefined;
    const extra = Object.keys(set).some((k) => k !== 'alg' && k !== 'key');
    if (!alg || extra || typeof set.key !== 'object' || (set.key.alg !== undefined && set.key.alg !== alg)) {
      throw new Error(`key_unavailable: not a usable key document at ${url}`);
    }
    return [{ ...set.key, alg }];
  }
  if (set === null || typeof set !== 'object' || !Array.isArray(set.keys)) {
    throw new Error(`key_unavailable: not a JWK Set at ${url}`);
  }
  return set.keys;
}

// The built-in and registered keys, downloaded at the first request (the probe starts its
// key server when it starts, so the back end may be started first), again after a failure.
let configured;
function configuredKeys() {
  configured ??= Promise.all([download(config.builtin_keys_jwks), download(config.registered_keys_jwks)])
    .catch((e) => { configured = undefined; throw e; });
  return configured;
}

function allowed(jku) {
  if (typeof jku !== 'string') return false;
  if (mode === 'any-jku') return true;
  if (mode === 'host-only') {
    try { return allowlist.some((origin) => new URL(origin).host === new URL(jku).host); } catch { return false; }
  }
  if (jku.length > 2048) return false;
  let u;
  try { u = new URL(jku); } catch { return false; }
  return u.protocol === 'https:' && u.username === '' && u.password === ''
    && allowlist.includes(u.origin) && u.href === jku;
}

// The keys of a set the token may name: RSA, the token's alg (RS512 only by a key that
// declares it), use sig, key_ops verify when set; a kid selects, a key without kid is a
// candidate.
function candidates(keys, kid, alg) {
  return keys.filter((k) => k && k.kty === 'RSA'
    && (k.alg === undefined ? alg === 'RS256' : k.alg === alg)
    && (k.use === undefined || k.use === 'sig')
    && (k.key_ops === undefined || (Array.isArray(k.key_ops) && k.key_ops.includes('verify')))
    && (kid === undefined || k.kid === undefined || k.kid === kid));
}

async function verifyWith(token, keys, alg) {
  let last = new Error('bad_signature');
  for (const jwk of keys) {
    try {
      const key = await jose.importJWK({ kty: jwk.kty, n: jwk.n, e: jwk.e }, alg);
      return (await jose.jwtVerify(token, key, { algorithms: [alg], clockTolerance: 0 })).payload;
    } catch (e) {
      last = e;
    }
  }
  throw last;
}

async function identity(req) {
  const auth = req.headers.authorization;
  if (typeof auth !== 'string' || !auth.startsWith('Bearer ')) throw new Error('no token');
  const token = auth.slice('Bearer '.length);
  const header = jose.decodeProtectedHeader(token);
  if (header.alg !== 'RS256' && header.alg !== 'RS512') throw new Error('alg_not_allowed');
  const alg = header.alg;
  const claims = jose.decodeJwt(token);
  const kid = header.kid;
  if (kid !== undefined && typeof kid !== 'string') throw new Error('malformed: kid');
  const iss = typeof claims.iss === 'string' ? claims.iss : undefined;
  // Built-in keys first, then the keys registered for the issuer; jku only when neither
  // has a candidate.
  const [builtin, registered] = await configuredKeys();
  let keys = candidates(builtin, kid, alg);
  if (iss !== undefined && issuerPattern.test(iss)) keys = keys.concat(candidates(registered, kid, alg));
  if (keys.length === 0) {
    if (header.jku === undefined) throw new Error('key_unknown');
    if (!allowed(header.jku)) throw new Error('jku_not_allowed');
    const url = mode === 'correct' || mode === 'lax-fetch' ? new URL(header.jku).href : header.jku;
    keys = candidates(await download(url), kid, alg);
    if (keys.length === 0) throw new Error('key_unknown');
  }
  const payload = await verifyWith(token, keys, alg);
  if (typeof payload.iss !== 'string') throw new Error('claim_missing: iss');
  if (payload.sub !== undefined && typeof payload.sub !== 'string') throw new Error('claim_invalid: sub');
  return { iss: payload.iss, sub: payload.sub };
}

const server = http.createServer(async (req, res) => {
  try {
    const who = await identity(req);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(who));
  } catch (e) {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: String((e && e.message) || e) }));
  }
});
server.listen(Number(port), '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
