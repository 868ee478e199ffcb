// jwtc peer adapter: auth0/node-jsonwebtoken (with node-rsa for Watson's user_payload).
//
// Speaks docs/protocol.md over stdin/stdout (JSON Lines; logs go to stderr only).
// Usage: node adapter.mjs <install_dir> [--no-algorithms | --mixed-algorithms]
//   <install_dir> holds package.json, package-lock.json and node_modules (npm ci);
//   the packages are loaded from there, never from beside this script.
//   The flags are the history rows' call patterns (README.md, "History"): how users of
//   jsonwebtoken 8.x called it, as the advisories of 9.0.0 describe them.
//
// What is the library and what is glue is said in README.md; in short: every token is
// checked by jwt.verify() with the strictest options it documents (algorithms from the
// context, issuer, audience, clockTolerance = skew, clockTimestamp = the harness's now),
// and the glue does only what jsonwebtoken has no option for: turning JWKs into keys,
// choosing candidate keys by kid (through the getKey(header, cb) hook), the vendors'
// own rules (Pendo's modes, key ring, nonce and dedupe; Watson's required claims, sub
// syntax, user_payload decryption with node-rsa and session pinning; Pomerium's header
// handling, iat rule and identity, and its proxy role signing with jwt.sign; COYO's
// key sources, issuer patterns, jku allowlist, fetch and cache).

import { createRequire } from 'node:module';
import { createPublicKey, createPrivateKey, createSecretKey, KeyObject } from 'node:crypto';
import path from 'node:path';
import readline from 'node:readline';

const NAME = 'node-jsonwebtoken';
const PROFILES = ['core', 'jws', 'pendo', 'coyo', 'watson', 'pomerium', 'pomerium-proxy'];

const installDir = process.argv[2];
if (!installDir) {
  process.stderr.write('usage: node adapter.mjs <install_dir> (the folder npm ci installed jsonwebtoken into)\n');
  process.exit(2);
}
// --no-algorithms: the 8.x README's jwt.verify(token, getKey, options) with no
// `algorithms` (CVE-2022-23540). --mixed-algorithms: one getKey for symmetric and
// asymmetric keys with `algorithms` listing both kinds (CVE-2022-23541). Under either, the
// key lookup is by kid only, as a map lookup (`keys[header.kid]`) is: it hands
// jsonwebtoken PEM text or a Buffer secret (what the 8.x README documents), and
// `undefined` when nothing matches.
const PATTERN = process.argv[3] || null;
if (PATTERN !== null && PATTERN !== '--no-algorithms' && PATTERN !== '--mixed-algorithms') {
  process.stderr.write(`unknown call pattern ${PATTERN} (--no-algorithms or --mixed-algorithms)\n`);
  process.exit(2);
}
const MIXED = ['HS256', 'RS256', 'ES256'];

const requireFromInstall = createRequire(path.join(path.resolve(installDir), 'package.json'));
const jwt = requireFromInstall('jsonwebtoken');
const NodeRSA = requireFromInstall('node-rsa');
const VERSIONS = {
  jsonwebtoken: requireFromInstall('jsonwebtoken/package.json').version,
  'node-rsa': requireFromInstall('node-rsa/package.json').version,
  jws: requireFromInstall('jws/package.json').version,
  node: process.versions.node,
  openssl: process.versions.openssl,
};

const log = (...parts) => process.stderr.write(`${NAME}: ${parts.join(' ')}\n`);

// ---------------------------------------------------------------------------------------
// The protocol: one JSON object per line; fetches read the next line as their answer.

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
const lines = rl[Symbol.asyncIterator]();

async function nextMessage() {
  for (;;) {
    const { value, done } = await lines.next();
    if (done) return null;
    if (value.trim() === '') continue;
    return JSON.parse(value);
  }
}

function send(msg) {
  let line;
  try {
    line = JSON.stringify(msg);
  } catch (e) {
    // An accepted payload nested too deeply for JSON.stringify (V8's stack): keep the
    // verdict, drop the output, and say why.
    const { output, ...rest } = msg;
    line = JSON.stringify({ ...rest, detail: `the output could not be serialised (${e.message}); the library accepted the token` });
  }
  process.stdout.write(`${line}\n`);
}

// The harness plays the network: ask for a URL, the next line is its `fetched` answer.
async function protocolFetch(url) {
  send({ type: 'fetch', url });
  const answer = await nextMessage();
  if (!answer || answer.type !== 'fetched') {
    throw new Error(`expected a fetched answer for ${url}, got ${JSON.stringify(answer)}`);
  }
  return answer;
}

// ---------------------------------------------------------------------------------------
// Verdicts.

class Reject extends Error {
  constructor(code, detail) {
    super(detail);
    this.code = code;
  }
}
class Skip extends Error {}
// A configuration the case cannot run with (an adapter-side error, never a verdict).
class ConfigError extends Error {}

const accept = (output) => ({ verdict: 'accept', output });

