// Keys of the node-jose adapter: `context.keys` as the key argument of jwtVerify /
// compactVerify (a JWK, an imported PEM, or a local JWK Set), and jose's documented way
// of trying each key when several in a set match.

import { jose } from './library.mjs';

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
export async function keyFor(list, alg, notes) {
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

export const jwtVerify = (token, key, options) => withEachMatchingKey((k) => jose.jwtVerify(token, k, options), key);
export const compactVerify = (token, key, options) => withEachMatchingKey((k) => jose.compactVerify(token, k, options), key);
