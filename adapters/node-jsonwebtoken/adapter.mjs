// jwtc peer adapter: auth0/node-jsonwebtoken (with node-rsa for Watson's user_payload).
//
// Speaks docs/protocol.md over stdin/stdout (JSON Lines; logs go to stderr only).
// Usage: node adapter.mjs <install_dir> [--no-algorithms | --mixed-algorithms]
//   <install_dir> holds package.json, package-lock.json and node_modules (npm ci);
//   the packages are loaded from there, never from beside this script.
//   The flags are the history rows' call patterns (README.md, "History"): how users of
//   jsonwebtoken 8.x called it, as the advisories of 9.0.0 describe them.
//
// What is the library and what is glue is said in README.md; in short: every token is
// checked by jwt.verify() with the strictest options it documents (algorithms from the
// context, issuer, audience, clockTolerance = skew, clockTimestamp = the harness's now),
// and the glue does only what jsonwebtoken has no option for: turning JWKs into keys,
// choosing candidate keys by kid (through the getKey(header, cb) hook), the vendors'
// own rules (Pendo's modes, key ring, nonce and dedupe; Watson's required claims, sub
// syntax, user_payload decryption with node-rsa and session pinning; Pomerium's header
// handling, iat rule and identity, and its proxy role signing with jwt.sign; COYO's
// key sources, issuer patterns, jku allowlist, fetch and cache).
//
// This file is the start-up and the hello; the dispatch loop, the protocol and the vendor
// profiles are the shared Node glue (glue/node/README.md). Beside it, one job per module:
// library.mjs (the packages and the call pattern), errors.mjs (verdicts, error codes),
// keys.mjs (JWK import, candidates), verify.mjs (the library call with candidate keys),
// core.mjs (core and jws), profiles.mjs (jsonwebtoken's own calls in the vendor profiles).

// library.mjs first: it checks the command line before anything else runs.
import { PATTERN, VERSIONS } from './library.mjs';
import { logger } from '../../glue/node/protocol.mjs';
import { dispatch, run } from '../../glue/node/serve.mjs';
import { ConfigError, Reject, Skip } from './errors.mjs';
import { verifyCore, verifyJws } from './core.mjs';
import { VENDOR_PROFILES } from './profiles.mjs';

const NAME = 'node-jsonwebtoken';
const log = logger(NAME);

// The optional features claimed (docs/protocol.md): all of them.
const FEATURES = ['jws-payload', 'es512', 'jwks-fetch', 'builtin-keys', 'proxy-role'];
const PROFILES = ['core', 'jws', 'pendo', 'coyo', 'watson', 'pomerium', 'pomerium-proxy'];

run({
  log,
  banner: Object.entries(VERSIONS).map(([k, v]) => `${k} ${v}`).join(', '),
  hello: { name: NAME, version: VERSIONS.jsonwebtoken, profiles: PROFILES, features: FEATURES, ...(PATTERN ? { pattern: PATTERN } : {}) },
  runCase: dispatch({ core: verifyCore, jws: verifyJws, ...VENDOR_PROFILES }, Skip),
  Reject,
  Skip,
  ConfigError,
});
