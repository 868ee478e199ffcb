// The library call of the node-jsonwebtoken adapter: jwt.verify(token, getKey, options,
// callback) with candidate keys, and the options every profile starts from. getKey(header,
// cb) is the library's documented hook for choosing the key: jsonwebtoken calls it after
// it has split and decoded the token and before it checks the algorithm, the key type, the
// signature and the claims. `select(header)` (sync or async) returns the candidate keys.

import { Reject, codeOf, isKeyMismatch, isSignatureFailure } from './errors.mjs';
import { MIXED, PATTERN, jwt } from './library.mjs';

function libVerify(token, getKey, options) {
  return new Promise((resolve) => {
    jwt.verify(token, getKey, options, (err, result) => resolve({ err, result }));
  });
}

// Verifies with candidate keys chosen from the header: each candidate in turn while the
// failure is about the key or the signature; any other failure (malformed, algorithm,
// claims) is the verdict. Throws Reject; returns jwt.verify's result (complete: true).
export async function verifyWith(token, select, options) {
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

export function baseOptions(configured, now, skew) {
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