// jsonwebtoken's errors, mapped to the codes of profiles.md. The library's own message
// always goes into `detail`.
function codeOf(err) {
  if (err instanceof jwt.TokenExpiredError) return 'expired';
  if (err instanceof jwt.NotBeforeError) return 'not_yet_valid';
  const m = String(err && err.message);
  if (err instanceof SyntaxError) return 'malformed'; // JSON.parse of a typ:JWT payload
  if (m === 'invalid algorithm') return 'alg_not_allowed';
  if (m === 'invalid signature' || /signatures must be/.test(m)) return 'bad_signature';
  if (isKeyMismatch(m)) return 'key_unknown';
  if (m === 'invalid exp value' || m === 'invalid nbf value') return 'claim_invalid';
  if (m.startsWith('jwt audience invalid')) return 'audience_mismatch';
  if (m.startsWith('jwt issuer invalid')) return 'issuer_mismatch';
  return 'malformed'; // jwt malformed, invalid token, jwt signature is required, ...
}

// Errors that say "this key does not fit", so the next candidate key is tried.
function isKeyMismatch(m) {
  return /must be a symmetric key|must be an asymmetric key|"alg" parameter|requires curve|Unknown key type|not valid key material|Invalid key for this operation/.test(m);
}
function isSignatureFailure(m) {
  return m === 'invalid signature' || /signatures must be/.test(m);
}

// ---------------------------------------------------------------------------------------
// Keys. jsonwebtoken takes a PEM string, a KeyObject or a secret; it knows nothing of
// JWKs, so turning a JWK into a KeyObject (node's crypto.createPublicKey with format
// 'jwk') and choosing candidates by kid is glue every user of the library writes.

function b64urlBytes(s) {
  return Buffer.from(String(s), 'base64url');
}

// A configured key: a JWK or {"pem", "kid"?}. Returns {kid, jwk?, key, family} or a
// refusal {refused: reason} (the key could not be imported: a configuration error
// naming it, logged, never a verdict).
function importKeyObject(entry) {
  if (entry && typeof entry.pem === 'string') {
    // PEM text goes to jsonwebtoken as is (it runs createPublicKey itself).
    return { kid: entry.kid, pem: true, key: entry.pem, family: 'pem' };
  }
  const jwk = entry;
  const kid = jwk && jwk.kid;
  try {
    if (!jwk || typeof jwk !== 'object') throw new Error('not a JSON object');
    if (jwk.kty === 'oct') {
      return { kid, jwk, key: createSecretKey(b64urlBytes(jwk.k)), family: 'oct' };
    }
    if (jwk.kty === 'RSA' || jwk.kty === 'EC') {
      // Only the public members: a private JWK would otherwise become a private key.
      const pub = jwk.kty === 'RSA'
        ? { kty: 'RSA', n: jwk.n, e: jwk.e }
        : { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y };
      const key = createPublicKey({ key: pub, format: 'jwk' });
      return { kid, jwk, key, family: jwk.kty === 'RSA' ? 'RSA' : `EC:${jwk.crv}` };
    }
    throw new Error(`kty ${JSON.stringify(jwk.kty)} is not oct, RSA or EC`);
  } catch (e) {
    return { kid, jwk, refused: `${e.message}` };
  }
}

// Under a history call pattern the key is what the 8.x README documents: "a string or
// buffer containing either the secret for HMAC algorithms, or the PEM encoded public key
// for RSA and ECDSA" (SPKI PEM text, or the secret's bytes).
function importKey(entry) {
  const k = importKeyObject(entry);
  if (!PATTERN || k.refused || !(k.key instanceof KeyObject)) return k;
  return { ...k, key: k.key.type === 'secret' ? k.key.export() : k.key.export({ type: 'spki', format: 'pem' }) };
}

function importKeys(entries, notes) {
  const out = [];
  for (const entry of entries || []) {
    const k = importKey(entry);
    if (k.refused) {
      notes.push(`key ${JSON.stringify(k.kid ?? '(no kid)')} refused: ${k.refused}`);
      continue;
    }
    out.push(k);
  }
  return out;
}

const FAMILY = (alg) => {
  if (/^HS(256|384|512)$/.test(alg)) return 'oct';
  if (/^(RS|PS)(256|384|512)$/.test(alg)) return 'RSA';
  if (alg === 'ES256') return 'EC:P-256';
  if (alg === 'ES384') return 'EC:P-384';
  if (alg === 'ES512') return 'EC:P-521';
  return null;
};

// Whether a key may verify `alg`, by the JWK's own members (RFC 7517 §4.2-4.4): use,
// key_ops and alg when set, and its type. PEM keys are left to the library.
function fits(k, alg) {
  if (k.pem || PATTERN) return true; // a map lookup by kid looks at nothing else
  const jwk = k.jwk;
  if (jwk.use !== undefined && jwk.use !== 'sig') return false;
  if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes('verify'))) return false;
  if (jwk.alg !== undefined && jwk.alg !== alg) return false;
  return FAMILY(alg) === k.family;
}

