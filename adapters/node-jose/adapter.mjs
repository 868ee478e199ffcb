// jwtc peer adapter for jose (npm, panva/jose), over the protocol of docs/protocol.md.
//
//   node adapter.mjs <install_dir>
//
// <install_dir> holds node_modules (npm ci of this folder's package.json and lock); the
// packages are loaded from there, never from beside this script. stdout carries protocol
// lines only; logs go to stderr. README.md says how jose is configured and what glue is
// added for each profile.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import { createPrivateKey } from 'node:crypto';
import { pathToFileURL } from 'node:url';

const NAME = 'node-jose';
const PROFILES = ['core', 'jws', 'pendo', 'watson', 'pomerium', 'pomerium-proxy', 'coyo'];

const log = (...a) => process.stderr.write(`${NAME}: ${a.join(' ')}\n`);

// ---- the packages, from the install dir -------------------------------------------------

const installDir = process.argv[2];
if (!installDir) {
  log('usage: node adapter.mjs <install_dir>');
  process.exit(2);
}
const requireFromInstall = createRequire(path.join(path.resolve(installDir), 'package.json'));
const joseEntry = requireFromInstall.resolve('jose');
const jose = await import(pathToFileURL(joseEntry).href);
const NodeRSA = requireFromInstall('node-rsa');

/** The version in the package.json of the package that holds `entry`. */
function versionOf(entry, name) {
  let dir = path.dirname(entry);
  for (let i = 0; i < 8; i++) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      if (pkg.name === name) return pkg.version;
    } catch {
      // keep walking up
    }
    dir = path.dirname(dir);
  }
  return 'unknown';
}
const JOSE_VERSION = versionOf(joseEntry, 'jose');
const NODE_RSA_VERSION = versionOf(requireFromInstall.resolve('node-rsa'), 'node-rsa');
log(`jose ${JOSE_VERSION} from ${joseEntry}; node-rsa ${NODE_RSA_VERSION}; node ${process.version}`);

// ---- the wire ---------------------------------------------------------------------------

const lines = [];
const waiting = [];
let closed = false;
const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  if (!line.trim()) return;
  const w = waiting.shift();
  if (w) w(line);
  else lines.push(line);
});
rl.on('close', () => {
  closed = true;
  for (const w of waiting.splice(0)) w(null);
});
/** The next non-blank line from the harness, or null at the end of stdin. */
function nextLine() {
  if (lines.length) return Promise.resolve(lines.shift());
  if (closed) return Promise.resolve(null);
  return new Promise((resolve) => waiting.push(resolve));
}
function send(msg) {
  let text;
  try {
    text = JSON.stringify(msg);
  } catch (e) {
    // An accepted payload nested too deep for JSON.stringify: answer without the output.
    const { output, ...rest } = msg;
    rest.detail = [rest.detail, `the output could not be serialized (${e.message})`].filter(Boolean).join('; ');
    text = JSON.stringify(rest);
  }
  // A pipe's writes are synchronous on Linux: nothing is held back.
  process.stdout.write(`${text}\n`);
}

// ---- verdicts and error codes ----------------------------------------------------------

/** A reject decided by the glue (or a library error given a code by the glue). */
class Reject extends Error {
  constructor(code, detail, options) {
    super(detail, options);
    this.jwtc = code;
  }
}
/** What jose cannot express: answered `skip`. */
class Skip extends Error {}

const accept = (output) => ({ verdict: 'accept', output });

/** The TypeErrors jose raises when it cannot use a key for the token's algorithm (lib/key.js, key/import.js). */
const JOSE_KEY_ERRORS =
  /^(Invalid key for this operation|JSON Web Key |Key for the |CryptoKey |\S+ requires key modulusLength|\S+ instances must be of type|"ext" |"key_ops" |"alg" argument is required|missing "k"|JWK must be an object)/;

/**
 * The error code for a jose exception (profiles.md's codes); null when the exception is not
 * one the library raises for a token or key (then it is an adapter bug: verdict `error`).
 */
