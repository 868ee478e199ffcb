// The dispatch loop of a Node adapter (docs/protocol.md): the hello, then each case's
// step handed to the adapter's `runCase`, its outcome turned into the answer. The
// adapter gives its own outcome classes (its errors.mjs), so `instanceof` sees the very
// classes its modules throw.

import { nextMessage, send } from './protocol.mjs';

// A runCase from a table of profile → handler(input, context, now, state); a profile not
// in the table is skipped (`new Skip(...)`).
export function dispatch(handlers, Skip) {
  return async (msg, now, state) => {
    const { profile, input, context } = msg;
    if (!Object.hasOwn(handlers, profile)) throw new Skip(`profile ${profile} is not implemented by this adapter`);
    return handlers[profile](input, context, now, state);
  };
}

// Serves until stdin ends. At the harness's hello: logs `clock <now>; <banner>` and answers
// with `type: 'hello'` and the members of `hello` (name, version, profiles, features, ...);
// `runCase(msg, now, state)` returns the answer's members (`verdict`,
// `output`, ...) or throws: a Reject (`code`, message) is a reject, a Skip a skip, a
// ConfigError an error verdict naming the configuration, anything else an adapter bug.
// `state` is fresh at each case's step 0 and kept across its steps. Skip and ConfigError
// may be left out by an adapter that never throws them.
export async function serve({ log, banner, hello, runCase, Reject, Skip, ConfigError }) {
  let now = null;
  let state = {};
  for (;;) {
    const msg = await nextMessage();
    if (msg === null) break;
    if (msg.type === 'hello') {
      now = msg.now;
      log(`clock ${now}; ${banner}`);
      send({ type: 'hello', ...hello });
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
      } else if (Skip && e instanceof Skip) {
        Object.assign(answer, { type: 'skip', reason: e.message });
      } else if (ConfigError && e instanceof ConfigError) {
        Object.assign(answer, { verdict: 'error', detail: `configuration: ${e.message}` });
      } else {
        log(`${msg.id}: adapter bug: ${e && e.stack}`);
        Object.assign(answer, { verdict: 'error', detail: `adapter bug: ${e && e.message}` });
      }
    }
    send(answer);
  }
}

// serve(), and a fatal error (stdin unreadable, a line that is not JSON) ends the process
// with status 1 after saying why on stderr.
export function run(options) {
  serve(options).catch((e) => {
    options.log(`fatal: ${e && e.stack}`);
    process.exit(1);
  });
}