// Candidates for a header: keys that fit `alg` (the configured algorithm, never the
// token's), whose kid equals the header's kid; a key without kid is always a candidate,
// a header without kid tries every key.
function candidatesFor(keys, header, alg) {
  const kid = header && typeof header === 'object' ? header.kid : undefined;
  return keys.filter((k) => fits(k, alg) && (kid === undefined || k.kid === undefined || k.kid === kid));
}

// ---------------------------------------------------------------------------------------
// The library call: jwt.verify(token, getKey, options, callback). getKey(header, cb) is
// the library's documented hook for choosing the key: jsonwebtoken calls it after it has
// split and decoded the token and before it checks the algorithm, the key type, the
// signature and the claims. `select(header)` (sync or async) returns the candidate keys.

function libVerify(token, getKey, options) {
  return new Promise((resolve) => {
    jwt.verify(token, getKey, options, (err, result) => resolve({ err, result }));
  });
}

// Verifies with candidate keys chosen from the header: each candidate in turn while the
// failure is about the key or the signature; any other failure (malformed, algorithm,
// claims) is the verdict. Throws Reject; returns jwt.verify's result (complete: true).
async function verifyWith(token, select, options) {
  let index = 0;
  let candidates = null;
  let keyError = null;
  const failures = [];
  const getKey = (header, cb) => {
    const give = () => {
      if (candidates.length === 0) {
        // The pattern's `keys[header.kid]` finds nothing: jsonwebtoken gets undefined.
        if (PATTERN) return cb(null, undefined);
        keyError = new Reject('key_unknown', `no configured key fits kid ${JSON.stringify(header && header.kid)} and algorithm ${options.algorithms.join('/')}`);
        return cb(keyError);
      }
      return cb(null, candidates[index].key);
    };
    if (candidates !== null) return give();
    Promise.resolve()
      .then(() => select(header))
      .then((c) => {
        candidates = c;
        give();
      }, (e) => {
        keyError = e;
        cb(e);
      });
    return undefined;
  };
  for (;;) {
    const { err, result } = await libVerify(token, getKey, options);
    if (!err) return result;
    if (keyError) {
      if (keyError instanceof Reject) throw new Reject(keyError.code, `${keyError.message} (jsonwebtoken: ${err.message})`);
      throw keyError;
    }
    const m = String(err.message);
    if (candidates && (isSignatureFailure(m) || isKeyMismatch(m))) {
      failures.push(`${JSON.stringify(candidates[index].kid ?? '(no kid)')}: ${m}`);
      index += 1;
      if (index < candidates.length) continue;
      const code = failures.some((f) => /invalid signature|signatures must be/.test(f)) ? 'bad_signature' : 'key_unknown';
      throw new Reject(code, `jsonwebtoken: ${failures.join('; ')}`);
    }
    throw new Reject(codeOf(err), `jsonwebtoken: ${err.name}: ${m}`);
  }
}

function baseOptions(configured, now, skew) {
  let algorithms = configured;
  if (PATTERN === '--no-algorithms') algorithms = undefined;
  if (PATTERN === '--mixed-algorithms') algorithms = [...new Set([...MIXED, ...configured])];
  return {
    ...(algorithms ? { algorithms } : {}),
    clockTimestamp: now,
    clockTolerance: skew || 0,
    complete: true,
  };
}

const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);

// ---------------------------------------------------------------------------------------
// core: a generic JWT verifier with one algorithm.

async function verifyCore(input, context, now) {
  const notes = [];
  const alg = context.algorithm;
  const keys = importKeys(context.keys, notes);
  const r = await verifyWith(input.token, (h) => candidatesFor(keys, h, alg), baseOptions([alg], now, context.skew));
  return accept({ claims: r.payload });
}

// ---------------------------------------------------------------------------------------
// jws: plain RFC 7515. jwt.verify with expiration and not-before ignored (the options the
// library documents for that), so the library's own JWS path (decode, algorithm list,
// key-type checks, jws.verify) is what is measured; the payload bytes are those of the
// verified token's second segment.

async function verifyJws(input, context, now) {
  const notes = [];
  const keys = importKeys(context.keys, notes);
  const algorithms = context.algorithms;
  const options = { ...baseOptions(algorithms, now, 0), ignoreExpiration: true, ignoreNotBefore: true };
  const r = await verifyWith(input.token, (h) => {
    const alg = h && typeof h === 'object' && typeof h.alg === 'string' && algorithms.includes(h.alg) ? h.alg : null;
    // An algorithm outside the list: give the library any key, it refuses the algorithm.
    return alg ? candidatesFor(keys, h, alg) : keys.slice(0, 1);
  }, options);
  const payload = Buffer.from(String(input.token).split('.')[1], 'base64url').toString('base64url');
  return accept({ header: r.header, payload });
}

// ---------------------------------------------------------------------------------------
// pendo: HS256 signed metadata (seed 000). Glue: the subscription (mode, at most five
// active keys, permanent revocation, dedupe by event id), signingKeyName selecting the
// key, the top-level nonce, visitor/account. The token: jwt.verify(jwt, secret,
// {algorithms: ['HS256']}) with the secret as the text Pendo shows (JWT.sign(…,
// 'JWT-SECRET-KEY')).

