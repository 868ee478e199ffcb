// Watson interop fixtures, minted the way the seed's sample code does it: `jsonwebtoken`
// signs RS256 with `expiresIn: '10000ms'`, `node-rsa` encrypts `user_payload` with
// `new RSA(PUBLIC_IBM_RSA_KEY).encrypt(userPayload, 'base64')`.
//
// Run by `cargo xtask interop` (never by hand-installed packages): the environment gives
// JWTC_NOW (the suite clock), JWTC_KEYS (vectors/keys) and JWTC_OUT (vectors/interop).
// Keys come from the repository's fixed test keys; nothing here generates a key. The
// OAEP encryption is randomised, so each run writes other ciphertext bytes for the same
// plaintext: the fixture records the plaintext as the output an accept must give.

import { createRequire } from 'node:module';
import { createPrivateKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
// Exactly the seed's requires.
const jwt = require('jsonwebtoken');
const RSA = require('node-rsa');
// node-rsa 2.0.0 (npm alias): its CommonJS export is a module object, not the class.
const rsa2Module = require('node-rsa-2');

function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(`node-watson.mjs: ${name} is not set (run \`cargo xtask interop\`)`);
  return v;
}

const NOW = Number(env('JWTC_NOW'));
const KEYS = env('JWTC_KEYS');
const OUT = env('JWTC_OUT');
if (!Number.isSafeInteger(NOW)) throw new Error(`JWTC_NOW ${process.env.JWTC_NOW} is not an integer`);

const version = (name) => require(`${name}/package.json`).version;
const VERSIONS = `jsonwebtoken ${version('jsonwebtoken')}, node-rsa ${version('node-rsa')}`;
const V2 = `node-rsa ${version('node-rsa-2')}`;
const VERSIONS_2 = `jsonwebtoken ${version('jsonwebtoken')}, ${V2}`;

// The customer's signing key (rsa-2048-a) as the PEM the seed reads from
// process.env.YOUR_PRIVATE_RSA_KEY; IBM's public key (rsa-2048-b) as the PEM the
// seed reads from process.env.PUBLIC_IBM_RSA_KEY.
const signerJwk = JSON.parse(readFileSync(join(KEYS, 'rsa-2048-a.json'), 'utf8'));
const YOUR_PRIVATE_RSA_KEY = createPrivateKey({ key: signerJwk, format: 'jwk' })
  .export({ type: 'pkcs1', format: 'pem' });
const PUBLIC_IBM_RSA_KEY = readFileSync(join(KEYS, 'rsa-2048-b.pub.pem'), 'utf8');

if (typeof rsa2Module === 'function' || typeof rsa2Module.default !== 'function') {
  throw new Error('node-rsa 2.0.0 changed its CommonJS export again: revisit docs/decisions.md § watson');
}
const RSA2 = rsa2Module.default;

const rsaKey = new RSA(PUBLIC_IBM_RSA_KEY);
const rsaKey2 = new RSA2(PUBLIC_IBM_RSA_KEY);

// The seed's mockLogin(userID, userPayload), with `iat` pinned to the suite clock so
// that jsonwebtoken computes exp = iat + 10 from it instead of the wall clock, and `iss`
// given when `iss` is passed (the seed's own sample for this section leaves it out).
function mockLogin(userID, userPayload, { iss, iat = NOW, key = rsaKey } = {}) {
  const payload = {
    sub: userID, // Required
    iat,
  };
  if (iss !== undefined) payload.iss = iss;
  if (userPayload) {
    payload.user_payload = key.encrypt(userPayload, 'base64');
  }
  return jwt.sign(payload, YOUR_PRIVATE_RSA_KEY, { algorithm: 'RS256', expiresIn: '10000ms' });
}

