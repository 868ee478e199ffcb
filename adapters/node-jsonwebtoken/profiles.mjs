// The vendor profiles of the node-jsonwebtoken adapter (pendo, watson, coyo, pomerium,
// pomerium-proxy): the shared Node glue (glue/node/profiles.mjs; what it takes:
// glue/node/README.md) handed this adapter's modules and what only jsonwebtoken does.

import { vendorProfiles } from '../../glue/node/profiles.mjs';
import * as errors from './errors.mjs';
import * as keys from './keys.mjs';
import { NodeRSA, jwt } from './library.mjs';
import * as verify from './verify.mjs';

// jsonwebtoken's own calls and options in the vendor profiles.
const calls = {
  // The unverified header and payload (coyo) and payload (pomerium): jwt.decode.
  decodeComplete: (token) => jwt.decode(token, { complete: true }),
  decodePayload: (token) => jwt.decode(token, { json: true }),
  watsonOptions(options, context) {
    if (typeof context.issuer === 'string') options.issuer = context.issuer;
  },
  pomeriumOptions: (audience, issuer) => ({ audience, issuer }),
  // jwt.sign(…, {algorithm: 'ES256'}) (iat pinned to the harness's now, so the library
  // computes exp = now + 300 from it, never from the wall clock).
  signAssertion(key, context, now) {
    const payload = { ...(context.identity || {}), iat: now };
    const signOptions = { algorithm: 'ES256', expiresIn: 300, issuer: context.issuer ?? 'pomerium-proxy', audience: context.audience };
    if (typeof context.signing_key.kid === 'string') signOptions.keyid = context.signing_key.kid;
    return jwt.sign(payload, key, signOptions);
  },
};

// jsonwebtoken has no option to require exp (expOptional: the glue checks it after the
// library, in watson and pomerium).
export const VENDOR_PROFILES = vendorProfiles({ name: 'jsonwebtoken', expOptional: true, NodeRSA, errors, keys, verify, calls });