const PENDO_MAX_KEYS = 5;

function pendoConfigure(state, context, notes) {
  state.revoked ??= new Set();
  state.seen ??= new Set();
  for (const name of context.revoked || []) state.revoked.add(name);
  state.mode = context.mode;
  if (!['disabled', 'allow', 'only_signed'].includes(state.mode)) {
    throw new ConfigError(`context.mode ${JSON.stringify(state.mode)} is not disabled, allow or only_signed`);
  }
  state.active = new Map();
  for (const jwk of context.keys || []) {
    const name = jwk && jwk.kid;
    if (typeof name !== 'string') { notes.push('a key without a name (kid) refused'); continue; }
    if (state.revoked.has(name)) { notes.push(`key ${name} refused: revoked, and revocation cannot be undone`); continue; }
    if (state.active.size >= PENDO_MAX_KEYS) { notes.push(`key ${name} refused: Pendo allows at most ${PENDO_MAX_KEYS} keys`); continue; }
    if (jwk.kty !== 'oct' || typeof jwk.k !== 'string') { notes.push(`key ${name} refused: not an oct JWK`); continue; }
    state.active.set(name, b64urlBytes(jwk.k).toString('utf8'));
  }
}

function pendoIdentity(data, signed) {
  const out = { anonymous: true, signed };
  for (const section of ['visitor', 'account']) {
    const v = data[section];
    if (v === undefined) continue;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      throw new Reject('claim_invalid', `${section} is not an object`);
    }
    if (v.id === undefined) continue;
    if (section === 'visitor') {
      // "Required if user is logged in, must be a string".
      if (typeof v.id !== 'string') throw new Reject('claim_invalid', `visitor.id is ${JSON.stringify(v.id)}, not a string`);
      out.visitor_id = v.id;
      out.anonymous = false;
    } else {
      out.account_id = v.id; // the seed gives account.id no type
    }
  }
  return out;
}

async function verifyPendo(input, context, now, state) {
  const notes = [];
  pendoConfigure(state, context, notes);
  const event = input.event;
  if (!event || typeof event !== 'object' || Array.isArray(event)) throw new Reject('malformed', 'event is not an object');
  if (typeof event.id !== 'string') throw new Reject('malformed', 'event.id is not a string (duplicates are dropped by id)');
  const hasJwt = 'jwt' in event;
  const hasName = 'signingKeyName' in event;
  let out;
  if (hasJwt && state.mode === 'disabled') {
    throw new Reject('signed_not_accepted', '"Use signed metadata" is disabled: events with a JWT are not accepted');
  }
  if (!hasJwt && !hasName) {
    if (state.mode === 'only_signed') throw new Reject('unsigned_rejected', '"Only allow signed metadata": the event has no JWT');
    const md = event.metadata === undefined ? {} : event.metadata;
    if (md === null || typeof md !== 'object' || Array.isArray(md)) throw new Reject('malformed', 'event.metadata is not an object');
    out = pendoIdentity(md, false);
  } else {
    if (!hasJwt) throw new Reject('malformed', 'signingKeyName without jwt');
    if (!hasName) throw new Reject('malformed', 'jwt without signingKeyName ("must have both jwt and signingKeyName")');
    if (typeof event.jwt !== 'string') throw new Reject('malformed', 'jwt is not a string');
    const name = event.signingKeyName;
    if (typeof name !== 'string') throw new Reject('malformed', 'signingKeyName is not a string');
    const r = await verifyWith(event.jwt, () => {
      const secret = state.active.get(name);
      if (secret !== undefined) return [{ kid: name, key: secret }];
      if (state.revoked.has(name)) throw new Reject('key_revoked', `key ${name} was revoked`);
      throw new Reject('key_unknown', `no active key named ${JSON.stringify(name)} (${[...state.active.keys()].join(', ') || 'none'})${notes.length ? `; ${notes.join('; ')}` : ''}`);
    }, baseOptions(['HS256'], now, 0));
    const claims = r.payload;
    if (claims === null || typeof claims !== 'object') {
      // jsonwebtoken returns a non-JSON payload as a string: nothing to read identity from.
      throw new Reject('malformed', `jsonwebtoken accepted a payload that is not a JSON object: ${JSON.stringify(claims).slice(0, 80)}`);
    }
    // "A 'nonce' property must be included … at the top level … a value is required."
    if (claims.nonce === undefined || claims.nonce === null) {
      const nested = ['visitor', 'account'].some((s) => claims[s] && typeof claims[s] === 'object' && 'nonce' in claims[s]);
      throw new Reject('claim_missing', nested ? 'nonce only inside visitor/account: it must be top level' : 'nonce missing');
    }
    out = pendoIdentity(claims, true);
  }
  // "Pendo will drop any duplicate events it receives": only accepted events are remembered.
  if (state.seen.has(event.id)) throw new Reject('duplicate_event', `event ${event.id} was already received`);
  state.seen.add(event.id);
  return accept(out);
}

