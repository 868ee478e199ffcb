// jwtc peer adapter for jose (npm, panva/jose), over the protocol of docs/protocol.md.
//
//   node adapter.mjs <install_dir>
//
// <install_dir> holds node_modules (npm ci of this folder's package.json and lock); the
// packages are loaded from there, never from beside this script. stdout carries protocol
// lines only; logs go to stderr. README.md says how jose is configured and what glue is
// added for each profile.
//
// This file is the start-up and the dispatch loop. Beside it, one job per module:
// library.mjs (the packages), protocol.mjs (the wire), errors.mjs (verdicts, error codes),
// keys.mjs (key arguments, several matching keys), remote.mjs (createRemoteJWKSet over the
// protocol), clock.mjs (currentDate, skew), and one module per profile: core.mjs (core and
// jws), pendo.mjs, watson.mjs, pomerium.mjs (both roles), coyo.mjs, and signer.mjs
// (pendo-signer, watson-signer: minting with SignJWT).

// library.mjs first: it checks the command line before anything else runs.
import { JOSE_VERSION, NAME, log } from './library.mjs';
import { nextLine, send } from './protocol.mjs';
import { Skip, codeOf, describe } from './errors.mjs';
import { core, plainJws } from './core.mjs';
import { coyo } from './coyo.mjs';
import { pendo } from './pendo.mjs';
import { pomerium, pomeriumProxy } from './pomerium.mjs';
import { watson } from './watson.mjs';
import { pendoSigner, watsonSigner } from './signer.mjs';

// The optional features claimed (docs/protocol.md): all of them.
const FEATURES = ['jws-payload', 'es512', 'jwks-fetch', 'builtin-keys', 'proxy-role'];
const PROFILES = ['core', 'jws', 'pendo', 'watson', 'pomerium', 'pomerium-proxy', 'coyo', 'pendo-signer', 'watson-signer'];

// ---- dispatch ---------------------------------------------------------------------------

const HANDLERS = {
  core,
  jws: plainJws,
  pendo,
  watson,
  pomerium,
  'pomerium-proxy': pomeriumProxy,
  coyo,
  'pendo-signer': pendoSigner,
  'watson-signer': watsonSigner,
};

async function main() {
  let now = 0;
  let state = {};
  for (;;) {
    const line = await nextLine();
    if (line === null) break;
    let msg;
    try {
      msg = JSON.parse(line);
    } catch (e) {
      log(`not JSON from the harness: ${e.message}: ${line.slice(0, 200)}`);
      continue;
    }
    if (msg.type === 'hello') {
      now = msg.now;
      send({ type: 'hello', name: NAME, version: JOSE_VERSION, profiles: PROFILES, features: FEATURES, clock: 'wall' });
      continue;
    }
    if (msg.type !== 'case') {
      log(`ignored a ${msg.type} message outside a case`);
      continue;
    }
    if (msg.step === 0) state = { remote: new Map() };
    state.remote ??= new Map();
    const answer = { type: 'result', id: msg.id, step: msg.step };
    const notes = [];
    try {
      const handler = HANDLERS[msg.profile];
      if (!handler) throw new Skip(`profile ${msg.profile} is not implemented by this adapter`);
      const r = await handler(msg.input ?? {}, msg.context ?? {}, now, state, notes);
      answer.verdict = r.verdict;
      answer.output = r.output;
    } catch (e) {
      if (e instanceof Skip) {
        send({ type: 'skip', id: msg.id, step: msg.step, reason: e.message });
        continue;
      }
      const code = codeOf(e);
      if (code) {
        answer.verdict = 'reject';
        answer.error = code;
        answer.detail = describe(e);
      } else {
        answer.verdict = 'error';
        answer.detail = `adapter: ${describe(e)}`;
        log(`${msg.id} step ${msg.step}: ${e?.stack ?? e}`);
      }
    }
    if (notes.length) answer.detail = [answer.detail, ...notes].filter(Boolean).join('; ');
    send(answer);
  }
}

process.on('unhandledRejection', (e) => log(`unhandled rejection: ${e?.stack ?? e}`));
await main();
