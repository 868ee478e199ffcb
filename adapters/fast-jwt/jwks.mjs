// Fetching a JWK Set through the protocol for the fast-jwt adapter, as a careful
// integrator's HTTP client does: GET, no redirects followed, a 5 s time-out, a 64 KiB body
// bound, status 2xx, JSON with a "keys" array. Cached per URL within a case (a set is fresh
// for 600 s; an unknown kid or a failure refetches only after a 60 s cool-down), as
// jwks-rsa's cache and rateLimit options do.

import { Reject } from './errors.mjs';
import { importKeys } from './keys.mjs';
import { protocolFetch } from './protocol.mjs';

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

export async function cachedJwks(state, url, now, kid, fits) {
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
