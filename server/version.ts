/**
 * Tickwire's version (`tickwire --version`), from package.json. esbuild inlines the JSON
 * into dist/server/*.js, so the built CLI does not read package.json at run time.
 */
import packageJson from '../package.json' with { type: 'json' };

export const VERSION: string = packageJson.version;
