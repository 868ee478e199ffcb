// The chain PluginAdapter.init() runs on COYO's answer (init-adapter.js lines 47-61 of
// @coyoapp/plugin-adapter 0.3.1), with the library's own pieces, skipping only the
// postMessage challenge: the request (`parent.postMessage({ iss, sub: 'init', jti })`) and
// the wait for an answer that echoes its jti, and validateJwt's `{ sub: 'init' }` that
// answer must carry. Everything after it is the library's code, in its order:
//
//   validateJwt(claims, …) → getJwk(claims.iss || '', header.jku) → verifyJwt(token, ...keys)
//     .catch(err => err.recover ? showErrorAndRecover(err, void 0) : Promise.reject(err))
//   → resolve([claims, token])              .catch(err => showError(err))
//
// --as-shipped keeps the recover branch: an error marked `recover` (no key for the issuer
// and no jku, a jku not on the allowlist, a download's network error) is drawn on the page
// and the token is then resolved as if verified. --strict rejects on every error.

import { Reject, codeOf } from './errors.mjs';
import { JwtHandler, STRICT, showError, showErrorAndRecover } from './library.mjs';
import { page } from './shim.mjs';

const jwt = new JwtHandler();

function output(claims) {
  const out = {};
  if (claims.iss !== undefined) out.iss = claims.iss;
  if (claims.sub !== undefined) out.sub = claims.sub;
  return out;
}

export async function initChain(token, store) {
  // listener: `const claims = this.jwtHandler.decodeJwtClaims(event.data); if (claims &&
  // claims.jti === jti)`. A message that does not decode, or decodes to no object that
  // could carry the jti, is ignored, and init() rejects MessageTimeout when its time is up.
  let claims;
  try {
    claims = jwt.decodeJwtClaims(token);
  } catch (e) {
    throw new Reject('malformed', `decodeJwtClaims threw ${e.message}: the message is ignored and init() times out`);
  }
  if (!claims || typeof claims !== 'object') {
    throw new Reject('malformed', `decodeJwtClaims gave ${JSON.stringify(claims)}: the message is ignored and init() times out`);
  }
  const chain = jwt
    .validateJwt(claims, {})
    .then(() => {
      const header = jwt.decodeJwtHeader(token);
      return store
        .getJwk(claims.iss || '', header ? header.jku : undefined)
        .then((keys) => jwt.verifyJwt(token, ...keys))
        .catch((err) => (err.recover && !STRICT ? showErrorAndRecover(err, void 0) : Promise.reject(err)));
    })
    .then(() => ({ verdict: 'accept', output: output(claims), ...(page.drawn.length ? { detail: `accepted after drawing: ${page.drawn.map(text).join(' | ')}` } : {}) }))
    .catch((err) =>
      // showError draws the overlay and returns a rejected promise, which init() never
      // hands on: its own promise stays pending, the plug-in shows the error and stops.
      showError(err).catch(() => {
        throw new Reject(codeOf(err), `${err && err.name}: ${err && err.message}; drawn: ${page.drawn.map(text).join(' | ')}`);
      }),
    );
  // The library may drop its own promise (an exception in its XHR onload, an unhandled
  // importKey rejection): init() then never settles and the plug-in never starts.
  const dropped = new Promise((_, reject) => {
    page.onDrop = (why) => reject(new Reject('key_unavailable', `init() never settles: ${why}`));
    if (page.dropped) page.onDrop(page.dropped);
  });
  return Promise.race([chain, dropped]);
}

// The text of what the library drew (its error div: an icon, then the message).
function text(html) {
  return String(html).replace(/<svg[\s\S]*<\/svg>/, '').replace(/<[^>]*>/g, '').trim();
}
