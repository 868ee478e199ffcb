// The core (a JWT verifier with one algorithm) and jws (plain RFC 7515, compactVerify)
// profiles of the node-jose adapter.

import { currentDate, skewOf } from './clock.mjs';
import { accept } from './errors.mjs';
import { compactVerify, jwtVerify, keyFor } from './keys.mjs';

const b64url = (bytes) => Buffer.from(bytes).toString('base64url');

// ---- core -------------------------------------------------------------------------------

export async function core(input, context, now, state, notes) {
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

export async function plainJws(input, context, now, state, notes) {
  const key = await keyFor(context.keys, undefined, notes);
  const { payload, protectedHeader } = await compactVerify(input.token, key, {
    algorithms: context.algorithms,
  });
  return accept({ header: protectedHeader, payload: b64url(payload) });
}
