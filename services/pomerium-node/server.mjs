// A Pomerium-protected back end, for jwtc probe's tests: node:http and jose 6.2.17,
// verifying the X-Pomerium-Jwt-Assertion header as Pomerium's documentation suggests
// (createRemoteJWKSet + jwtVerify with audience and issuer), and two deliberately wrong
// variants. Listens on 127.0.0.1 only; prints "listening PORT" once ready.
//
//   node server.mjs INSTALL_DIR MODE PORT JWKS_URL AUDIENCE ISSUER
//
// MODE: correct       keys from JWKS_URL; audience, issuer, 60 s clock tolerance
//       iss-jwks      WRONG: keys from http://<the token's unverified iss>/.well-known/pomerium/jwks.json
//                     (Pomerium's JavaScript and Go SDKs build the URL from iss, over https);
//                     no issuer check
//       trust-header  WRONG: verifies the assertion, then reports the email of the
//                     unsigned x-pomerium-authenticated-user-email header when present
//
// 200 {"sub","email","groups"} on success, 401 {"error"} otherwise.
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [installDir, mode, port, jwksUrl, audience, issuer] = process.argv.slice(2);
const jose = await import(pathToFileURL(path.join(installDir, 'node_modules/jose/dist/webapi/index.js')).href);

const configured = jose.createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: 2000 });
const byIssuer = new Map();
const fromIss = (token) => {
  const iss = jose.decodeJwt(token).iss; // WRONG on purpose: unverified
  const url = `http://${iss}/.well-known/pomerium/jwks.json`;
  if (!byIssuer.has(url)) byIssuer.set(url, jose.createRemoteJWKSet(new URL(url), { timeoutDuration: 2000 }));
  return byIssuer.get(url);
};

async function identity(req) {
  const token = req.headers['x-pomerium-jwt-assertion'];
  if (typeof token !== 'string' || token === '') throw new Error('no assertion');
  const options = { audience, clockTolerance: 60, algorithms: ['ES256'], requiredClaims: ['exp', 'iat'] };
  if (mode !== 'iss-jwks') options.issuer = issuer;
  const keys = mode === 'iss-jwks' ? fromIss(token) : configured;
  const { payload } = await jose.jwtVerify(token, keys, options);
  // What jose's defaults leave out and the suite's rules ask: iat not in the future
  // (pomerium.iat), the claims' types (pomerium.identity).
  if (typeof payload.iat !== 'number' || payload.iat > Date.now() / 1000 + 60) throw new Error('iat_in_future');
  if (typeof payload.sub !== 'string' || payload.sub === '') throw new Error('claim_invalid: sub');
  if (payload.email !== undefined && typeof payload.email !== 'string') throw new Error('claim_invalid: email');
  const g = payload.groups;
  if (g !== undefined && g !== null && !(Array.isArray(g) && g.every((x) => typeof x === 'string'))) {
    throw new Error('claim_invalid: groups');
  }
  let email = typeof payload.email === 'string' && payload.email !== '' ? payload.email : undefined;
  if (mode === 'trust-header' && req.headers['x-pomerium-authenticated-user-email']) {
    email = req.headers['x-pomerium-authenticated-user-email']; // WRONG on purpose: unsigned
  }
  const groups = Array.isArray(payload.groups) && payload.groups.length > 0 ? payload.groups : undefined;
  return { sub: payload.sub, email, groups };
}

const server = http.createServer(async (req, res) => {
  try {
    const who = await identity(req);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(who));
  } catch (e) {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: String(e && e.code || e) }));
  }
});
server.listen(Number(port), '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
