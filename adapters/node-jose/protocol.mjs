// The wire of the node-jose adapter (docs/protocol.md): the harness's lines read one at a
// time (a fetch's answer is the next line), and messages written to stdout.

import readline from 'node:readline';

const lines = [];
const waiting = [];
let closed = false;
const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  if (!line.trim()) return;
  const w = waiting.shift();
  if (w) w(line);
  else lines.push(line);
});
rl.on('close', () => {
  closed = true;
  for (const w of waiting.splice(0)) w(null);
});
/** The next non-blank line from the harness, or null at the end of stdin. */
export function nextLine() {
  if (lines.length) return Promise.resolve(lines.shift());
  if (closed) return Promise.resolve(null);
  return new Promise((resolve) => waiting.push(resolve));
}
export function send(msg) {
  let text;
  try {
    text = JSON.stringify(msg);
  } catch (e) {
    // An accepted payload nested too deep for JSON.stringify: answer without the output.
    const { output, ...rest } = msg;
    rest.detail = [rest.detail, `the output could not be serialized (${e.message})`].filter(Boolean).join('; ');
    text = JSON.stringify(rest);
  }
  // A pipe's writes are synchronous on Linux: nothing is held back.
  process.stdout.write(`${text}\n`);
}