// ---------------------------------------------------------------------------------------
// watson: RS256 identity token (seed 002). Glue: the claims the seed requires (iss, sub,
// exp), sub as visible ASCII (it becomes a header field), user_payload decrypted with
// node-rsa (the library the seed encrypts with: new RSA(key).decrypt(text, 'json')),
// the session's pinned user id.

function watsonDecryptor(state, jwk) {
  if (jwk === undefined || jwk === null) return null;
  const id = JSON.stringify(jwk);
  if (state.decryptorFor === id) return state.decryptor;
  let pem;
  try {
    pem = createPrivateKey({ key: jwk, format: 'jwk' }).export({ type: 'pkcs1', format: 'pem' });
  } catch (e) {
    throw new ConfigError(`decryption_key ${JSON.stringify(jwk.kid)} refused: ${e.message}`);
  }
  const rsa = new NodeRSA(pem); // default scheme: pkcs1_oaep, sha1 (node-rsa 1.1.1)
  state.decryptorFor = id;
  state.decryptor = rsa;
  return rsa;
}

async function verifyWatson(input, context, now, state) {
  const notes = [];
  const token = input.token;
  if (token === undefined || token === null || token === '') {
    throw new Reject('token_missing', 'security is on and the message carries no identity token');
  }
  const keys = importKeys(context.keys, notes);
  const decryptor = watsonDecryptor(state, context.decryption_key);
  const options = baseOptions(['RS256'], now, context.skew ?? 0);
  if (typeof context.issuer === 'string') options.issuer = context.issuer;
  const r = await verifyWith(token, (h) => candidatesFor(keys, h, 'RS256'), options);
  const claims = r.payload;
  if (claims === null || typeof claims !== 'object') {
    throw new Reject('malformed', `jsonwebtoken accepted a payload that is not a JSON object: ${JSON.stringify(claims).slice(0, 80)}`);
  }
  // "The JWT payload must specify values for the following claims: iss, sub, exp."
  for (const name of ['iss', 'sub']) {
    if (claims[name] === undefined || claims[name] === null) throw new Reject('claim_missing', `${name} missing`);
    if (typeof claims[name] !== 'string') throw new Reject('claim_invalid', `${name} is not a string`);
  }
  if (claims.exp === undefined) throw new Reject('claim_missing', 'exp missing (jsonwebtoken has no option to require it)');
  // "the syntax must meet the requirements for header fields as defined in RFC 7230
  // (all visible ASCII characters)".
  if (!/^[\x21-\x7e]+$/.test(claims.sub)) {
    throw new Reject('claim_invalid', `sub ${JSON.stringify(claims.sub)} is not a non-empty string of visible ASCII`);
  }
  const out = { user_id: claims.sub };
  if (claims.user_payload !== undefined) {
    if (typeof claims.user_payload !== 'string') throw new Reject('claim_invalid', 'user_payload is not a string');
    if (decryptor) {
      try {
        out.user_payload = decryptor.decrypt(claims.user_payload, 'json');
      } catch (e) {
        throw new Reject('payload_undecryptable', `node-rsa: ${e.message}`);
      }
    } else {
      out.user_payload = claims.user_payload;
    }
  }
  // "After you set the value of the sub claim … you cannot change the claim to another user."
  if (state.userId !== undefined && state.userId !== claims.sub) {
    throw new Reject('subject_changed', `sub ${JSON.stringify(claims.sub)} but the session is ${JSON.stringify(state.userId)}`);
  }
  state.userId = claims.sub;
  return accept(out);
}

// ---------------------------------------------------------------------------------------
// Fetching a JWK Set through the protocol, as a careful integrator's HTTP client does:
// GET, no redirects followed, a 5 s time-out, a 64 KiB body bound, status 2xx, JSON with
// a "keys" array. Cached per URL within a case (a set is fresh for 600 s; an unknown kid
// or a failure refetches only after a 60 s cool-down), as jwks-rsa's cache and
// rateLimit options do.

const FETCH_TIMEOUT_MS = 5000;
const FETCH_MAX_BYTES = 64 * 1024;

async function fetchJwks(url) {
  const res = await protocolFetch(url);
  if (res.error) throw new Reject('key_unavailable', `GET ${url}: ${res.error}`);
  if (typeof res.delay_ms === 'number' && res.delay_ms > FETCH_TIMEOUT_MS) {
    throw new Reject('key_unavailable', `GET ${url}: no answer within ${FETCH_TIMEOUT_MS} ms`);
  }
  if (res.status >= 300 && res.status < 400) throw new Reject('key_unavailable', `GET ${url}: HTTP ${res.status} redirect not followed`);
  if (!(res.status >= 200 && res.status < 300)) throw new Reject('key_unavailable', `GET ${url}: HTTP ${res.status}`);
  const body = typeof res.body === 'string' ? res.body : '';
  if (Buffer.byteLength(body, 'utf8') > FETCH_MAX_BYTES) throw new Reject('key_unavailable', `GET ${url}: body over ${FETCH_MAX_BYTES} bytes`);
  let doc;
  try {
    doc = JSON.parse(body);
  } catch (e) {
    throw new Reject('key_unavailable', `GET ${url}: not JSON: ${e.message}`);
  }
  if (!doc || typeof doc !== 'object' || !Array.isArray(doc.keys)) throw new Reject('key_unavailable', `GET ${url}: not a JWK Set (no "keys" array)`);
  return doc.keys;
}

