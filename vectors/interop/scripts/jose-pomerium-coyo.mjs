// Mints interop fixtures for the pomerium and coyo profiles with jose (npm), the
// library the vendors' customers reach for, from the fixed test keys in vectors/keys at
// the suite clock (vectors/suite.json). Writes vectors/interop/jose-pomerium-coyo.json.
//
// jose's ECDSA and RSA-PSS signatures are randomised, so a rerun changes the bytes; the
// fixture is checked in, and `cargo test` runs it through the reference verifier
// (crates/harness/tests/interop_jose.rs) with no Node at test time.
//
// Run from the repository root, after installing the pinned versions of package.json:
//   npm install --prefix target/interop   (with package.json copied there)
//   node vectors/interop/scripts/jose-pomerium-coyo.mjs
// jose is imported normally, or from $JWTC_INTEROP_PREFIX/node_modules, or from
// target/interop/node_modules.

import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..', '..');

async function loadJose() {
  try {
    return { jose: await import('jose'), from: 'jose' };
  } catch {
    // fall through to the install prefixes
  }
  const prefixes = [process.env.JWTC_INTEROP_PREFIX, join(root, 'target', 'interop')].filter(Boolean);
  for (const prefix of prefixes) {
    try {
      const require = createRequire(join(resolve(prefix), 'node_modules', 'jwtc-resolve.js'));
      const entry = require.resolve('jose');
      return { jose: await import(pathToFileURL(entry).href), from: entry };
    } catch {
      // try the next prefix
    }
  }
  throw new Error(`jose not found: npm install --prefix target/interop (tried ${prefixes.join(', ')})`);
}

function joseVersion(from) {
  if (from === 'jose') return 'unknown';
  let dir = dirname(from);
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (pkg.name === 'jose') return pkg.version;
    } catch {
      // keep walking up
    }
    dir = dirname(dir);
  }
  return 'unknown';
}

const { jose, from } = await loadJose();
const { SignJWT, importJWK, exportJWK } = jose;
const now = JSON.parse(readFileSync(join(root, 'vectors', 'suite.json'), 'utf8')).now;
const jwk = (name) => JSON.parse(readFileSync(join(root, 'vectors', 'keys', `${name}.json`), 'utf8'));
const privateKey = (name, alg) => importJWK(jwk(name), alg);
// The public half, imported as a public key and exported again by jose.
async function publicJwk(name, alg, extra = {}) {
  const { d, p, q, dp, dq, qi, ...pub } = jwk(name);
  const exported = await exportJWK(await importJWK(pub, alg, { extractable: true }));
  return { ...exported, kid: name, ...extra };
}

// ---- pomerium (Pomerium's "Securing your app with signed headers") ----
const AUD = 'httpbin.corp.example.com';
const AUTH = 'authenticate.corp.example.com';
const POM_CTX = { audience: AUD, issuer: 'pomerium-proxy', keys: ['p256-a'], skew: 60 };
const identity = { sub: 'user-1', email: 'user-1@corp.example.com', groups: ['engineering'] };

async function assertion({ key = 'p256-a', kid = 'p256-a', iss = 'pomerium-proxy', aud = AUD, iat = now - 5, exp = now + 295, claims = identity } = {}) {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
    .setIssuer(iss)
    .setAudience(aud)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(await privateKey(key, 'ES256'));
}
const headers = (token) => ({ headers: [['X-Pomerium-Jwt-Assertion', token]] });

const jwksUrl = `https://${AUTH}/.well-known/pomerium/jwks.json`;
const pomeriumJwks = JSON.stringify({
  keys: [await publicJwk('p256-a', 'ES256', { use: 'sig', alg: 'ES256' }), await publicJwk('p256-b', 'ES256', { use: 'sig', alg: 'ES256' })],
});

