// The package of the coyo-plugin-adapter adapter and its command line: @coyoapp/plugin-adapter
// loaded from <install_dir> (never from beside this script), and the variant (README.md).
// Imported first by adapter.mjs, so a bad command line stops the adapter before anything runs.

import { createRequire } from 'node:module';
import path from 'node:path';

const installDir = process.argv[2];
const variant = process.argv[3];
if (!installDir || !['--as-shipped', '--strict'].includes(variant)) {
  process.stderr.write('usage: node adapter.mjs <install_dir> --as-shipped|--strict\n');
  process.exit(2);
}
// --as-shipped: errors handled exactly as the library's init() handles them, the branch that
// draws an error and carries on included; --strict: every error rejects.
export const STRICT = variant === '--strict';

const req = createRequire(path.join(path.resolve(installDir), 'package.json'));
const lib = (file) => req(`@coyoapp/plugin-adapter/build/main/lib/${file}`);
// The package's index exports JwkStore and PluginAdapter; init()'s other pieces are the
// shipped files it requires itself (build/main/lib/...).
export const { JwkStore, PluginAdapter } = req('@coyoapp/plugin-adapter');
export const { JwtHandler } = lib('jwt/jwt-handler.js');
export const { showError, showErrorAndRecover } = lib('error/error-handlers.js');
export const { PluginErrorCode } = lib('error/plugin-error.js');
export const VERSION = req('@coyoapp/plugin-adapter/package.json').version;
