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
// This file is the start-up and the dispatch loop. Beside it, one job per module:
// library.mjs (the packages and the call pattern), protocol.mjs (messages, fetch),
// errors.mjs (verdicts, error codes), keys.mjs (JWK import, candidates), verify.mjs
// (createVerifier with candidate keys), jwks.mjs (JWK Set fetch and cache), and one module
// per profile: core.mjs (core and jws), pendo.mjs, watson.mjs, coyo.mjs, pomerium.mjs (both
// roles).

// library.mjs first: it checks the command line before anything else runs.
import { PATTERN, VERSIONS } from './library.mjs';
import { NAME, log, nextMessage, send } from './protocol.mjs';
import { ConfigError, Reject, Skip } from './errors.mjs';
import { verifyCore, verifyJws } from './core.mjs';
import { verifyCoyo } from './coyo.mjs';
import { verifyPendo } from './pendo.mjs';
import { proxyPomerium, verifyPomerium } from './pomerium.mjs';
import { verifyWatson } from './watson.mjs';

// The optional features claimed (docs/protocol.md): all but jws-payload. fast-jwt is a JWT
// library: its decoder refuses a payload that is not a JSON object ("The token payload is
// not a valid base64url serialized JSON."), so the Wycheproof JWS/JWK cases are not claimed.
const FEATURES = ['es512', 'jwks-fetch', 'builtin-keys', 'proxy-role'];
const PROFILES = ['core', 'jws', 'pendo', 'coyo', 'watson', 'pomerium', 'pomerium-proxy'];

async function runCase(msg, now, state) {
  const { profile, input, context } = msg;
  switch (profile) {
    case 'core': return verifyCore(input, context, now);
    case 'jws': return verifyJws(input, context, now);
    case 'pendo': return verifyPendo(input, context, now, state);
    case 'watson': return verifyWatson(input, context, now, state);
    case 'coyo': return verifyCoyo(input, context, now, state);
    case 'pomerium': return verifyPomerium(input, context, now, state);
    case 'pomerium-proxy': return proxyPomerium(input, context, now);
    default: throw new Skip(`profile ${profile} is not implemented by this adapter`);
  }
}

async function main() {
  let now = null;
  let state = {};
  for (;;) {
    const msg = await nextMessage();
    if (msg === null) break;
    if (msg.type === 'hello') {
      now = msg.now;
      log(`clock ${now}; ${Object.entries(VERSIONS).map(([k, v]) => `${k} ${v}`).join(', ')}`);
      send({ type: 'hello', name: NAME, version: VERSIONS['fast-jwt'], profiles: PROFILES, features: FEATURES, ...(PATTERN ? { pattern: PATTERN } : {}) });
      continue;
    }
    if (msg.type !== 'case') continue;
    if (msg.step === 0) state = {};
    const answer = { type: 'result', id: msg.id, step: msg.step };
    try {
      Object.assign(answer, await runCase(msg, now, state));
    } catch (e) {
      if (e instanceof Reject) {
        Object.assign(answer, { verdict: 'reject', error: e.code, detail: e.message });
      } else if (e instanceof Skip) {
        Object.assign(answer, { type: 'skip', reason: e.message });
      } else if (e instanceof ConfigError) {
        Object.assign(answer, { verdict: 'error', detail: `configuration: ${e.message}` });
      } else {
        log(`${msg.id}: adapter bug: ${e && e.stack}`);
        Object.assign(answer, { verdict: 'error', detail: `adapter bug: ${e && e.message}` });
      }
    }
    send(answer);
  }
}

main().catch((e) => {
  log(`fatal: ${e && e.stack}`);
  process.exit(1);
});
