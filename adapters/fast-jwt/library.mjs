// The packages of the fast-jwt adapter and its command line: fast-jwt and node-rsa loaded
// from <install_dir> (never from beside this script), their versions, and the history
// rows' call pattern. Imported first by adapter.mjs, so a bad command line stops the
// adapter before anything else runs.

import { createRequire } from 'node:module';
import path from 'node:path';

const installDir = process.argv[2];
if (!installDir) {
  process.stderr.write('usage: node adapter.mjs <install_dir> (the folder npm ci installed fast-jwt into)\n');
  process.exit(2);
}
// --no-algorithms: createVerifier({ key }) with no `algorithms`, the README's own examples
// ("By default, all algorithms are accepted"; fast-jwt then derives the allowed algorithms
// from the key), with the configured key text as the key: the setup of CVE-2023-48223 and
// CVE-2026-34950 (README.md, History).
export const PATTERN = process.argv[3] || null;
if (PATTERN !== null && PATTERN !== '--no-algorithms') {
  process.stderr.write(`unknown call pattern ${PATTERN} (--no-algorithms)\n`);
  process.exit(2);
}

const requireFromInstall = createRequire(path.join(path.resolve(installDir), 'package.json'));
export const fastJwt = requireFromInstall('fast-jwt');
export const NodeRSA = requireFromInstall('node-rsa');
export const VERSIONS = {
  'fast-jwt': requireFromInstall('fast-jwt/package.json').version,
  'node-rsa': requireFromInstall('node-rsa/package.json').version,
  node: process.versions.node,
  openssl: process.versions.openssl,
};