// A user payload of two node-rsa blocks (2048-bit key: at most 214 bytes a block) whose
// multi-byte character straddles the chunk boundary: node-rsa cuts bytes, not characters.
function straddlingPayload() {
  for (let filler = 0; filler < 400; filler++) {
    const text = JSON.stringify({
      tier: 'VIP',
      name: 'Jürgen Müller',
      note: `${'x'.repeat(filler)}€${'y'.repeat(120)}`,
    });
    const bytes = Buffer.from(text, 'utf8');
    const n = Math.ceil(bytes.length / 214);
    const size = Math.ceil(bytes.length / n);
    const euro = bytes.indexOf(Buffer.from('€', 'utf8'));
    if (n === 2 && euro < size && size < euro + 3) return { text, size, len: bytes.length };
  }
  throw new Error('no filler puts the euro sign across the block boundary');
}

const watsonCtx = { keys: ['rsa-2048-a'], skew: 0 };
const decryptCtx = { keys: ['rsa-2048-a'], decryption_key: 'rsa-2048-b', skew: 0 };
const cases = [];
function add(name, rule, severity, description, token, context, expect, libs = VERSIONS) {
  cases.push({
    id: `interop/node-watson/${name}`,
    rule,
    description: `${description} (${libs})`,
    severity,
    input: { token },
    context,
    expect,
  });
}

add(
  'seed-authenticating-users',
  'watson.sub',
  'low',
  "the seed's \"Authenticating users\" mockLogin: sub L12345, iss www.example.com, expiresIn 10000ms",
  mockLogin('L12345', undefined, { iss: 'www.example.com' }),
  watsonCtx,
  { verdict: 'accept', output: { user_id: 'L12345' } },
);

const small = JSON.stringify({ loyalty: 'gold', mvp: true });
add(
  'seed-sensitive-data-verbatim',
  'watson.iss',
  'medium',
  "the seed's \"Passing sensitive data\" mockLogin as printed: its payload has no iss, which the seed's claim list requires",
  mockLogin('L12345', small),
  decryptCtx,
  { verdict: 'reject', error: 'claim_missing' },
);

add(
  'sensitive-data-one-block',
  'watson.user-payload',
  'low',
  'the sensitive-data mockLogin with iss: a one-block user_payload from node-rsa encrypt(…, \'base64\')',
  mockLogin('L12345', small, { iss: 'www.example.com' }),
  decryptCtx,
  { verdict: 'accept', output: { user_id: 'L12345', user_payload: JSON.parse(small) } },
);

const { text: long, size, len } = straddlingPayload();
add(
  'sensitive-data-two-blocks',
  'watson.user-payload',
  'medium',
  `a ${len}-byte user_payload node-rsa cuts into two chunks of ${size} and ${len - size} bytes, the euro sign's bytes across the cut`,
  mockLogin('L12345', long, { iss: 'www.example.com' }),
  decryptCtx,
  { verdict: 'accept', output: { user_id: 'L12345', user_payload: JSON.parse(long) } },
);

add(
  'sensitive-data-two-blocks-node-rsa-2',
  'watson.user-payload',
  'medium',
  `the same two-block user_payload encrypted with ${V2} (require('node-rsa').default): the same default scheme and chunking`,
  mockLogin('L12345', long, { iss: 'www.example.com', key: rsaKey2 }),
  decryptCtx,
  { verdict: 'accept', output: { user_id: 'L12345', user_payload: JSON.parse(long) } },
  VERSIONS_2,
);

add(
  'expires-in-10000ms-elapsed',
  'watson.exp',
  'medium',
  'signed 10 s before the suite clock with expiresIn 10000ms: exp equals the clock, so the token is expired',
  mockLogin('L12345', undefined, { iss: 'www.example.com', iat: NOW - 10 }),
  watsonCtx,
  { verdict: 'reject', error: 'expired' },
);

const doc = { schema: 1, profile: 'watson', group: 'node-watson', cases };
writeFileSync(join(OUT, 'node-watson.json'), `${JSON.stringify(doc, null, 2)}\n`);
console.log(`node-watson.mjs: ${cases.length} cases written to ${join(OUT, 'node-watson.json')}`);
