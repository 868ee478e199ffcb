// The signer profiles of the node-jose adapter (pendo-signer, watson-signer): what a Pendo or
// Watson customer's server mints with jose's SignJWT, written the way jose's README shows it
// (new SignJWT(claims).setProtectedHeader({ alg }).setIssuedAt().setExpirationTime(...)
// .sign(key)): setIssuedAt() and a relative setExpirationTime read the wall clock, so the
// hello says "clock": "wall".
//
// The glue is the customer's own code and does what the vendor pages ask, nothing more:
// Pendo: the options {jwt, signingKeyName}, a random nonce, ids as strings, an anonymous
// visitor without an id; Watson: iss and sub, a five-minute exp, user_payload encrypted to
// IBM's public key with node-rsa 1.1.1 (the Watson page's own library; its default scheme,
// RSA-OAEP SHA-1, is what IBM decrypts). jose refuses an RSA key under 2048 bits itself
// (a reject, key_unknown); it checks nothing else (README.md).

import { randomUUID } from 'node:crypto';

import { NodeRSA, jose } from './library.mjs';
import { Reject, accept } from './errors.mjs';

/** The app's visitor or account with its id as a string, and no id when it has none. */
function ided(part) {
  const out = { ...part };
  if (out.id === null || out.id === undefined) delete out.id;
  else if (typeof out.id === 'number') out.id = String(out.id);
  return out;
}

export async function pendoSigner(input, context) {
  const name = context.active;
  const key = (context.keys || []).find((k) => k.kid === name);
  if (!key) throw new Error(`context.keys has no key ${JSON.stringify(name)}`);
  // The secret as Pendo's settings page shows it: the text, encoded as jose's README does.
  const secret = new TextEncoder().encode(Buffer.from(key.k, 'base64url').toString('utf8'));
  const claims = { nonce: randomUUID() };
  for (const part of ['visitor', 'account']) {
    if (input[part] !== undefined) claims[part] = ided(input[part]);
  }
  const jwt = await new jose.SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(secret);
  return accept({ jwt, signingKeyName: name });
}

export async function watsonSigner(input, context) {
  const privateKey = await jose.importJWK(context.signing_key, 'RS256');
  const claims = { sub: typeof input.user_id === 'number' ? String(input.user_id) : input.user_id };
  if (input.payload !== undefined && input.payload !== null) {
    const ibm = new NodeRSA();
    ibm.importKey({ n: Buffer.from(context.ibm_public_key.n, 'base64url'), e: Buffer.from(context.ibm_public_key.e, 'base64url') }, 'components-public');
    claims.user_payload = ibm.encrypt(JSON.stringify(input.payload), 'base64');
  }
  let token;
  try {
    token = await new jose.SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(context.issuer)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
  } catch (e) {
    if (/modulusLength/.test(e.message)) throw new Reject('key_unknown', `SignJWT refused the key: ${e.message}`);
    throw e;
  }
  return accept({ token });
}
