// The packages of the node-jose adapter: jose and node-rsa loaded from <install_dir>
// (never from beside this script), and their versions. Imported first by adapter.mjs, so
// a missing argument stops the adapter before anything else runs.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const NAME = 'node-jose';

export const log = (...a) => process.stderr.write(`${NAME}: ${a.join(' ')}\n`);

const installDir = process.argv[2];
if (!installDir) {
  log('usage: node adapter.mjs <install_dir>');
  process.exit(2);
}
const requireFromInstall = createRequire(path.join(path.resolve(installDir), 'package.json'));
const joseEntry = requireFromInstall.resolve('jose');
export const jose = await import(pathToFileURL(joseEntry).href);
export const NodeRSA = requireFromInstall('node-rsa');

/** The version in the package.json of the package that holds `entry`. */
function versionOf(entry, name) {
  let dir = path.dirname(entry);
  for (let i = 0; i < 8; i++) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      if (pkg.name === name) return pkg.version;
    } catch {
      // keep walking up
    }
    dir = path.dirname(dir);
  }
  return 'unknown';
}
export const JOSE_VERSION = versionOf(joseEntry, 'jose');
const NODE_RSA_VERSION = versionOf(requireFromInstall.resolve('node-rsa'), 'node-rsa');
log(`jose ${JOSE_VERSION} from ${joseEntry}; node-rsa ${NODE_RSA_VERSION}; node ${process.version}`);
