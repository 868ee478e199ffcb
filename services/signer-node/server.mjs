// Signer endpoints of a customer's app, for jwtc probe --role signer's tests: node:http,
// jsonwebtoken 9.0.3 and node-rsa 1.1.1. Each endpoint takes a POST of the app's own view
// of a user (JSON) and answers what the app would send: Pendo's options object for
// pendo.initialize, or Watson's identity token. The app keeps one configuration; it mints
// at its own wall clock. Listens on 127.0.0.1 only; prints "listening PORT" once ready.
//
//   node server.mjs INSTALL_DIR MODE PORT CONFIG_JSON
//
// CONFIG_JSON (a file): {"pendo": {"name", "secret"}, "watson": {"signing_key": private
// RSA JWK, "issuer", "ibm_public_key": RSA JWK}}; the keys become the PEM text a customer
// pastes into the app's configuration.
//
// POST /pendo   {"visitor"?, "account"?} -> 200 {"jwt", "signingKeyName"}
// POST /watson  {"user_id", "payload"?}  -> 200 {"token"}; 400 {"error"} for a user id that
//               cannot be a sub
//
// MODE: correct        Pendo: ids as strings, an anonymous visitor without one, a random
//                      nonce, iat. Watson: iss, sub (visible ASCII, not empty), a 5-minute
//                      exp, user_payload encrypted with node-rsa to IBM's key.
//       vendor-sample  WRONG (as the vendors' pages show it): Pendo's snippet signs the
//                      visitor and account as given (integer ids as numbers, a null id);
//                      IBM's mockLogin signs no iss and any user id
//       fixed-nonce    WRONG: Pendo's nonce is the same in every mint
import { createPrivateKey, createPublicKey, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';

const [installDir, mode, port, configFile] = process.argv.slice(2);
if (!['correct', 'vendor-sample', 'fixed-nonce'].includes(mode)) {
  process.stderr.write('usage: node server.mjs INSTALL_DIR correct|vendor-sample|fixed-nonce PORT CONFIG_JSON\n');
  process.exit(2);
}
const requireFromInstall = createRequire(path.join(path.resolve(installDir), 'package.json'));
const jwt = requireFromInstall('jsonwebtoken');
const RSA = requireFromInstall('node-rsa');
const config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
const signingPem = createPrivateKey({ key: config.watson.signing_key, format: 'jwk' }).export({ type: 'pkcs1', format: 'pem' });
const { kty, n, e } = config.watson.ibm_public_key;
const ibmKey = new RSA(createPublicKey({ key: { kty, n, e }, format: 'jwk' }).export({ type: 'spki', format: 'pem' }));

class Refused extends Error {}

// Pendo: the visitor or account as Pendo wants it, ids as strings, no id when anonymous.
const part = (p) => {
  if (!p) return undefined;
  const { id, ...rest } = p;
  return id === undefined || id === null ? rest : { ...rest, id: String(id) };
};

function pendo(request) {
  const payload = mode === 'vendor-sample'
    ? { visitor: request.visitor, account: request.account, nonce: randomUUID() }
    : { visitor: part(request.visitor), account: part(request.account), nonce: mode === 'fixed-nonce' ? 'n-0' : randomUUID() };
  const token = jwt.sign(payload, config.pendo.secret, { algorithm: 'HS256' });
  return { jwt: token, signingKeyName: config.pendo.name };
}

function watson(request) {
  const userPayload = request.payload === undefined || request.payload === null
    ? undefined : JSON.stringify(request.payload);
  if (mode === 'vendor-sample') {
    // IBM's mockLogin: { sub: userID }, user_payload, expiresIn '10000ms'; no iss.
    const payload = { sub: request.user_id };
    if (userPayload) payload.user_payload = ibmKey.encrypt(userPayload, 'base64');
    return { token: jwt.sign(payload, signingPem, { algorithm: 'RS256', expiresIn: '10000ms' }) };
  }
  const user = String(request.user_id);
  if (user === '' || /[^\x21-\x7e]/.test(user)) throw new Refused(`user id ${JSON.stringify(user)} cannot be a sub`);
  const payload = { iss: config.watson.issuer, sub: user };
  if (userPayload) payload.user_payload = ibmKey.encrypt(userPayload, 'base64');
  return { token: jwt.sign(payload, signingPem, { algorithm: 'RS256', expiresIn: '5m' }) };
}

const routes = { '/pendo': pendo, '/watson': watson };

const server = http.createServer((req, res) => {
  const send = (status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const route = routes[req.url];
  if (req.method !== 'POST' || !route) return send(404, { error: `POST /pendo or /watson, not ${req.method} ${req.url}` });
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => {
    body += chunk;
    if (body.length > 64 * 1024) req.destroy();
  });
  req.on('end', () => {
    try {
      send(200, route(JSON.parse(body)));
    } catch (e) {
      send(e instanceof Refused ? 400 : 500, { error: String(e.message ?? e) });
    }
  });
});
server.listen(Number(port), '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
