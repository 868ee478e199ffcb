// The vendor profiles of the fast-jwt adapter (pendo, watson, coyo, pomerium,
// pomerium-proxy): the shared Node glue (glue/node/profiles.mjs; what it takes:
// glue/node/README.md) handed this adapter's modules and what only fast-jwt does.

import { vendorProfiles } from '../../glue/node/profiles.mjs';
import * as errors from './errors.mjs';
import * as keys from './keys.mjs';
import { NodeRSA, fastJwt } from './library.mjs';
import * as verify from './verify.mjs';

// fast-jwt's own calls and options in the vendor profiles.
const calls = {
  // The unverified header and payload (coyo) and payload (pomerium): fast-jwt's createDecoder.
  decodeComplete: (token) => fastJwt.createDecoder({ complete: true })(token),
  decodePayload: (token) => fastJwt.createDecoder()(token),
  // "The JWT payload must specify values for the following claims: iss, sub, exp."
  watsonOptions(options, context) {
    options.requiredClaims = ['iss', 'sub', 'exp'];
    if (typeof context.issuer === 'string') options.allowedIss = context.issuer;
  },
  pomeriumOptions: (audience, issuer) => ({ allowedAud: audience, allowedIss: issuer, requiredClaims: ['exp', 'iat', 'iss', 'aud', 'sub'] }),
  // createSigner({ key, algorithm: 'ES256', kid, iss, aud, expiresIn: 300 s, clockTimestamp:
  // the harness's now }) (fast-jwt sets iat from clockTimestamp and exp from expiresIn, both
  // in milliseconds: no wall clock).
  signAssertion(key, context, now) {
    const signOptions = {
      key: key.export({ type: 'pkcs8', format: 'pem' }),
      algorithm: 'ES256',
      expiresIn: 300 * 1000,
      clockTimestamp: now * 1000,
      iss: context.issuer ?? 'pomerium-proxy',
      aud: context.audience,
    };
    if (typeof context.signing_key.kid === 'string') signOptions.kid = context.signing_key.kid;
    return fastJwt.createSigner(signOptions)({ ...(context.identity || {}) });
  },
};

// requiredClaims covers exp (expOptional false: the glue need not check it again).
export const VENDOR_PROFILES = vendorProfiles({ name: 'fast-jwt', expOptional: false, NodeRSA, errors, keys, verify, calls });
