// Keys for the fast-jwt adapter. fast-jwt's `key` is "a string or a buffer containing the
// secret for HS* algorithms or the PEM encoded public key for RS*, PS*, ES* and EdDSA
// algorithms": it knows nothing of JWKs, so turning a JWK into PEM text (node's
// crypto.createPublicKey with format 'jwk', exported as SPKI PEM) or a secret's bytes, and
// choosing candidates by kid, is glue every user of the library writes.

import { createPublicKey } from 'node:crypto';

import { PATTERN } from './library.mjs';

export function b64urlBytes(s) {
  return Buffer.from(String(s), 'base64url');
}

// A configured key: a JWK or {"pem", "kid"?}. Returns {kid, jwk?, key, family} or a
// refusal {refused: reason} (the key could not be imported: a configuration error
// naming it, logged, never a verdict).
function importKey(entry) {
  if (entry && typeof entry.pem === 'string') {
    // PEM text goes to fast-jwt as is (it detects the key type itself).
    return { kid: entry.kid, pem: true, key: entry.pem, family: 'pem' };
  }
  const jwk = entry;
  const kid = jwk && jwk.kid;
  try {
    if (!jwk || typeof jwk !== 'object') throw new Error('not a JSON object');
    if (jwk.kty === 'oct') {
      return { kid, jwk, key: b64urlBytes(jwk.k), family: 'oct' };
    }
    if (jwk.kty === 'RSA' || jwk.kty === 'EC') {
      // Only the public members: a private JWK would otherwise become a private key.
      const pub = jwk.kty === 'RSA'
        ? { kty: 'RSA', n: jwk.n, e: jwk.e }
        : { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y };
      const key = createPublicKey({ key: pub, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
      return { kid, jwk, key, family: jwk.kty === 'RSA' ? 'RSA' : `EC:${jwk.crv}` };
    }
    throw new Error(`kty ${JSON.stringify(jwk.kty)} is not oct, RSA or EC`);
  } catch (e) {
    return { kid, jwk, refused: `${e.message}` };
  }
}

export function importKeys(entries, notes) {
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
export function fits(k, alg) {
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
export function candidatesFor(keys, header, alg) {
  const kid = header && typeof header === 'object' ? header.kid : undefined;
  return keys.filter((k) => fits(k, alg) && (kid === undefined || k.kid === undefined || k.kid === kid));
}
