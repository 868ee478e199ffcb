// jwtc peer adapter: COYO's own plug-in library, @coyoapp/plugin-adapter, on profile coyo.
//
// Speaks docs/protocol.md over stdin/stdout (JSON Lines; logs go to stderr only).
// Usage: node adapter.mjs <install_dir> --as-shipped|--strict
//
// One job per module: library.mjs (the package, the variant), shim.mjs (the browser the
// library needs: window, XMLHttpRequest through the protocol's fetch, document, the clock),
// store.mjs (the JwkStore a plug-in sets up), chain.mjs (init()'s chain), errors.mjs
// (PluginErrorCode to error codes), protocol.mjs (messages, fetch). README.md says what is
// the library and what is glue.

import { STRICT, VERSION } from './library.mjs';
import { atClock } from './shim.mjs';
import { NAME, log, nextMessage, send } from './protocol.mjs';
import { Reject } from './errors.mjs';
import { storeFor } from './store.mjs';
import { initChain } from './chain.mjs';

async function main() {
  let now = null;
  let store = null;
  for (;;) {
    const msg = await nextMessage();
    if (msg === null) break;
    if (msg.type === 'hello') {
      now = msg.now;
      log(`clock ${now}; @coyoapp/plugin-adapter ${VERSION}, node ${process.versions.node}, ${STRICT ? 'strict' : 'as shipped'}`);
      send({ type: 'hello', name: NAME, version: VERSION, profiles: ['coyo'], features: ['jwks-fetch', 'builtin-keys'] });
      continue;
    }
    if (msg.type !== 'case') continue;
    const answer = { type: 'result', id: msg.id, step: msg.step };
    try {
      if (msg.profile !== 'coyo') throw new Error(`profile ${msg.profile} is not claimed`);
      atClock(now);
      const notes = [];
      // One store per case: its download cache lives across the case's steps.
      if (msg.step === 0 || store === null) store = storeFor(msg.context || {}, notes);
      for (const n of notes) log(`${msg.id}: ${n}`);
      const token = msg.input && msg.input.token;
      Object.assign(answer, await initChain(token, store));
    } catch (e) {
      if (e instanceof Reject) {
        Object.assign(answer, { verdict: 'reject', error: e.code, detail: e.message });
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