const pomerium = [
  {
    id: 'interop/jose-pomerium/es256-identity', rule: 'pomerium.alg', severity: 'low',
    description: 'jose SignJWT ES256 with kid and typ, iss pomerium-proxy, iat now - 5, exp now + 295',
    input: headers(await assertion()), context: POM_CTX,
    expect: { verdict: 'accept', output: identity },
  },
  {
    id: 'interop/jose-pomerium/aud-array', rule: 'pomerium.aud', severity: 'low',
    description: 'jose setAudience with an array holding another app and the audience',
    input: headers(await assertion({ aud: ['grafana.corp.example.com', AUD] })), context: POM_CTX,
    expect: { verdict: 'accept', output: identity },
  },
  {
    id: 'interop/jose-pomerium/sub-only', rule: 'pomerium.identity', severity: 'low',
    description: 'jose SignJWT with sub only',
    input: headers(await assertion({ claims: { sub: 'user-1' } })), context: POM_CTX,
    expect: { verdict: 'accept', output: { sub: 'user-1' } },
  },
  {
    id: 'interop/jose-pomerium/iat-future-59s', rule: 'pomerium.iat', severity: 'medium',
    description: 'jose SignJWT with iat 59 s after the suite clock',
    input: headers(await assertion({ iat: now + 59, exp: now + 359 })), context: POM_CTX,
    expect: { verdict: 'accept', output: identity },
  },
  {
    id: 'interop/jose-pomerium/expired-61s', rule: 'pomerium.exp', severity: 'medium',
    description: 'jose SignJWT with exp 61 s before the suite clock',
    input: headers(await assertion({ iat: now - 361, exp: now - 61 })), context: POM_CTX,
    expect: { verdict: 'reject', error: 'expired' },
  },
  {
    id: 'interop/jose-pomerium/other-key', rule: 'pomerium.alg', severity: 'critical',
    description: 'jose SignJWT ES256 by p256-b, kid naming the configured p256-a',
    input: headers(await assertion({ key: 'p256-b' })), context: POM_CTX,
    expect: { verdict: 'reject', error: 'bad_signature' },
  },
  {
    id: 'interop/jose-pomerium/jwks-from-issuer', rule: 'pomerium.jwks', severity: 'low',
    description: "keys from the JWKS at the configured issuer's well-known URL, a set made by jose exportJWK; kid p256-b",
    input: headers(await assertion({ key: 'p256-b', kid: 'p256-b', iss: AUTH })),
    context: { audience: AUD, issuer: AUTH, skew: 60 },
    network: { [jwksUrl]: { status: 200, body: pomeriumJwks } },
    expect: { verdict: 'accept', output: identity },
  },
  {
    id: 'interop/jose-pomerium/jwks-token-names-attacker', rule: 'pomerium.jwks', severity: 'critical',
    description: "a jose token naming the attacker's host as iss: nothing is fetched",
    input: headers(await assertion({ key: 'p256-b', kid: 'p256-b', iss: 'evil.example' })),
    context: { audience: AUD, issuer: AUTH, skew: 60 },
    network: { [jwksUrl]: { status: 200, body: pomeriumJwks } },
    max_fetches: 0,
    expect: { verdict: 'reject', error: 'issuer_mismatch' },
  },
];

// ---- coyo (COYO's "JWT token security") ----
const SOME = 'https://some.site';
const TENANT = 'https://acme.coyocloud.example';
const JKU = 'https://pubkeys.coyocloud.example/jwks.json';
const COYO_CTX = {
  issuers: [{ pattern: '/^https:\\/\\/some\\.site$/i', keys: ['rsa-2048-a'] }],
  builtin: ['rsa-3072-a'],
  jku_allowlist: ['https://pubkeys.coyocloud.example'],
};
async function coyoToken({ key = 'rsa-2048-a', alg = 'RS256', header = {}, iss = SOME, sub = 'user-1', iat = now - 30, exp = now + 3600, claims = {} } = {}) {
  let t = new SignJWT({ ...claims }).setProtectedHeader({ alg, kid: key, ...header }).setIssuer(iss).setIssuedAt(iat).setExpirationTime(exp);
  if (sub) t = t.setSubject(sub);
  return t.sign(await privateKey(key, alg));
}
const coyoJwks = JSON.stringify({ keys: [await publicJwk('rsa-2048-c', 'RS256', { use: 'sig', alg: 'RS256' })] });

