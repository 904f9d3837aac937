/**
 * Loading a k6 script for node:vm: its static imports are checked against the modules this
 * runtime implements (an unknown module or export stops the run with one line naming it),
 * then esbuild turns the ESM file into a CommonJS function body that every VU context runs
 * with its own `require` (vm.SourceTextModule would need --experimental-vm-modules).
 * The script is run as it is; only the module syntax changes.
 */
import { transformSync } from 'esbuild';
import { readFileSync } from 'node:fs';
import { ExitCode, RuntimeError } from './errors.js';
import { MODULE_EXPORTS, unknownExportMessage, unknownModuleMessage } from './moduleTable.js';

/** The static imports of an ES module file: `import a, { b as c } from "m"`, `import * as n from "m"`, `import "m"`. */
export function staticImports(code: string): Array<{ module: string; names: string[] }> {
  const out: Array<{ module: string; names: string[] }> = [];
  const re = /^\s*import\s+(?:([\w$]+)\s*,?\s*)?(?:\{([^}]*)\}|\*\s+as\s+[\w$]+)?\s*(?:from\s*)?["']([^"']+)["']\s*;?\s*$/gm;
  for (let m = re.exec(code); m; m = re.exec(code)) {
    const names: string[] = [];
    if (m[1]) names.push('default');
    if (m[2]) {
      for (const part of m[2].split(',')) {
        const name = part.trim().split(/\s+as\s+/)[0].trim();
        if (name) names.push(name);
      }
    }
    out.push({ module: m[3], names });
  }
  return out;
}

export function checkImports(code: string): void {
  for (const imp of staticImports(code)) {
    const exports = MODULE_EXPORTS[imp.module];
    if (!exports) throw new RuntimeError(unknownModuleMessage(imp.module), ExitCode.ScriptException);
    for (const name of imp.names) {
      if (!exports.includes(name)) throw new RuntimeError(unknownExportMessage(imp.module, name), ExitCode.ScriptException);
    }
  }
}

export interface LoadedScript {
  path: string;
  source: string;
}

/** Reads and checks a script; the one-line errors name the file. */
export function loadScript(path: string): LoadedScript {
  let code: string;
  try {
    code = readFileSync(path, 'utf8');
  } catch (err) {
    throw new RuntimeError(`cannot read ${path}: ${(err as Error).message}`, ExitCode.ScriptException);
  }
  checkImports(code);
  let cjs: string;
  try {
    cjs = transformSync(code, { format: 'cjs', loader: 'js', sourcefile: path, logLevel: 'silent' }).code;
  } catch (err) {
    const first = (err as { errors?: Array<{ text: string; location?: { line: number } }> }).errors?.[0];
    throw new RuntimeError(`${path}${first?.location ? `:${first.location.line}` : ''}: ${first?.text ?? (err as Error).message}`, ExitCode.ScriptException);
  }
  return { path, source: `(function (exports, require, module) {${cjs}\n})` };
}