async function cachedJwks(state, url, now, kid, fits) {
  state.jwks ??= new Map();
  let entry = state.jwks.get(url);
  const has = (e) => e.keys && e.keys.some((k) => fits(k) && (kid === undefined || k.kid === undefined || k.kid === kid));
  const stale = (e) => now - e.at >= 600 || ((e.error || !has(e)) && now - e.at >= 60);
  if (!entry || stale(entry)) {
    entry = { at: now };
    try {
      const notes = [];
      entry.keys = importKeys(await fetchJwks(url), notes);
      entry.notes = notes;
    } catch (e) {
      if (!(e instanceof Reject)) throw e;
      entry.error = e;
    }
    state.jwks.set(url, entry);
  }
  if (entry.error) throw new Reject(entry.error.code, entry.error.message);
  return entry.keys;
}

// ---------------------------------------------------------------------------------------
// coyo: RS256 with jku (seed 001). Glue, as an integrator following the seed writes it
// around jsonwebtoken (which has no jku support): read the header and the claimed iss
// with jwt.decode; built-in keys first, then keys registered under an issuer pattern
// matching iss, then the jku — checked against the allowlist before any fetch (WHATWG
// URL: https and an allowlisted origin), fetched through the protocol at its parsed
// serialization, the key chosen by kid — and jwt.verify with the chosen key.

function coyoPattern(p) {
  let source = p;
  let flags = '';
  const m = /^\/(.*)\/([a-z]*)$/s.exec(p);
  if (m) {
    source = m[1];
    flags = m[2];
  }
  if (!/^i?$/.test(flags)) throw new Error(`flags ${JSON.stringify(flags)}: only i is supported`);
  new RegExp(source, flags); // must compile on its own
  // The issuer pattern is matched against the whole iss (JwkStore: "match 'iss' issuer claim").
  return new RegExp(`^(?:${source})$`, flags);
}

function coyoConfig(state, context) {
  const id = JSON.stringify(context);
  if (state.coyoFor === id) return state.coyo;
  const notes = [];
  const builtin = importKeys(context.builtin, notes);
  const issuers = [];
  for (const entry of context.issuers || []) {
    let re;
    try {
      re = coyoPattern(entry.pattern);
    } catch (e) {
      notes.push(`issuer pattern ${JSON.stringify(entry.pattern)} refused: ${e.message}`);
      continue;
    }
    issuers.push({ re, keys: importKeys(entry.keys, notes) });
  }
  const origins = [];
  for (const a of context.jku_allowlist || []) {
    try {
      origins.push(new URL(a).origin);
    } catch (e) {
      notes.push(`allowlist entry ${JSON.stringify(a)} refused: ${e.message}`);
    }
  }
  state.coyoFor = id;
  state.coyo = { builtin, issuers, origins, notes };
  return state.coyo;
}

async function verifyCoyo(input, context, now, state) {
  const cfg = coyoConfig(state, context);
  const token = input.token;
  // The claimed iss, unverified, chooses the registered keys (JwkStore's issuer regex).
  let claimed;
  try {
    claimed = jwt.decode(token, { complete: true });
  } catch (e) {
    claimed = null;
  }
  const iss = claimed && claimed.payload && typeof claimed.payload === 'object' ? claimed.payload.iss : undefined;
  // getKey: the key sources in the seed's order. jsonwebtoken calls it before it checks
  // the algorithm (so a jku is looked up for a token whose alg it will then refuse).
  const select = async (header) => {
    // 1. built-in keys, no network.
    let candidates = candidatesFor(cfg.builtin, header, 'RS256');
    if (candidates.length) return candidates;
    // 2. keys registered under a pattern that matches iss.
    if (typeof iss === 'string') {
      for (const { re, keys } of cfg.issuers) {
        if (re.test(iss)) candidates.push(...candidatesFor(keys, header, 'RS256'));
      }
    }
    if (candidates.length) return candidates;
    // 3. the jku, checked against the allowlist before any fetch ("a plug-in MUST check
    // the public key download URL ('jku' header claim) against a whitelist").
    if (!header || typeof header !== 'object' || header.jku === undefined) return [];
    if (typeof header.jku !== 'string') throw new Reject('malformed', 'jku is not a string');
    let url;
    try {
      url = new URL(header.jku);
    } catch (e) {
      throw new Reject('jku_not_allowed', `jku ${JSON.stringify(header.jku)} is not an absolute URL`);
    }
    if (url.protocol !== 'https:' || !cfg.origins.includes(url.origin)) {
      throw new Reject('jku_not_allowed', `jku origin ${url.origin} (${url.protocol}) is not on the allowlist [${cfg.origins.join(', ')}]`);
    }
    const keys = await cachedJwks(state, url.href, now, header.kid, (k) => fits(k, 'RS256'));
    candidates = candidatesFor(keys, header, 'RS256');
    if (candidates.length === 0) throw new Reject('key_unknown', `the set at ${url.href} has no usable RS256 key for kid ${JSON.stringify(header.kid)}`);
    return candidates;
  };
  const r = await verifyWith(token, select, baseOptions(['RS256'], now, 0));
  const claims = r.payload;
  if (claims === null || typeof claims !== 'object') {
    throw new Reject('malformed', `jsonwebtoken accepted a payload that is not a JSON object: ${JSON.stringify(claims).slice(0, 80)}`);
  }
  if (claims.iss === undefined || claims.iss === null) throw new Reject('claim_missing', 'iss missing');
  if (typeof claims.iss !== 'string') throw new Reject('claim_invalid', 'iss is not a string');
  const out = { iss: claims.iss };
  if (claims.sub !== undefined) {
    if (typeof claims.sub !== 'string') throw new Reject('claim_invalid', 'sub is not a string');
    out.sub = claims.sub;
  }
  return accept(out);
}

