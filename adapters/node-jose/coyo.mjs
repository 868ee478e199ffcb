// The coyo profile of the node-jose adapter (COYO, RS256 with jku): built-in keys and
// keys registered under issuer patterns as a local JWK Set, then the jku, checked against
// the allowlist before a remote set is asked.

import { currentDate, skewOf } from './clock.mjs';
import { Reject, accept } from './errors.mjs';
import { jwtVerify } from './keys.mjs';
import { jose } from './library.mjs';
import { remoteSet, unavailable } from './remote.mjs';

/**
 * An issuer pattern as the seed writes it (a JavaScript literal, `/^https:\/\/some.site$/i`)
 * or a bare expression; matched against the whole `iss` (anchored). Only the `i` flag is
 * taken: `g`/`y` make RegExp#test stateful.
 */
function issuerPattern(text) {
  const literal = /^\/(.*)\/([a-z]*)$/s.exec(text);
  const [source, flags] = literal ? [literal[1], literal[2]] : [text, ''];
  if (!/^i?$/.test(flags)) throw new Error(`pattern ${text}: flags ${JSON.stringify(flags)} refused (only i)`);
  return new RegExp(`^(?:${source})$`, flags);
}

/** The https origins of jwkStore.addHost(...) entries. */
function allowlistOrigins(list, notes) {
  const origins = new Set();
  for (const entry of list ?? []) {
    try {
      const u = new URL(entry);
      if (u.protocol !== 'https:') throw new Error('not https');
      origins.add(u.origin);
    } catch (e) {
      notes.push(`configuration: jku allowlist entry ${JSON.stringify(entry)} refused: ${e.message}`);
    }
  }
  return origins;
}

export async function coyo(input, context, now, state, notes) {
  const token = input.token;
  // The unverified iss picks the registered keys (as the plug-in adapter's JwkStore does).
  let iss;
  try {
    iss = jose.decodeJwt(token).iss;
  } catch {
    iss = undefined; // jwtVerify below says what is wrong with the token
  }
  // coyo.alg: RS256, or RS512 by a key that declares it (COYO's built-in keys are RS512).
  let alg = 'RS256';
  try {
    if (jose.decodeProtectedHeader(token).alg === 'RS512') alg = 'RS512';
  } catch {
    // jwtVerify below says what is wrong with the token
  }
  const declared = (k) => alg === 'RS256' || k?.alg === 'RS512';
  const keys = (context.builtin ?? []).filter(declared);
  for (const [i, entry] of (context.issuers ?? []).entries()) {
    let re;
    try {
      re = issuerPattern(entry.pattern);
    } catch (e) {
      notes.push(`configuration: issuers[${i}]: ${e.message}`);
      continue;
    }
    if (typeof iss === 'string' && re.test(iss)) keys.push(...(entry.keys ?? []).filter(declared));
  }
  const local = jose.createLocalJWKSet({ keys });
  const allowed = allowlistOrigins(context.jku_allowlist, notes);
  const key = async (protectedHeader, t) => {
    try {
      return await local(protectedHeader, t);
    } catch (e) {
      if (e?.code !== 'ERR_JWKS_NO_MATCHING_KEY') throw e;
      // No built-in or registered key: "can download missing public keys on demand" from jku.
      const { jku } = protectedHeader;
      if (jku === undefined) throw e;
      if (typeof jku !== 'string') throw new Reject('malformed', 'jku is not a string');
      let url;
      try {
        url = new URL(jku);
      } catch {
        throw new Reject('jku_not_allowed', `jku ${JSON.stringify(jku)} is not a URL`);
      }
      // "a plug-in MUST check the public key download URL ('jku' header claim) against a
      // whitelist of known sites"; "the protocol MUST be secured by TLS using HTTPS".
      if (url.protocol !== 'https:' || !allowed.has(url.origin)) {
        throw new Reject('jku_not_allowed', `jku origin ${url.origin} (${url.protocol}) is not allowlisted`);
      }
      notes.push(`key from jku ${url.href}`);
      try {
        return await remoteSet(state, url, true)(protectedHeader, t);
      } catch (err) {
        throw unavailable(err, url);
      }
    }
  };
  const { payload } = await jwtVerify(token, key, {
    algorithms: [alg],
    requiredClaims: ['iss'],
    clockTolerance: skewOf(context, 0),
    currentDate: currentDate(now),
  });
  const out = { iss: payload.iss };
  if (payload.sub !== undefined) out.sub = payload.sub;
  return accept(out);
}
