// The two Pomerium roles of the node-jose adapter (Pomerium's "Securing your app with signed headers"): pomerium, the app verifying
// the ES256 x-pomerium-jwt-assertion header (with the request's headers as Node.js hands
// them over), and pomerium-proxy, the proxy signing the assertion with SignJWT.

import http from 'node:http';

import { currentDate, skewOf } from './clock.mjs';
import { Reject, accept } from './errors.mjs';
import { jwtVerify, keyFor } from './keys.mjs';
import { jose } from './library.mjs';
import { remoteSet, unavailable } from './remote.mjs';

const ASSERTION = 'x-pomerium-jwt-assertion';
const DEFAULT_ISSUER = 'pomerium-proxy';

/**
 * The request's headers as a Node.js HTTP server hands them to the app: a field Node's
 * parser refuses (http.validateHeaderName / validateHeaderValue) rejects the request, as
 * do headers over http.maxHeaderSize (431); names are lowercased; repeated fields are
 * joined with ", " (IncomingMessage.headers).
 */
function nodeRequestHeaders(list, counts = new Map()) {
  if (!Array.isArray(list)) throw new Error('input.headers is not an array');
  let size = 0;
  const headers = Object.create(null);
  for (const [i, pair] of list.entries()) {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
      throw new Error(`input.headers[${i}] is not a [name, value] pair of strings`);
    }
    const [name, raw] = pair;
    try {
      http.validateHeaderName(name);
      http.validateHeaderValue(name, raw);
    } catch (e) {
      throw new Reject('malformed', `Node's HTTP parser refuses header ${JSON.stringify(name)}: ${e.code ?? ''} ${e.message}`);
    }
    size += name.length + raw.length + 4;
    const value = raw.replace(/^[ \t]+|[ \t]+$/g, '');
    const key = name.toLowerCase();
    headers[key] = key in headers ? `${headers[key]}, ${value}` : value;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  if (size > http.maxHeaderSize) {
    throw new Reject('too_large', `headers of ${size} bytes exceed http.maxHeaderSize ${http.maxHeaderSize} (431)`);
  }
  return headers;
}

/** The identity the app reads off the verified claims: {sub, email?, groups?}. */
function pomeriumIdentity(payload) {
  const out = { sub: payload.sub };
  if (payload.email !== undefined && payload.email !== null && payload.email !== '') out.email = payload.email;
  const g = payload.groups;
  if (g !== undefined && g !== null && !(Array.isArray(g) && g.length === 0)) out.groups = g;
  return out;
}

export async function pomerium(input, context, now, state, notes) {
  const counts = new Map();
  const headers = nodeRequestHeaders(input.headers, counts);
  if ((counts.get(ASSERTION) ?? 0) > 1) {
    notes.push(`${ASSERTION} came ${counts.get(ASSERTION)} times; Node joins repeated fields with ", "`);
  }
  const token = headers[ASSERTION];
  if (!token) throw new Reject('token_missing', `no ${ASSERTION} header`);
  const issuer = context.issuer ?? DEFAULT_ISSUER;
  let key;
  if (context.keys !== undefined) {
    key = await keyFor(context.keys, 'ES256', notes);
  } else {
    // The JWKS at the configured URL, or built from the configured issuer: never the token's.
    const url = new URL(context.jwks_url ?? `https://${issuer}/.well-known/pomerium/jwks.json`);
    const remote = remoteSet(state, url);
    key = async (h, t) => {
      try {
        return await remote(h, t);
      } catch (e) {
        throw unavailable(e, url);
      }
    };
  }
  const { payload } = await jwtVerify(token, key, {
    algorithms: ['ES256'],
    issuer,
    audience: context.audience,
    clockTolerance: skewOf(context, 60),
    currentDate: currentDate(now),
    requiredClaims: ['exp', 'iat', 'sub'],
  });
  return accept(pomeriumIdentity(payload));
}

const PROXY_LIFETIME = 300;

export async function pomeriumProxy(input, context, now) {
  const list = input.headers;
  nodeRequestHeaders(list); // a request Node's parser refuses never reaches the proxy logic
  // "pomerium strips the x-pomerium-* headers provided by the client"
  const forwarded = list.filter(([name]) => !name.toLowerCase().startsWith('x-pomerium-'));
  const jwk = context.signing_key;
  const header = { alg: 'ES256', typ: 'JWT' };
  if (typeof jwk.kid === 'string') header.kid = jwk.kid;
  const assertion = await new jose.SignJWT({ ...context.identity })
    .setProtectedHeader(header)
    .setIssuer(context.issuer ?? DEFAULT_ISSUER)
    .setAudience(context.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + PROXY_LIFETIME)
    .sign(await jose.importJWK(jwk, 'ES256'));
  return accept({ headers: [...forwarded, [ASSERTION, assertion]] });
}