function codeOf(e) {
  if (e instanceof Reject) return e.jwtc;
  switch (e?.code) {
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'alg_not_allowed';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'bad_signature';
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
    case 'ERR_JWK_INVALID':
    case 'ERR_JWKS_INVALID':
      return 'key_unknown';
    case 'ERR_JWKS_TIMEOUT':
      return 'key_unavailable';
    case 'ERR_JWT_EXPIRED':
      return 'expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (e.reason === 'missing') return 'claim_missing';
      if (e.reason === 'invalid') return 'claim_invalid';
      switch (e.claim) {
        case 'iss':
          return 'issuer_mismatch';
        case 'aud':
          return 'audience_mismatch';
        case 'nbf':
        case 'iat':
          return 'not_yet_valid';
        case 'typ':
          return 'malformed';
        default:
          return 'claim_invalid';
      }
    case 'ERR_JWS_INVALID':
      return /"alg" \(Algorithm\) Header Parameter/.test(e.message) ? 'alg_not_allowed' : 'malformed';
    case 'ERR_JWT_INVALID':
      return 'malformed';
    case 'ERR_JOSE_NOT_SUPPORTED':
      // "Extension Header Parameter ... is not recognized" (crit) is a header problem; the
      // rest are an algorithm or key type jose does not take.
      return /Extension Header Parameter/.test(e.message) ? 'malformed' : 'alg_not_allowed';
    case 'ERR_JOSE_GENERIC':
      return 'key_unavailable';
  }
  // Key material jose or WebCrypto refused while preparing the key (a configuration error
  // naming the key, so the token has no usable key).
  if (
    (e instanceof TypeError && JOSE_KEY_ERRORS.test(e.message)) ||
    e?.name === 'DataError' ||
    e?.name === 'NotSupportedError'
  ) {
    return 'key_unknown';
  }
  return null;
}

function describe(e) {
  if (e instanceof Reject) return e.message;
  const parts = [`${e?.name ?? 'Error'}${e?.code ? ` ${e.code}` : ''}: ${e?.message ?? String(e)}`];
  if (e?.claim) parts.push(`(claim ${e.claim}, reason ${e.reason})`);
  if (e?.cause && e.cause !== e && !(e.cause.claim && e.cause.payload)) {
    parts.push(`caused by ${e.cause?.name ?? ''}: ${e.cause?.message ?? String(e.cause)}`);
  }
  return parts.join(' ');
}

// ---- keys -------------------------------------------------------------------------------

/** A PEM entry of `context.keys` imported by jose for `alg` (SPKI, or an X.509 certificate). */
async function importPem(pem, alg) {
  const text = String(pem).trim();
  return text.startsWith('-----BEGIN CERTIFICATE-----')
    ? jose.importX509(text, alg, { extractable: true })
    : jose.importSPKI(text, alg, { extractable: true });
}

/**
 * The key argument for jwtVerify / compactVerify, from `context.keys`, the way a jose user
 * holds such keys:
 * - one HMAC secret (an oct JWK): the JWK itself (jose checks its "alg", "use" and
 *   "key_ops" against the token; a JWK Set cannot hold a secret);
 * - one PEM (`{"pem"}`, no kid): importSPKI / importX509 for `alg`, the key itself;
 * - otherwise the list as a JWK Set, createLocalJWKSet: jose selects by "alg", "kid",
 *   "use", "key_ops". PEM entries enter it through exportJWK, with their kid.
 * A PEM jose refuses is left out and noted (a configuration error naming it).
 */
async function keyFor(list, alg, notes) {
  if (!Array.isArray(list)) throw new Error('context.keys is not an array');
  const isPem = (k) => k && typeof k === 'object' && 'pem' in k;
  const refused = (i, k, e) =>
    notes.push(`configuration: keys[${i}] (pem${k.kid ? `, kid ${k.kid}` : ''}) refused by jose for ${alg}: ${e.message}`);
  if (list.length === 1 && list[0]?.kty === 'oct') return { ...list[0] };
  if (list.length === 1 && isPem(list[0])) {
    try {
      return await importPem(list[0].pem, alg);
    } catch (e) {
      refused(0, list[0], e);
      return jose.createLocalJWKSet({ keys: [] });
    }
  }
  const keys = [];
  for (const [i, k] of list.entries()) {
    if (!isPem(k)) {
      keys.push(k);
      continue;
    }
    try {
      const jwk = await jose.exportJWK(await importPem(k.pem, alg));
      if (typeof k.kid === 'string') jwk.kid = k.kid;
      keys.push(jwk);
    } catch (e) {
      refused(i, k, e);
    }
  }
  return jose.createLocalJWKSet({ keys });
}

