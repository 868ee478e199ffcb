// Fetching a JWK Set through the protocol, as a careful integrator's HTTP client does:
// GET, no redirects followed, a 5 s time-out, a 64 KiB body bound, status 2xx, JSON with a
// "keys" array. Cached per URL within a case (a set is fresh for 600 s; an unknown kid or a
// failure refetches only after a 60 s cool-down), as jwks-rsa's cache and rateLimit
// options do. The adapter gives its Reject class and its importKeys (JWKs → the keys its
// library takes).

import { protocolFetch } from './protocol.mjs';

const FETCH_TIMEOUT_MS = 5000;
const FETCH_MAX_BYTES = 64 * 1024;

// Returns cachedJwks(state, url, now, kid, fits, keyDocument = false): the imported keys
// of the set at `url` (state.jwks holds the cache), or throws Reject('key_unavailable').
export function jwksCache({ Reject, importKeys }) {
  // COYO's key document, {alg: <WebCrypto algorithm>, key: <JWK>} (the shape COYO's own
  // plug-in library reads from a jku; docs/rules.md coyo.fetch): the one JWK, its JWS alg
  // from the document (RSASSA-PKCS1-v1_5 with SHA-256 is RS256, with SHA-512 RS512).
  function fromKeyDocument(url, doc) {
    const bad = (why) => new Reject('key_unavailable', `GET ${url}: key document: ${why}`);
    const extra = Object.keys(doc).find((k) => k !== 'alg' && k !== 'key');
    if (extra !== undefined) throw bad(`unknown member ${JSON.stringify(extra)}`);
    if (!doc.key || typeof doc.key !== 'object' || Array.isArray(doc.key)) throw bad('key is not a JWK object');
    const a = doc.alg || {};
    const hash = typeof a.hash === 'string' ? a.hash : a.hash && a.hash.name;
    const alg = a.name === 'RSASSA-PKCS1-v1_5' ? { 'SHA-256': 'RS256', 'SHA-512': 'RS512' }[hash] : undefined;
    if (!alg) throw bad(`alg ${JSON.stringify(doc.alg)} is not RSASSA-PKCS1-v1_5 with SHA-256 or SHA-512`);
    if (doc.key.alg !== undefined && doc.key.alg !== alg) throw bad(`the key's alg ${JSON.stringify(doc.key.alg)} is not the document's ${alg}`);
    return { ...doc.key, alg };
  }

  async function fetchJwks(url, keyDocument) {
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
    if (keyDocument && doc && typeof doc === 'object' && !Array.isArray(doc) && doc.keys === undefined && doc.key !== undefined) {
      return [fromKeyDocument(url, doc)];
    }
    if (!doc || typeof doc !== 'object' || !Array.isArray(doc.keys)) throw new Reject('key_unavailable', `GET ${url}: not a JWK Set (no "keys" array)`);
    return doc.keys;
  }

  return async function cachedJwks(state, url, now, kid, fits, keyDocument = false) {
    state.jwks ??= new Map();
    let entry = state.jwks.get(url);
    const has = (e) => e.keys && e.keys.some((k) => fits(k) && (kid === undefined || k.kid === undefined || k.kid === kid));
    const stale = (e) => now - e.at >= 600 || ((e.error || !has(e)) && now - e.at >= 60);
    if (!entry || stale(entry)) {
      entry = { at: now };
      try {
        const notes = [];
        entry.keys = importKeys(await fetchJwks(url, keyDocument), notes);
        entry.notes = notes;
      } catch (e) {
        if (!(e instanceof Reject)) throw e;
        entry.error = e;
      }
      state.jwks.set(url, entry);
    }
    if (entry.error) throw new Reject(entry.error.code, entry.error.message);
    return entry.keys;
  };
}
