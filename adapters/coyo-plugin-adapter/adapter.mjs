// jwtc peer adapter: COYO's own plug-in library, @coyoapp/plugin-adapter, on profile coyo.
//
// Speaks docs/protocol.md over stdin/stdout (JSON Lines; logs go to stderr only).
// Usage: node adapter.mjs <install_dir> --as-shipped|--strict
//
// One job per module: library.mjs (the package, the variant), shim.mjs (the browser the
// library needs: window, XMLHttpRequest through the protocol's fetch, document, the clock),
// store.mjs (the JwkStore a plug-in sets up), chain.mjs (init()'s chain), errors.mjs
// (PluginErrorCode to error codes); the protocol and the dispatch loop are the shared Node
// glue (glue/node/README.md). README.md says what is the library and what is glue.

import { STRICT, VERSION } from './library.mjs';
import { atClock } from './shim.mjs';
import { logger } from '../../glue/node/protocol.mjs';
import { run } from '../../glue/node/serve.mjs';
import { Reject } from './errors.mjs';
import { storeFor } from './store.mjs';
import { initChain } from './chain.mjs';

const NAME = 'coyo-plugin-adapter';
const log = logger(NAME);

run({
  log,
  banner: `@coyoapp/plugin-adapter ${VERSION}, node ${process.versions.node}, ${STRICT ? 'strict' : 'as shipped'}`,
  hello: { name: NAME, version: VERSION, profiles: ['coyo'], features: ['jwks-fetch', 'builtin-keys'] },
  async runCase(msg, now, state) {
    if (msg.profile !== 'coyo') throw new Error(`profile ${msg.profile} is not claimed`);
    atClock(now);
    const notes = [];
    // One store per case (state is fresh at each step 0): its download cache lives across
    // the case's steps.
    state.store ??= storeFor(msg.context || {}, notes);
    for (const n of notes) log(`${msg.id}: ${n}`);
    const token = msg.input && msg.input.token;
    return initChain(token, state.store);
  },
  // A Reject is a verdict; anything else (no Skip, no ConfigError here) an adapter bug.
  Reject,
});