// ---------------------------------------------------------------------------------------
// pomerium: ES256 signed headers (seed 003). Glue: the request's headers as node's http
// server hands them to an app (names lowercased, a repeated header joined with ", ",
// values trimmed, a malformed field or a header section over node's 16 KiB
// --max-http-header-size refused before the app runs), the assertion from
// req.headers['x-pomerium-jwt-assertion'], jwt.verify with audience, issuer and
// clockTolerance 60, then what the seed asks and the library has no option for: exp
// required, iat within the minute of skew, the identity claims.

const TCHAR = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const NODE_MAX_HEADER_BYTES = 16 * 1024;

function nodeHeaders(list) {
  let size = 0;
  const headers = new Map();
  for (const pair of list || []) {
    const [name, value] = pair;
    if (typeof name !== 'string' || !TCHAR.test(name)) throw new Reject('malformed', `header name ${JSON.stringify(name)} is not an HTTP token (node's http parser answers 400)`);
    if (typeof value !== 'string' || /[\x00-\x08\x0a-\x1f\x7f]/.test(value)) throw new Reject('malformed', `header ${name} has a control character in its value (node's http parser answers 400)`);
    size += Buffer.byteLength(name) + Buffer.byteLength(value) + 4;
    if (size > NODE_MAX_HEADER_BYTES) throw new Reject('too_large', `headers over ${NODE_MAX_HEADER_BYTES} bytes (node's http server answers 431)`);
    const key = name.toLowerCase();
    const v = value.replace(/^[ \t]+|[ \t]+$/g, '');
    if (!headers.has(key)) headers.set(key, []);
    headers.get(key).push(v);
  }
  return headers;
}

async function verifyPomerium(input, context, now, state) {
  const notes = [];
  const headers = nodeHeaders(input.headers);
  const values = headers.get('x-pomerium-jwt-assertion') || [];
  const token = values.join(', '); // what req.headers gives for a repeated header
  if (token === '') throw new Reject('token_missing', 'no x-pomerium-jwt-assertion header');
  const issuer = context.issuer ?? 'pomerium-proxy';
  const skew = context.skew ?? 60;
  const options = { ...baseOptions(['ES256'], now, skew), audience: context.audience, issuer };
  const configured = Array.isArray(context.keys) ? importKeys(context.keys, notes) : null;
  const select = async (header) => {
    if (configured) return candidatesFor(configured, header, 'ES256');
    // A JWKS at the configured URL or one built from the configured issuer, never from
    // the token; a token naming another issuer is refused before anything is fetched
    // (pomerium.jwks; jsonwebtoken compares iss only after the signature).
    let claimed = null;
    try {
      claimed = jwt.decode(token, { json: true });
    } catch (e) {
      claimed = null;
    }
    const iss = claimed && typeof claimed === 'object' ? claimed.iss : undefined;
    if (iss !== issuer) throw new Reject('issuer_mismatch', `iss ${JSON.stringify(iss)} is not ${JSON.stringify(issuer)} (checked before fetching the JWKS)`);
    const url = context.jwks_url ?? `https://${issuer}/.well-known/pomerium/jwks.json`;
    const keys = await cachedJwks(state, url, now, header && header.kid, (k) => fits(k, 'ES256'));
    return candidatesFor(keys, header, 'ES256');
  };
  let r;
  try {
    r = await verifyWith(token, select, options);
  } catch (e) {
    if (e instanceof Reject && (values.length > 1 || token.includes(','))) {
      throw new Reject('header_conflict', `${values.length} assertion value(s) joined as node does (", "): ${e.message}`);
    }
    throw e;
  }
  const claims = r.payload;
  if (claims === null || typeof claims !== 'object') {
    throw new Reject('malformed', `jsonwebtoken accepted a payload that is not a JSON object: ${JSON.stringify(claims).slice(0, 80)}`);
  }
  // "exp … Allow 1 minute for skew. iat … Allow 1 minute for skew."
  if (claims.exp === undefined) throw new Reject('claim_missing', 'exp missing (jsonwebtoken has no option to require it)');
  if (claims.iat !== undefined) {
    if (!isNumber(claims.iat)) throw new Reject('claim_invalid', 'iat is not a number');
    if (claims.iat > now + skew) throw new Reject('not_yet_valid', `iat ${claims.iat} is more than ${skew} s after now ${now}`);
  }
  if (claims.sub === undefined || claims.sub === null) throw new Reject('claim_missing', 'sub missing');
  if (typeof claims.sub !== 'string') throw new Reject('claim_invalid', 'sub is not a string');
  const out = { sub: claims.sub };
  if (claims.email !== undefined && claims.email !== null) {
    if (typeof claims.email !== 'string') throw new Reject('claim_invalid', 'email is not a string');
    if (claims.email !== '') out.email = claims.email;
  }
  if (claims.groups !== undefined && claims.groups !== null) {
    if (!Array.isArray(claims.groups) || !claims.groups.every((g) => typeof g === 'string')) {
      throw new Reject('claim_invalid', 'groups is not an array of strings');
    }
    if (claims.groups.length > 0) out.groups = claims.groups;
  }
  return accept(out);
}

