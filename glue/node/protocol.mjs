// The protocol side of every Node adapter that uses this glue (docs/protocol.md): one JSON
// object per line on stdin/stdout, logs on stderr; a fetch reads the next line as its
// answer. One reader of stdin per process: this module is loaded once, whichever adapter
// imports it.

import readline from 'node:readline';

// A log function whose lines on stderr start with the adapter's name.
export const logger = (name) => (...parts) => process.stderr.write(`${name}: ${parts.join(' ')}\n`);

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
const lines = rl[Symbol.asyncIterator]();

export async function nextMessage() {
  for (;;) {
    const { value, done } = await lines.next();
    if (done) return null;
    if (value.trim() === '') continue;
    return JSON.parse(value);
  }
}

export function send(msg) {
  let line;
  try {
    line = JSON.stringify(msg);
  } catch (e) {
    // An accepted payload nested too deeply for JSON.stringify (V8's stack): keep the
    // verdict, drop the output, and say why.
    const { output, ...rest } = msg;
    line = JSON.stringify({ ...rest, detail: `the output could not be serialised (${e.message}); the library accepted the token` });
  }
  process.stdout.write(`${line}\n`);
}

// The harness plays the network: ask for a URL, the next line is its `fetched` answer.
export async function protocolFetch(url) {
  send({ type: 'fetch', url });
  const answer = await nextMessage();
  if (!answer || answer.type !== 'fetched') {
    throw new Error(`expected a fetched answer for ${url}, got ${JSON.stringify(answer)}`);
  }
  return answer;
}
