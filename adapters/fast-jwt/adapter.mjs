// jwtc peer adapter: nearform/fast-jwt (with node-rsa for Watson's user_payload).
//
// Speaks docs/protocol.md over stdin/stdout (JSON Lines; logs go to stderr only).
// Usage: node adapter.mjs <install_dir> [--no-algorithms]
//   <install_dir> holds package.json, package-lock.json and node_modules (npm ci);
//   the packages are loaded from there, never from beside this script.
//   --no-algorithms is the history rows' call pattern (README.md, "History").
//
// What is the library and what is glue is said in README.md; in short: every token is
// checked by a verifier from fast-jwt's createVerifier() with the strictest options it
// documents (algorithms from the context, allowedIss, allowedAud, requiredClaims,
// clockTolerance = skew, clockTimestamp = the harness's now), and the glue does only what
// fast-jwt has no option for: turning JWKs into PEM text, choosing candidate keys by kid
// (through the `key` function), the vendors' own rules (Pendo's modes, key ring, nonce and
// dedupe; Watson's sub syntax, user_payload decryption with node-rsa and session pinning;
// Pomerium's header handling, iat rule and identity, and its proxy role signing with
// createSigner; COYO's key sources, issuer patterns, jku allowlist, fetch and cache).
//
// This file is the start-up and the hello; the dispatch loop, the protocol and the vendor
// profiles are the shared Node glue (glue/node/README.md). Beside it, one job per module:
// library.mjs (the packages and the call pattern), errors.mjs (verdicts, error codes),
// keys.mjs (JWK import, candidates), verify.mjs (the library call with candidate keys),
// core.mjs (core and jws), profiles.mjs (fast-jwt's own calls in the vendor profiles).

// library.mjs first: it checks the command line before anything else runs.
import { PATTERN, VERSIONS } from './library.mjs';
import { logger } from '../../glue/node/protocol.mjs';
import { dispatch, run } from '../../glue/node/serve.mjs';
import { ConfigError, Reject, Skip } from './errors.mjs';
import { verifyCore, verifyJws } from './core.mjs';
import { VENDOR_PROFILES } from './profiles.mjs';

const NAME = 'fast-jwt';
const log = logger(NAME);

// The optional features claimed (docs/protocol.md): all but jws-payload. fast-jwt is a JWT
// library: its decoder refuses a payload that is not a JSON object ("The token payload is
// not a valid base64url serialized JSON."), so the Wycheproof JWS/JWK cases are not claimed.
const FEATURES = ['es512', 'jwks-fetch', 'builtin-keys', 'proxy-role'];
const PROFILES = ['core', 'jws', 'pendo', 'coyo', 'watson', 'pomerium', 'pomerium-proxy'];

run({
  log,
  banner: Object.entries(VERSIONS).map(([k, v]) => `${k} ${v}`).join(', '),
  hello: { name: NAME, version: VERSIONS['fast-jwt'], profiles: PROFILES, features: FEATURES, ...(PATTERN ? { pattern: PATTERN } : {}) },
  runCase: dispatch({ core: verifyCore, jws: verifyJws, ...VENDOR_PROFILES }, Skip),
  Reject,
  Skip,
  ConfigError,
});
