/**
 * The k6 modules and exports this runtime implements, the one-line errors for anything
 * else, and compiling a prepared script (see bundle.ts) for the VU contexts of a thread.
 */
import vm from 'node:vm';

/** Every module and export this runtime provides. */
export const MODULE_EXPORTS: Record<string, string[]> = {
  k6: ['check', 'sleep', 'fail'],
  'k6/http': ['default', 'request', 'get', 'head', 'del', 'post', 'put', 'patch'],
  'k6/websockets': ['WebSocket'],
  'k6/timers': ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'],
  'k6/metrics': ['Counter', 'Gauge', 'Rate', 'Trend'],
  'k6/execution': ['default'],
};

export function unknownModuleMessage(name: string): string {
  return `the script imports "${name}", which this runtime does not implement (it has ${Object.keys(MODULE_EXPORTS).join(', ')}); run this script with k6`;
}

export function unknownExportMessage(module: string, name: string): string {
  return `the script imports ${name === 'default' ? 'the default export' : `"${name}"`} from "${module}", which this runtime does not implement (it has ${MODULE_EXPORTS[module].join(', ')}); run this script with k6`;
}

export type ModuleFactory = (exports: Record<string, unknown>, require: (name: string) => unknown, module: { exports: Record<string, unknown> }) => void;

export interface PreparedScript {
  path: string;
  /** A CommonJS function expression: (exports, require, module) => void. */
  source: string;
}

/** Compiled once per thread, run once per VU context. */
export function compileScript(s: PreparedScript): vm.Script {
  return new vm.Script(s.source, { filename: s.path });
}