const coyo = [
  {
    id: 'interop/jose-coyo/registered-issuer-key', rule: 'coyo.issuer-keys', severity: 'low',
    description: 'jose SignJWT RS256 by the key registered for https://some.site',
    input: { token: await coyoToken() }, context: COYO_CTX,
    expect: { verdict: 'accept', output: { iss: SOME, sub: 'user-1' } },
  },
  {
    id: 'interop/jose-coyo/jku-allowlisted', rule: 'coyo.jku-allowlist', severity: 'low',
    description: 'jose SignJWT RS256 with a jku at the allowlisted origin; the set made by jose exportJWK',
    input: { token: await coyoToken({ key: 'rsa-2048-c', header: { jku: JKU }, iss: TENANT }) }, context: COYO_CTX,
    network: { [JKU]: { status: 200, body: coyoJwks } },
    max_fetches: 1,
    expect: { verdict: 'accept', output: { iss: TENANT, sub: 'user-1' } },
  },
  {
    id: 'interop/jose-coyo/jku-userinfo-trick', rule: 'coyo.jku-allowlist', severity: 'critical',
    description: "a jose token whose jku puts the allowlisted host in userinfo before the attacker's",
    input: { token: await coyoToken({ key: 'rsa-2048-b', header: { jku: 'https://pubkeys.coyocloud.example@evil.example/jwks.json' }, iss: TENANT }) },
    context: COYO_CTX,
    max_fetches: 0,
    expect: { verdict: 'reject', error: 'jku_not_allowed' },
  },
  {
    id: 'interop/jose-coyo/lifecycle-event', rule: 'coyo.issuer-keys', severity: 'low',
    description: 'a jose lifecycle-event token (no sub) by the registered key',
    input: { token: await coyoToken({ sub: null, claims: { event: 'install', tenantId: '3f2a' } }) }, context: COYO_CTX,
    expect: { verdict: 'accept', output: { iss: SOME } },
  },
  {
    id: 'interop/jose-coyo/builtin-key', rule: 'coyo.builtin-keys', severity: 'medium',
    description: 'a jose token by the built-in key with an allowlisted jku: no fetch',
    input: { token: await coyoToken({ key: 'rsa-3072-a', header: { jku: JKU }, iss: TENANT }) }, context: COYO_CTX,
    max_fetches: 0,
    expect: { verdict: 'accept', output: { iss: TENANT, sub: 'user-1' } },
  },
  {
    id: 'interop/jose-coyo/ps256', rule: 'coyo.alg', severity: 'high',
    description: 'jose SignJWT PS256 by the registered key',
    input: { token: await coyoToken({ alg: 'PS256' }) }, context: COYO_CTX,
    expect: { verdict: 'reject', error: 'alg_not_allowed' },
  },
  {
    id: 'interop/jose-coyo/expired', rule: 'coyo.issuer-keys', severity: 'medium',
    description: 'jose SignJWT RS256 whose exp is a second before the suite clock',
    input: { token: await coyoToken({ iat: now - 3600, exp: now - 1 }) }, context: COYO_CTX,
    expect: { verdict: 'reject', error: 'expired' },
  },
];

// Ordinary vector files, one per profile (vectors/interop/<group>.json), loaded and graded
// like every other vector; the library and version are in each case's refs.
const version = joseVersion(from);
for (const [profile, cases] of [['pomerium', pomerium], ['coyo', coyo]]) {
  const group = `jose-${profile}`;
  for (const c of cases) {
    c.refs = [...(c.refs ?? []), `jose ${version} (npm), vectors/interop/scripts/jose-pomerium-coyo.mjs`];
    // The optional features the case needs (docs/rules.md, features), as the generator derives them.
    const features = [];
    if (c.network) features.push('jwks-fetch');
    if (c.rule === 'coyo.builtin-keys') features.push('builtin-keys');
    if (features.length) c.features = features;
  }
  const out = join(root, 'vectors', 'interop', `${group}.json`);
  writeFileSync(out, JSON.stringify({ schema: 1, profile, group, cases }, null, 2) + '\n');
  console.log(`wrote ${out}: ${cases.length} cases, jose ${version}`);
}
