// The network of the node-jose adapter: jose's createRemoteJWKSet with a customFetch that
// asks the harness (the protocol's fetch/fetched), one set per URL for the whole case.

import { Reject, describe } from './errors.mjs';
import { jose } from './library.mjs';
import { nextLine, send } from './protocol.mjs';

/** jose's default timeoutDuration, passed explicitly so a `delay_ms` can be judged by it. */
const FETCH_TIMEOUT_MS = 5000;
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

/** The harness plays the server: a fetch-compatible function for jose's [customFetch]. */
async function harnessFetch(url, keyDocument) {
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
  let body = NULL_BODY_STATUS.has(status) ? null : (answer.body ?? '');
  if (keyDocument && status === 200) body = fromKeyDocument(href, body);
  return new Response(body, { status, headers: answer.headers ?? {} });
}

/**
 * COYO's key document, {alg: <WebCrypto algorithm>, key: <JWK>} (what COYO's own plug-in
 * library reads from a jku; docs/rules.md coyo.fetch), handed to jose as the one-key JWK Set
 * it means, the key's alg from the document; any other body is left to jose as it is.
 */
function fromKeyDocument(href, body) {
  let doc;
  try {
    doc = JSON.parse(body);
  } catch {
    return body;
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc) || doc.keys !== undefined || doc.key === undefined) return body;
  const bad = (why) => new Reject('key_unavailable', `GET ${href}: key document: ${why}`);
  const extra = Object.keys(doc).find((k) => k !== 'alg' && k !== 'key');
  if (extra !== undefined) throw bad(`unknown member ${JSON.stringify(extra)}`);
  if (!doc.key || typeof doc.key !== 'object' || Array.isArray(doc.key)) throw bad('key is not a JWK object');
  const a = doc.alg || {};
  const hash = typeof a.hash === 'string' ? a.hash : a.hash?.name;
  const alg = a.name === 'RSASSA-PKCS1-v1_5' ? { 'SHA-256': 'RS256', 'SHA-512': 'RS512' }[hash] : undefined;
  if (!alg) throw bad(`alg ${JSON.stringify(doc.alg)} is not RSASSA-PKCS1-v1_5 with SHA-256 or SHA-512`);
  if (doc.key.alg !== undefined && doc.key.alg !== alg) throw bad(`the key's alg ${JSON.stringify(doc.key.alg)} is not the document's ${alg}`);
  return JSON.stringify({ keys: [{ ...doc.key, alg }] });
}

/** One RemoteJWKSet per URL for the whole case (its cache and cool-down are jose's). */
export function remoteSet(state, url, keyDocument = false) {
  let set = state.remote.get(url.href);
  if (!set) {
    set = jose.createRemoteJWKSet(url, {
      [jose.customFetch]: (u) => harnessFetch(u, keyDocument),
      timeoutDuration: FETCH_TIMEOUT_MS,
    });
    state.remote.set(url.href, set);
  }
  return set;
}

/** Errors of the remote set that mean "the keys could not be had": key_unavailable. */
export function unavailable(e, url) {
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
