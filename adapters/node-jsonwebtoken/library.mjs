// The packages of the node-jsonwebtoken adapter and its command line: jsonwebtoken and
// node-rsa loaded from <install_dir> (never from beside this script), their versions, and
// the history rows' call pattern. Imported first by adapter.mjs, so a bad command line
// stops the adapter before anything else runs.

import { createRequire } from 'node:module';
import path from 'node:path';

const installDir = process.argv[2];
if (!installDir) {
  process.stderr.write('usage: node adapter.mjs <install_dir> (the folder npm ci installed jsonwebtoken into)\n');
  process.exit(2);
}
// --no-algorithms: the 8.x README's jwt.verify(token, getKey, options) with no
// `algorithms` (CVE-2022-23540). --mixed-algorithms: one getKey for symmetric and
// asymmetric keys with `algorithms` listing both kinds (CVE-2022-23541). Under either, the
// key lookup is by kid only, as a map lookup (`keys[header.kid]`) is: it hands
// jsonwebtoken PEM text or a Buffer secret (what the 8.x README documents), and
// `undefined` when nothing matches.
export const PATTERN = process.argv[3] || null;
if (PATTERN !== null && PATTERN !== '--no-algorithms' && PATTERN !== '--mixed-algorithms') {
  process.stderr.write(`unknown call pattern ${PATTERN} (--no-algorithms or --mixed-algorithms)\n`);
  process.exit(2);
}
export const MIXED = ['HS256', 'RS256', 'ES256'];

const requireFromInstall = createRequire(path.join(path.resolve(installDir), 'package.json'));
export const jwt = requireFromInstall('jsonwebtoken');
export const NodeRSA = requireFromInstall('node-rsa');
export const VERSIONS = {
  jsonwebtoken: requireFromInstall('jsonwebtoken/package.json').version,
  'node-rsa': requireFromInstall('node-rsa/package.json').version,
  jws: requireFromInstall('jws/package.json').version,
  node: process.versions.node,
  openssl: process.versions.openssl,
};