/**
 * jose's documented opt-in for a JWK Set where several keys match (createLocalJWKSet /
 * createRemoteJWKSet docs): catch ERR_JWKS_MULTIPLE_MATCHING_KEYS and try each key.
 */
async function withEachMatchingKey(verify, key) {
  try {
    return await verify(key);
  } catch (error) {
    if (error?.code !== 'ERR_JWKS_MULTIPLE_MATCHING_KEYS') throw error;
    for await (const candidate of error) {
      try {
        return await verify(candidate);
      } catch (inner) {
        if (inner?.code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') continue;
        throw inner;
      }
    }
    throw new jose.errors.JWSSignatureVerificationFailed();
  }
}

const jwtVerify = (token, key, options) => withEachMatchingKey((k) => jose.jwtVerify(token, k, options), key);
const compactVerify = (token, key, options) => withEachMatchingKey((k) => jose.compactVerify(token, k, options), key);

// ---- the network: jose's createRemoteJWKSet with a customFetch that asks the harness -----

/** jose's default timeoutDuration, passed explicitly so a `delay_ms` can be judged by it. */
const FETCH_TIMEOUT_MS = 5000;
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

/** The harness plays the server: a fetch-compatible function for jose's [customFetch]. */
async function harnessFetch(url /* , { headers, method, redirect, signal } */) {
  const href = String(url);
  send({ type: 'fetch', url: href });
  const line = await nextLine();
  if (line === null) throw new Error(`stdin closed while fetching ${href}`);
  const answer = JSON.parse(line);
  if (answer.type !== 'fetched' || answer.url !== href) {
    throw new Error(`expected fetched ${JSON.stringify(href)}, got ${line.slice(0, 200)}`);
  }
  if (answer.error !== undefined) {
    // What undici's fetch throws when the host cannot be reached.
    throw new TypeError('fetch failed', { cause: new Error(String(answer.error)) });
  }
  if ((answer.delay_ms ?? 0) >= FETCH_TIMEOUT_MS) {
    // AbortSignal.timeout(timeoutDuration) fires first: what fetch rejects with then.
    throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
  }
  const status = answer.status;
  const body = NULL_BODY_STATUS.has(status) ? null : (answer.body ?? '');
  return new Response(body, { status, headers: answer.headers ?? {} });
}

/** One RemoteJWKSet per URL for the whole case (its cache and cool-down are jose's). */
function remoteSet(state, url) {
  let set = state.remote.get(url.href);
  if (!set) {
    set = jose.createRemoteJWKSet(url, {
      [jose.customFetch]: harnessFetch,
      timeoutDuration: FETCH_TIMEOUT_MS,
    });
    state.remote.set(url.href, set);
  }
  return set;
}

/** Errors of the remote set that mean "the keys could not be had": key_unavailable. */
function unavailable(e, url) {
  if (e instanceof Reject) return e;
  const code = e?.code;
  if (code === 'ERR_JWKS_NO_MATCHING_KEY' || code === 'ERR_JWKS_MULTIPLE_MATCHING_KEYS') return e;
  if (
    code === 'ERR_JOSE_GENERIC' ||
    code === 'ERR_JWKS_TIMEOUT' ||
    code === 'ERR_JWKS_INVALID' ||
    e instanceof TypeError ||
    e instanceof SyntaxError
  ) {
    return new Reject('key_unavailable', `JWKS ${url.href}: ${describe(e)}`, { cause: e });
  }
  return e;
}

// ---- helpers ----------------------------------------------------------------------------

const isPlainObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const currentDate = (now) => new Date(now * 1000);
const b64url = (bytes) => Buffer.from(bytes).toString('base64url');

function skewOf(context, fallback) {
  const s = context.skew ?? fallback;
  if (typeof s !== 'number') throw new Error('context.skew is not a number');
  return s;
}

// ---- core -------------------------------------------------------------------------------

async function core(input, context, now, state, notes) {
  const alg = context.algorithm;
  const key = await keyFor(context.keys, alg, notes);
  const { payload } = await jwtVerify(input.token, key, {
    algorithms: [alg],
    clockTolerance: skewOf(context, 0),
    currentDate: currentDate(now),
  });
  return accept({ claims: payload });
}

// ---- jws --------------------------------------------------------------------------------

async function plainJws(input, context, now, state, notes) {
  const key = await keyFor(context.keys, undefined, notes);
  const { payload, protectedHeader } = await compactVerify(input.token, key, {
    algorithms: context.algorithms,
  });
  return accept({ header: protectedHeader, payload: b64url(payload) });
}

// ---- pendo ------------------------------------------------------------------------------

const PENDO_MAX_ACTIVE = 5;

/** The identity of a verified claims set or of plain metadata (seed 000's snippet). */
function pendoIdentity(claims, signed) {
  const { visitor, account } = claims ?? {};
  if (visitor !== undefined && !isPlainObject(visitor)) {
    throw new Reject('claim_invalid', 'visitor is not an object');
  }
  if (account !== undefined && !isPlainObject(account)) {
    throw new Reject('claim_invalid', 'account is not an object');
  }
  const out = { anonymous: true, signed };
  if (visitor?.id !== undefined) {
    // "id: 'VISITOR-UNIQUE-ID' // Required if user is logged in, must be a string"
    if (typeof visitor.id !== 'string') {
      throw new Reject('claim_invalid', `visitor.id is ${JSON.stringify(visitor.id)}, not a string`);
    }
    out.visitor_id = visitor.id;
    out.anonymous = false;
  }
  if (account?.id !== undefined) out.account_id = account.id;
  return out;
}

async function pendo(input, context, now, state, notes) {
  state.revoked ??= new Set();
  state.seen ??= new Set();
  // The subscription's key ring: revocation is permanent ("This cannot be undone"), at
  // most five active keys ("You can create up to five keys").
  for (const name of context.revoked ?? []) state.revoked.add(name);
  const active = new Map();
  for (const k of context.keys ?? []) {
    if (state.revoked.has(k.kid)) {
      notes.push(`configuration: key ${k.kid} is revoked and stays revoked`);
    } else if (active.size >= PENDO_MAX_ACTIVE) {
      notes.push(`configuration: key ${k.kid} refused: at most ${PENDO_MAX_ACTIVE} active keys`);
    } else {
      active.set(k.kid, k);
    }
  }
  const mode = context.mode;
  if (!['disabled', 'allow', 'only_signed'].includes(mode)) throw new Error(`context.mode ${mode}`);
  const event = input.event;
  if (!isPlainObject(event)) throw new Error('input.event is not an object');
  const hasJwt = event.jwt !== undefined;
  const hasName = event.signingKeyName !== undefined;
  let identity;
  if (mode === 'disabled' && hasJwt) {
    throw new Reject('signed_not_accepted', '"Use signed metadata" is disabled: an event with a jwt is not accepted');
  }
  if (hasJwt !== hasName) {
    throw new Reject('malformed', 'the event must have both jwt and signingKeyName');
  }
  if (hasJwt) {
    if (typeof event.jwt !== 'string' || typeof event.signingKeyName !== 'string') {
      throw new Reject('malformed', 'jwt and signingKeyName must be strings');
    }
    const name = event.signingKeyName;
    if (state.revoked.has(name)) throw new Reject('key_revoked', `key ${name} is revoked`);
    const jwk = active.get(name);
    if (!jwk) throw new Reject('key_unknown', `no active key named ${JSON.stringify(name)}`);
    const secret = await jose.importJWK(jwk, 'HS256');
    const { payload } = await jose.jwtVerify(event.jwt, secret, {
      algorithms: ['HS256'],
      requiredClaims: ['nonce'],
      currentDate: currentDate(now),
    });
    identity = pendoIdentity(payload, true);
  } else {
    if (mode === 'only_signed') {
      throw new Reject('unsigned_rejected', '"Only allow signed metadata": an event without a jwt is dropped');
    }
    identity = pendoIdentity(event.metadata, false);
  }
  // "Pendo will drop any duplicate events it receives": by event id, accepted events only.
  if (state.seen.has(event.id)) throw new Reject('duplicate_event', `event ${JSON.stringify(event.id)} was seen`);
  state.seen.add(event.id);
  return accept(identity);
}

// ---- watson -----------------------------------------------------------------------------

/** RFC 7230 visible ASCII (VCHAR), what the seed asks of sub (it goes in a header). */
const VCHAR = /^[\x21-\x7e]+$/;

/** IBM's key pair's private half (a JWK) as node-rsa takes it: PKCS#1 PEM. */
function nodeRsaKey(jwk) {
  const pem = createPrivateKey({ key: jwk, format: 'jwk' }).export({ type: 'pkcs1', format: 'pem' });
  return new NodeRSA(pem); // defaults: pkcs1_oaep, sha1, the scheme the seed's encrypt uses
}

async function watson(input, context, now, state, notes) {
  const token = input.token;
  if (token === undefined || token === null || token === '') {
    throw new Reject('token_missing', 'security is on and the message carries no token');
  }
  const key = await keyFor(context.keys, 'RS256', notes);
  const options = {
    algorithms: ['RS256'],
    requiredClaims: ['iss', 'sub', 'exp'],
    clockTolerance: skewOf(context, 0),
    currentDate: currentDate(now),
  };
  if (context.issuer !== undefined && context.issuer !== null) options.issuer = context.issuer;
  const { payload } = await jwtVerify(token, key, options);
  const sub = payload.sub;
  if (typeof sub !== 'string' || !VCHAR.test(sub)) {
    throw new Reject('claim_invalid', `sub ${JSON.stringify(sub)} is not a non-empty string of visible ASCII (RFC 7230)`);
  }
  const out = { user_id: sub };
  if (payload.user_payload !== undefined) {
    if (context.decryption_key) {
      let rsa;
      try {
        rsa = nodeRsaKey(context.decryption_key);
      } catch (e) {
        throw new Error(`configuration: decryption_key refused: ${e.message}`);
      }
      try {
        out.user_payload = rsa.decrypt(payload.user_payload, 'json');
      } catch (e) {
        throw new Reject('payload_undecryptable', `node-rsa: ${e.message}`, { cause: e });
      }
    } else {
      out.user_payload = payload.user_payload;
    }
  }
  // "After you set the value of the sub claim ... you cannot change the claim to another user."
  if (state.sub !== undefined && state.sub !== sub) {
    throw new Reject('subject_changed', `the session is pinned to ${JSON.stringify(state.sub)}, the token names ${JSON.stringify(sub)}`);
  }
  state.sub = sub;
  return accept(out);
}

// ---- pomerium ---------------------------------------------------------------------------

const ASSERTION = 'x-pomerium-jwt-assertion';
const DEFAULT_ISSUER = 'pomerium-proxy';

/**
 * The request's headers as a Node.js HTTP server hands them to the app: a field Node's
 * parser refuses (http.validateHeaderName / validateHeaderValue) rejects the request, as
 * do headers over http.maxHeaderSize (431); names are lowercased; repeated fields are
 * joined with ", " (IncomingMessage.headers).
 */
function nodeRequestHeaders(list, counts = new Map()) {
  if (!Array.isArray(list)) throw new Error('input.headers is not an array');
  let size = 0;
  const headers = Object.create(null);
  for (const [i, pair] of list.entries()) {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
      throw new Error(`input.headers[${i}] is not a [name, value] pair of strings`);
    }
    const [name, raw] = pair;
    try {
      http.validateHeaderName(name);
      http.validateHeaderValue(name, raw);
    } catch (e) {
      throw new Reject('malformed', `Node's HTTP parser refuses header ${JSON.stringify(name)}: ${e.code ?? ''} ${e.message}`);
    }
    size += name.length + raw.length + 4;
    const value = raw.replace(/^[ \t]+|[ \t]+$/g, '');
    const key = name.toLowerCase();
    headers[key] = key in headers ? `${headers[key]}, ${value}` : value;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  if (size > http.maxHeaderSize) {
    throw new Reject('too_large', `headers of ${size} bytes exceed http.maxHeaderSize ${http.maxHeaderSize} (431)`);
  }
  return headers;
}

/** The identity the app reads off the verified claims: {sub, email?, groups?}. */
function pomeriumIdentity(payload) {
  const out = { sub: payload.sub };
  if (payload.email !== undefined && payload.email !== null && payload.email !== '') out.email = payload.email;
  const g = payload.groups;
  if (g !== undefined && g !== null && !(Array.isArray(g) && g.length === 0)) out.groups = g;
  return out;
}

async function pomerium(input, context, now, state, notes) {
  const counts = new Map();
  const headers = nodeRequestHeaders(input.headers, counts);
  if ((counts.get(ASSERTION) ?? 0) > 1) {
    notes.push(`${ASSERTION} came ${counts.get(ASSERTION)} times; Node joins repeated fields with ", "`);
  }
  const token = headers[ASSERTION];
  if (!token) throw new Reject('token_missing', `no ${ASSERTION} header`);
  const issuer = context.issuer ?? DEFAULT_ISSUER;
  let key;
  if (context.keys !== undefined) {
    key = await keyFor(context.keys, 'ES256', notes);
  } else {
    // The JWKS at the configured URL, or built from the configured issuer: never the token's.
    const url = new URL(context.jwks_url ?? `https://${issuer}/.well-known/pomerium/jwks.json`);
    const remote = remoteSet(state, url);
    key = async (h, t) => {
      try {
        return await remote(h, t);
      } catch (e) {
        throw unavailable(e, url);
      }
    };
  }
  const { payload } = await jwtVerify(token, key, {
    algorithms: ['ES256'],
    issuer,
    audience: context.audience,
    clockTolerance: skewOf(context, 60),
    currentDate: currentDate(now),
    requiredClaims: ['exp', 'iat', 'sub'],
  });
  return accept(pomeriumIdentity(payload));
}

const PROXY_LIFETIME = 300;

async function pomeriumProxy(input, context, now) {
  const list = input.headers;
  nodeRequestHeaders(list); // a request Node's parser refuses never reaches the proxy logic
  // "pomerium strips the x-pomerium-* headers provided by the client"
  const forwarded = list.filter(([name]) => !name.toLowerCase().startsWith('x-pomerium-'));
  const jwk = context.signing_key;
  const header = { alg: 'ES256', typ: 'JWT' };
  if (typeof jwk.kid === 'string') header.kid = jwk.kid;
  const assertion = await new jose.SignJWT({ ...context.identity })
    .setProtectedHeader(header)
    .setIssuer(context.issuer ?? DEFAULT_ISSUER)
    .setAudience(context.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + PROXY_LIFETIME)
    .sign(await jose.importJWK(jwk, 'ES256'));
  return accept({ headers: [...forwarded, [ASSERTION, assertion]] });
}

// ---- coyo -------------------------------------------------------------------------------

/**
 * An issuer pattern as the seed writes it (a JavaScript literal, `/^https:\/\/some.site$/i`)
 * or a bare expression; matched against the whole `iss` (anchored). Only the `i` flag is
 * taken: `g`/`y` make RegExp#test stateful.
 */
function issuerPattern(text) {
  const literal = /^\/(.*)\/([a-z]*)$/s.exec(text);
  const [source, flags] = literal ? [literal[1], literal[2]] : [text, ''];
  if (!/^i?$/.test(flags)) throw new Error(`pattern ${text}: flags ${JSON.stringify(flags)} refused (only i)`);
  return new RegExp(`^(?:${source})$`, flags);
}

/** The https origins of jwkStore.addHost(...) entries. */
function allowlistOrigins(list, notes) {
  const origins = new Set();
  for (const entry of list ?? []) {
    try {
      const u = new URL(entry);
      if (u.protocol !== 'https:') throw new Error('not https');
      origins.add(u.origin);
    } catch (e) {
      notes.push(`configuration: jku allowlist entry ${JSON.stringify(entry)} refused: ${e.message}`);
    }
  }
  return origins;
}

async function coyo(input, context, now, state, notes) {
  const token = input.token;
  // The unverified iss picks the registered keys (as the plug-in adapter's JwkStore does).
  let iss;
  try {
    iss = jose.decodeJwt(token).iss;
  } catch {
    iss = undefined; // jwtVerify below says what is wrong with the token
  }
  const keys = [...(context.builtin ?? [])];
  for (const [i, entry] of (context.issuers ?? []).entries()) {
    let re;
    try {
      re = issuerPattern(entry.pattern);
    } catch (e) {
      notes.push(`configuration: issuers[${i}]: ${e.message}`);
      continue;
    }
    if (typeof iss === 'string' && re.test(iss)) keys.push(...(entry.keys ?? []));
  }
  const local = jose.createLocalJWKSet({ keys });
  const allowed = allowlistOrigins(context.jku_allowlist, notes);
  const key = async (protectedHeader, t) => {
    try {
      return await local(protectedHeader, t);
    } catch (e) {
      if (e?.code !== 'ERR_JWKS_NO_MATCHING_KEY') throw e;
      // No built-in or registered key: "can download missing public keys on demand" from jku.
      const { jku } = protectedHeader;
      if (jku === undefined) throw e;
      if (typeof jku !== 'string') throw new Reject('malformed', 'jku is not a string');
      let url;
      try {
        url = new URL(jku);
      } catch {
        throw new Reject('jku_not_allowed', `jku ${JSON.stringify(jku)} is not a URL`);
      }
      // "a plug-in MUST check the public key download URL ('jku' header claim) against a
      // whitelist of known sites"; "the protocol MUST be secured by TLS using HTTPS".
      if (url.protocol !== 'https:' || !allowed.has(url.origin)) {
        throw new Reject('jku_not_allowed', `jku origin ${url.origin} (${url.protocol}) is not allowlisted`);
      }
      notes.push(`key from jku ${url.href}`);
      try {
        return await remoteSet(state, url)(protectedHeader, t);
      } catch (err) {
        throw unavailable(err, url);
      }
    }
  };
  const { payload } = await jwtVerify(token, key, {
    algorithms: ['RS256'],
    requiredClaims: ['iss'],
    clockTolerance: skewOf(context, 0),
    currentDate: currentDate(now),
  });
  const out = { iss: payload.iss };
  if (payload.sub !== undefined) out.sub = payload.sub;
  return accept(out);
}

// ---- dispatch ---------------------------------------------------------------------------

const HANDLERS = {
  core,
  jws: plainJws,
  pendo,
  watson,
  pomerium,
  'pomerium-proxy': pomeriumProxy,
  coyo,
};

async function main() {
  let now = 0;
  let state = {};
  for (;;) {
    const line = await nextLine();
    if (line === null) break;
    let msg;
    try {
      msg = JSON.parse(line);
    } catch (e) {
      log(`not JSON from the harness: ${e.message}: ${line.slice(0, 200)}`);
      continue;
    }
    if (msg.type === 'hello') {
      now = msg.now;
      send({ type: 'hello', name: NAME, version: JOSE_VERSION, profiles: PROFILES });
      continue;
    }
    if (msg.type !== 'case') {
      log(`ignored a ${msg.type} message outside a case`);
      continue;
    }
    if (msg.step === 0) state = { remote: new Map() };
    state.remote ??= new Map();
    const answer = { type: 'result', id: msg.id, step: msg.step };
    const notes = [];
    try {
      const handler = HANDLERS[msg.profile];
      if (!handler) throw new Skip(`profile ${msg.profile} is not implemented by this adapter`);
      const r = await handler(msg.input ?? {}, msg.context ?? {}, now, state, notes);
      answer.verdict = r.verdict;
      answer.output = r.output;
    } catch (e) {
      if (e instanceof Skip) {
        send({ type: 'skip', id: msg.id, step: msg.step, reason: e.message });
        continue;
      }
      const code = codeOf(e);
      if (code) {
        answer.verdict = 'reject';
        answer.error = code;
        answer.detail = describe(e);
      } else {
        answer.verdict = 'error';
        answer.detail = `adapter: ${describe(e)}`;
        log(`${msg.id} step ${msg.step}: ${e?.stack ?? e}`);
      }
    }
    if (notes.length) answer.detail = [answer.detail, ...notes].filter(Boolean).join('; ');
    send(answer);
  }
}

process.on('unhandledRejection', (e) => log(`unhandled rejection: ${e?.stack ?? e}`));
await main();
