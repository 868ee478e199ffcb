// The library call of the fast-jwt adapter: createVerifier({ key: async (decoded) => ...,
// ...options }) with candidate keys, and the options every profile starts from. A `key`
// function is fast-jwt's documented way to choose the key ("The key can also be a function
// accepting a Node style callback or a function returning a promise"): fast-jwt calls it
// with the decoded token after it has split and decoded it, and before it checks the key
// type, the algorithm, the signature, crit, typ and the claims. `select(header)` (sync or
// async) returns the candidate keys.

import { Reject, codeOf, isKeyMismatch, isSignatureFailure } from './errors.mjs';
import { PATTERN, fastJwt } from './library.mjs';

// Verifies with candidate keys chosen from the header: each candidate in turn while the
// failure is about the key or the signature; any other failure (malformed, algorithm,
// claims) is the verdict. Throws Reject; returns the verifier's result (complete: true).
export async function verifyWith(token, select, options) {
  let index = 0;
  let candidates = null;
  let keyError = null;
  const failures = [];
  const key = async (decoded) => {
    if (candidates === null) {
      try {
        candidates = await select(decoded.header);
      } catch (e) {
        keyError = e;
        throw e;
      }
    }
    if (candidates.length === 0) {
      const algs = options.algorithms ? options.algorithms.join('/') : '(any)';
      keyError = new Reject('key_unknown', `no configured key fits kid ${JSON.stringify(decoded.header && decoded.header.kid)} and algorithm ${algs}`);
      throw keyError;
    }
    return candidates[index].key;
  };
  for (;;) {
    const verifier = fastJwt.createVerifier({ ...options, key });
    try {
      return await verifier(token);
    } catch (err) {
      if (keyError) {
        if (keyError instanceof Reject) throw new Reject(keyError.code, `${keyError.message} (fast-jwt: ${err.message})`);
        throw keyError;
      }
      if (candidates && (isSignatureFailure(err) || isKeyMismatch(err))) {
        failures.push(`${JSON.stringify(candidates[index].kid ?? '(no kid)')}: ${err.code}: ${err.message}`);
        index += 1;
        if (index < candidates.length) continue;
        const code = failures.some((f) => f.includes('FAST_JWT_INVALID_SIGNATURE')) ? 'bad_signature' : 'key_unknown';
        throw new Reject(code, `fast-jwt: ${failures.join('; ')}`);
      }
      if (!(err && typeof err.code === 'string' && err.code.startsWith('FAST_JWT_'))) {
        // Not a TokenError: fast-jwt let node's crypto error through (OpenSSL refusing the
        // key text fast-jwt took for a PEM public key). The verifier threw: the token is
        // refused, and the key is what failed.
        throw new Reject('key_unknown', `fast-jwt threw ${err && err.name}: ${err && err.message} (${err && err.code})`);
      }
      throw new Reject(codeOf(err), `fast-jwt: ${err.code}: ${err.message}`);
    }
  }
}

// fast-jwt's clock options are in milliseconds: "clockTimestamp: The timestamp in
// milliseconds (like the output of Date.now())", "clockTolerance: Timespan in
// milliseconds". Under --no-algorithms no `algorithms` is given (fast-jwt derives them
// from the key).
export function baseOptions(configured, now, skew) {
  return {
    ...(PATTERN === '--no-algorithms' ? {} : { algorithms: configured }),
    clockTimestamp: now * 1000,
    clockTolerance: (skew || 0) * 1000,
    complete: true,
  };
}