// pomerium-proxy: strip every client x-pomerium-* header, sign one assertion with
// jwt.sign(…, {algorithm: 'ES256'}) (iat pinned to the harness's now, so the library
// computes exp = now + 300 from it, never from the wall clock).
function proxyPomerium(input, context, now) {
  for (const [name, value] of input.headers || []) {
    if (typeof name !== 'string' || !TCHAR.test(name)) throw new Reject('malformed', `header name ${JSON.stringify(name)} is not an HTTP token (node's http parser answers 400)`);
    if (typeof value !== 'string' || /[\x00-\x08\x0a-\x1f\x7f]/.test(value)) throw new Reject('malformed', `header ${name} has a control character in its value (node's http parser answers 400)`);
  }
  let key;
  try {
    key = createPrivateKey({ key: context.signing_key, format: 'jwk' });
  } catch (e) {
    throw new ConfigError(`signing_key refused: ${e.message}`);
  }
  const kept = (input.headers || []).filter(([name]) => !name.toLowerCase().startsWith('x-pomerium-'));
  const payload = { ...(context.identity || {}), iat: now };
  const signOptions = { algorithm: 'ES256', expiresIn: 300, issuer: context.issuer ?? 'pomerium-proxy', audience: context.audience };
  if (typeof context.signing_key.kid === 'string') signOptions.keyid = context.signing_key.kid;
  const assertion = jwt.sign(payload, key, signOptions);
  return accept({ headers: [...kept, ['x-pomerium-jwt-assertion', assertion]] });
}

// ---------------------------------------------------------------------------------------

async function runCase(msg, now, state) {
  const { profile, input, context } = msg;
  switch (profile) {
    case 'core': return verifyCore(input, context, now);
    case 'jws': return verifyJws(input, context, now);
    case 'pendo': return verifyPendo(input, context, now, state);
    case 'watson': return verifyWatson(input, context, now, state);
    case 'coyo': return verifyCoyo(input, context, now, state);
    case 'pomerium': return verifyPomerium(input, context, now, state);
    case 'pomerium-proxy': return proxyPomerium(input, context, now);
    default: throw new Skip(`profile ${profile} is not implemented by this adapter`);
  }
}

async function main() {
  let now = null;
  let state = {};
  for (;;) {
    const msg = await nextMessage();
    if (msg === null) break;
    if (msg.type === 'hello') {
      now = msg.now;
      log(`clock ${now}; ${Object.entries(VERSIONS).map(([k, v]) => `${k} ${v}`).join(', ')}`);
      send({ type: 'hello', name: NAME, version: VERSIONS.jsonwebtoken, profiles: PROFILES, ...(PATTERN ? { pattern: PATTERN } : {}) });
      continue;
    }
    if (msg.type !== 'case') continue;
    if (msg.step === 0) state = {};
    const answer = { type: 'result', id: msg.id, step: msg.step };
    try {
      Object.assign(answer, await runCase(msg, now, state));
    } catch (e) {
      if (e instanceof Reject) {
        Object.assign(answer, { verdict: 'reject', error: e.code, detail: e.message });
      } else if (e instanceof Skip) {
        Object.assign(answer, { type: 'skip', reason: e.message });
      } else if (e instanceof ConfigError) {
        Object.assign(answer, { verdict: 'error', detail: `configuration: ${e.message}` });
      } else {
        log(`${msg.id}: adapter bug: ${e && e.stack}`);
        Object.assign(answer, { verdict: 'error', detail: `adapter bug: ${e && e.message}` });
      }
    }
    send(answer);
  }
}

main().catch((e) => {
  log(`fatal: ${e && e.stack}`);
  process.exit(1);
});
