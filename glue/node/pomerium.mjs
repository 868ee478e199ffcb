// The two Pomerium roles (Pomerium's "Securing your app with signed headers"): pomerium,
// the app verifying the ES256 signed headers, and pomerium-proxy, the proxy signing them.
//
// pomerium: the request's headers as node's http server hands them to an app (names
// lowercased, a repeated header joined with ", ", values trimmed, a malformed field or a
// header section over node's 16 KiB --max-http-header-size refused before the app runs),
// the assertion from req.headers['x-pomerium-jwt-assertion'], the library's verifyWith
// with its own audience and issuer options (`lib.pomeriumOptions`) and 60 s of skew, then
// what the seed asks and the library has no option for: exp required, iat within the
// minute of skew, the identity claims.
//
// pomerium-proxy: strip every client x-pomerium-* header, sign one assertion with the
// library (`lib.signAssertion`, never from the wall clock).

import { createPrivateKey } from 'node:crypto';

const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);

const TCHAR = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const NODE_MAX_HEADER_BYTES = 16 * 1024;

// { verifyPomerium(input, context, now, state), proxyPomerium(input, context, now) } over
// the library `lib` (README.md, the contract).
export function pomeriumProfiles(lib) {
  const { name: library, Reject, ConfigError, accept, cachedJwks, importKeys, candidatesFor, fits, baseOptions, verifyWith } = lib;

  function nodeHeaders(list) {
    let size = 0;
    const headers = new Map();
    for (const pair of list || []) {
      const [name, value] = pair;
      if (typeof name !== 'string' || !TCHAR.test(name)) throw new Reject('malformed', `header name ${JSON.stringify(name)} is not an HTTP token (node's http parser answers 400)`);
      if (typeof value !== 'string' || /[\x00-\x08\x0a-\x1f\x7f]/.test(value)) throw new Reject('malformed', `header ${name} has a control character in its value (node's http parser answers 400)`);
      size += Buffer.byteLength(name) + Buffer.byteLength(value) + 4;
      if (size > NODE_MAX_HEADER_BYTES) throw new Reject('too_large', `headers over ${NODE_MAX_HEADER_BYTES} bytes (node's http server answers 431)`);
      const key = name.toLowerCase();
      const v = value.replace(/^[ \t]+|[ \t]+$/g, '');
      if (!headers.has(key)) headers.set(key, []);
      headers.get(key).push(v);
    }
    return headers;
  }

  async function verifyPomerium(input, context, now, state) {
    const notes = [];
    const headers = nodeHeaders(input.headers);
    const values = headers.get('x-pomerium-jwt-assertion') || [];
    const token = values.join(', '); // what req.headers gives for a repeated header
    if (token === '') throw new Reject('token_missing', 'no x-pomerium-jwt-assertion header');
    const issuer = context.issuer ?? 'pomerium-proxy';
    const skew = context.skew ?? 60;
    const options = { ...baseOptions(['ES256'], now, skew), ...lib.pomeriumOptions(context.audience, issuer) };
    const configured = Array.isArray(context.keys) ? importKeys(context.keys, notes) : null;
    const select = async (header) => {
      if (configured) return candidatesFor(configured, header, 'ES256');
      // A JWKS at the configured URL or one built from the configured issuer, never from
      // the token; a token naming another issuer is refused before anything is fetched
      // (pomerium.jwks; the libraries compare iss only after the signature).
      let claimed = null;
      try {
        claimed = lib.decodePayload(token);
      } catch (e) {
        claimed = null;
      }
      const iss = claimed && typeof claimed === 'object' ? claimed.iss : undefined;
      if (iss !== issuer) throw new Reject('issuer_mismatch', `iss ${JSON.stringify(iss)} is not ${JSON.stringify(issuer)} (checked before fetching the JWKS)`);
      const url = context.jwks_url ?? `https://${issuer}/.well-known/pomerium/jwks.json`;
      const keys = await cachedJwks(state, url, now, header && header.kid, (k) => fits(k, 'ES256'));
      return candidatesFor(keys, header, 'ES256');
    };
    let r;
    try {
      r = await verifyWith(token, select, options);
    } catch (e) {
      if (e instanceof Reject && (values.length > 1 || token.includes(','))) {
        throw new Reject('header_conflict', `${values.length} assertion value(s) joined as node does (", "): ${e.message}`);
      }
      throw e;
    }
    const claims = r.payload;
    if (claims === null || typeof claims !== 'object') {
      throw new Reject('malformed', `${library} accepted a payload that is not a JSON object: ${JSON.stringify(claims).slice(0, 80)}`);
    }
    // "exp … Allow 1 minute for skew. iat … Allow 1 minute for skew."
    if (lib.expOptional && claims.exp === undefined) throw new Reject('claim_missing', `exp missing (${library} has no option to require it)`);
    if (claims.iat !== undefined) {
      if (!isNumber(claims.iat)) throw new Reject('claim_invalid', 'iat is not a number');
      if (claims.iat > now + skew) throw new Reject('not_yet_valid', `iat ${claims.iat} is more than ${skew} s after now ${now}`);
    }
    if (claims.sub === undefined || claims.sub === null) throw new Reject('claim_missing', 'sub missing');
    if (typeof claims.sub !== 'string') throw new Reject('claim_invalid', 'sub is not a string');
    const out = { sub: claims.sub };
    if (claims.email !== undefined && claims.email !== null) {
      if (typeof claims.email !== 'string') throw new Reject('claim_invalid', 'email is not a string');
      if (claims.email !== '') out.email = claims.email;
    }
    if (claims.groups !== undefined && claims.groups !== null) {
      if (!Array.isArray(claims.groups) || !claims.groups.every((g) => typeof g === 'string')) {
        throw new Reject('claim_invalid', 'groups is not an array of strings');
      }
      if (claims.groups.length > 0) out.groups = claims.groups;
    }
    return accept(out);
  }

  function proxyPomerium(input, context, now) {
    for (const [name, value] of input.headers || []) {
      if (typeof name !== 'string' || !TCHAR.test(name)) throw new Reject('malformed', `header name ${JSON.stringify(name)} is not an HTTP token (node's http parser answers 400)`);
      if (typeof value !== 'string' || /[\x00-\x08\x0a-\x1f\x7f]/.test(value)) throw new Reject('malformed', `header ${name} has a control character in its value (node's http parser answers 400)`);
    }
    let key;
    try {
      key = createPrivateKey({ key: context.signing_key, format: 'jwk' });
    } catch (e) {
      throw new ConfigError(`signing_key refused: ${e.message}`);
    }
    const kept = (input.headers || []).filter(([name]) => !name.toLowerCase().startsWith('x-pomerium-'));
    const assertion = lib.signAssertion(key, context, now);
    return accept({ headers: [...kept, ['x-pomerium-jwt-assertion', assertion]] });
  }

  return { verifyPomerium, proxyPomerium };
}
