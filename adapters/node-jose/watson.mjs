// The watson profile of the node-jose adapter (IBM Watson Assistant, an RS256 identity token): sub as
// visible ASCII, user_payload decrypted with node-rsa, the session's pinned user id.

import { createPrivateKey } from 'node:crypto';

import { currentDate, skewOf } from './clock.mjs';
import { Reject, accept } from './errors.mjs';
import { jwtVerify, keyFor } from './keys.mjs';
import { NodeRSA } from './library.mjs';

/** RFC 7230 visible ASCII (VCHAR), what the seed asks of sub (it goes in a header). */
const VCHAR = /^[\x21-\x7e]+$/;

/** IBM's key pair's private half (a JWK) as node-rsa takes it: PKCS#1 PEM. */
function nodeRsaKey(jwk) {
  const pem = createPrivateKey({ key: jwk, format: 'jwk' }).export({ type: 'pkcs1', format: 'pem' });
  return new NodeRSA(pem); // defaults: pkcs1_oaep, sha1, the scheme the seed's encrypt uses
}

export async function watson(input, context, now, state, notes) {
  const token = input.token;
  if (token === undefined || token === null || token === '') {
    throw new Reject('token_missing', 'security is on and the message carries no token');
  }
  const key = await keyFor(context.keys, 'RS256', notes);
  const options = {
    algorithms: ['RS256'],
    requiredClaims: ['iss', 'sub', 'exp'],
    clockTolerance: skewOf(context, 0),
    currentDate: currentDate(now),
  };
  if (context.issuer !== undefined && context.issuer !== null) options.issuer = context.issuer;
  const { payload } = await jwtVerify(token, key, options);
  const sub = payload.sub;
  if (typeof sub !== 'string' || !VCHAR.test(sub)) {
    throw new Reject('claim_invalid', `sub ${JSON.stringify(sub)} is not a non-empty string of visible ASCII (RFC 7230)`);
  }
  const out = { user_id: sub };
  if (payload.user_payload !== undefined) {
    if (context.decryption_key) {
      let rsa;
      try {
        rsa = nodeRsaKey(context.decryption_key);
      } catch (e) {
        throw new Error(`configuration: decryption_key refused: ${e.message}`);
      }
      try {
        out.user_payload = rsa.decrypt(payload.user_payload, 'json');
      } catch (e) {
        throw new Reject('payload_undecryptable', `node-rsa: ${e.message}`, { cause: e });
      }
    } else {
      out.user_payload = payload.user_payload;
    }
  }
  // "After you set the value of the sub claim ... you cannot change the claim to another user."
  if (state.sub !== undefined && state.sub !== sub) {
    throw new Reject('subject_changed', `the session is pinned to ${JSON.stringify(state.sub)}, the token names ${JSON.stringify(sub)}`);
  }
  state.sub = sub;
  return accept(out);
}
