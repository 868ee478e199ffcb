// The core (a generic JWT verifier with one algorithm) and jws (plain RFC 7515) profiles
// of the fast-jwt adapter.

import { accept } from './errors.mjs';
import { candidatesFor, importKeys } from './keys.mjs';
import { baseOptions, verifyWith } from './verify.mjs';

// core: a generic JWT verifier with one algorithm.
export async function verifyCore(input, context, now) {
  const notes = [];
  const alg = context.algorithm;
  const keys = importKeys(context.keys, notes);
  const r = await verifyWith(input.token, (h) => candidatesFor(keys, h, alg), baseOptions([alg], now, context.skew));
  return accept({ claims: r.payload });
}

// jws: plain RFC 7515. createVerifier with expiration and not-before ignored (the options the
// library documents for that), so the library's own JWS path (decode, algorithm list,
// key-type checks, jws.verify) is what is measured; the payload bytes are those of the
// verified token's second segment.
export async function verifyJws(input, context, now) {
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
