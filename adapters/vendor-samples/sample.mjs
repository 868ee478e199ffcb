// jwtc signer rows: the vendors' own sample code, exactly as their pages show it, behind
// docs/protocol.md (JSON Lines on stdin/stdout, logs on stderr).
// Usage: node sample.mjs <install_dir> watson-sample | pendo-snippet
//
// The samples below are the vendors' code; the glue around them only does what the
// customer's environment would: the configuration the sample reads (the PEM keys of
// process.env, Pendo's secret and key name as shown on its settings page) made from the
// case's context, and the app's request passed to the sample's function as it is. Both
// samples read the wall clock (jsonwebtoken's iat and expiresIn), so the hello says
// "clock": "wall". A thrown error is a refusal: a reject carrying the library's message.

import { createPrivateKey, createPublicKey, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';

const [installDir, sample] = process.argv.slice(2);
if (!installDir || !['watson-sample', 'pendo-snippet'].includes(sample)) {
  process.stderr.write('usage: node sample.mjs <install_dir> watson-sample|pendo-snippet\n');
  process.exit(2);
}
const requireFromInstall = createRequire(path.join(path.resolve(installDir), 'package.json'));
const jwt = requireFromInstall('jsonwebtoken');
const JWT = jwt;
const RSA = requireFromInstall('node-rsa');
const version = (p) => requireFromInstall(`${p}/package.json`).version;
const log = (...a) => process.stderr.write(`vendor-samples: ${a.join(' ')}\n`);

// The configuration a customer pastes: PEM text for Watson, the secret's text for Pendo.
const pem = (jwk, isPrivate) => (isPrivate
  ? createPrivateKey({ key: jwk, format: 'jwk' }).export({ type: 'pkcs1', format: 'pem' })
  : createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: 'jwk' }).export({ type: 'spki', format: 'pem' }));

// IBM Watson Assistant, "Passing sensitive data": the sample verbatim but for `process.env`.
function watsonSample(input, context) {
  const env = {
    PUBLIC_IBM_RSA_KEY: pem(context.ibm_public_key, false),
    YOUR_PRIVATE_RSA_KEY: pem(context.signing_key, true),
  };
  const rsaKey = new RSA(env.PUBLIC_IBM_RSA_KEY);
  /**
  * Returns a signed JWT. Optionally, also adds an encrypted user_payload.
  * The userPayload is stringified JSON.
  */
  function mockLogin(userID, userPayload) {
    const payload = {
      sub: userID, // Required
      // The exp claim is automatically added by the jsonwebtoken library.
      // We recommend you set a short lived exp claim
      // with whatever library you are using.
    };
    if (userPayload) {
      // If there is a user payload we encrypt it using the IBM public key.
      // Should be encrypted to base64 format.
      payload.user_payload = rsaKey.encrypt(userPayload, 'base64');
    }
    const token = jwt.sign(payload, env.YOUR_PRIVATE_RSA_KEY, { algorithm: 'RS256', expiresIn: '10000ms' });
    return token;
  }
  // "The userPayload is stringified JSON": the app's payload stringified, none when absent.
  const userPayload = input.payload === undefined || input.payload === null ? undefined : JSON.stringify(input.payload);
  return { token: mockLogin(input.user_id, userPayload) };
}

// Pendo, "Snippet example with JWT": JWT.sign(payload, 'SECRET KEY') and the options
// object passed to pendo.initialize. The nonce is "randomly generated value // It should
// be different every time it is used": a random UUID.
function pendoSnippet(input, context) {
  const name = context.active;
  const key = (context.keys || []).find((k) => k.kid === name);
  if (!key) throw new ConfigError(`context.keys has no key ${JSON.stringify(name)}`);
  const secret = Buffer.from(key.k, 'base64url').toString('utf8'); // the secret as shown
  const payload = { nonce: randomUUID() };
  if (input.visitor !== undefined) payload.visitor = input.visitor;
  if (input.account !== undefined) payload.account = input.account;
  const jwtText = JWT.sign(payload, secret);
  return { jwt: jwtText, signingKeyName: name };
}

class ConfigError extends Error {}

const mint = sample === 'watson-sample' ? watsonSample : pendoSnippet;
const profile = sample === 'watson-sample' ? 'watson-signer' : 'pendo-signer';
const send = (m) => process.stdout.write(`${JSON.stringify(m)}\n`);
const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of rl) {
  if (line.trim() === '') continue;
  const msg = JSON.parse(line);
  if (msg.type === 'hello') {
    log(`${sample}: jsonwebtoken ${version('jsonwebtoken')}, node-rsa ${version('node-rsa')}, node ${process.versions.node}`);
    const libs = `jsonwebtoken ${version('jsonwebtoken')}${sample === 'watson-sample' ? ` + node-rsa ${version('node-rsa')}` : ''}`;
    send({ type: 'hello', name: sample, version: libs, profiles: [profile], features: [], clock: 'wall' });
    continue;
  }
  if (msg.type !== 'case') continue;
  const answer = { type: 'result', id: msg.id, step: msg.step };
  try {
    answer.verdict = 'accept';
    answer.output = mint(msg.input, msg.context);
  } catch (e) {
    if (e instanceof ConfigError) {
      Object.assign(answer, { verdict: 'error', detail: `configuration: ${e.message}` });
      send(answer);
      continue;
    }
    const size = /minimum key size/.test(e.message);
    Object.assign(answer, { verdict: 'reject', error: size ? 'key_unknown' : 'claim_invalid', detail: `${e.name}: ${e.message}` });
  }
  send(answer);
}
