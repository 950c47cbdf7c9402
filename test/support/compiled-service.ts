import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runToExit } from './run-to-exit';
import { PROJECT_ROOT } from './service-process';

/** Compiling without type checks takes seconds on an idle machine; this leaves room for a loaded one. */
export const COMPILE_TIMEOUT_MS = 120_000;

export interface CompiledService {
  /** The compiled file of a source path, e.g. `src/cli/main.js`. */
  file(path: string): string;
  /** What a process running the compiled files needs to find the project's packages. */
  env: { NODE_PATH: string };
  remove(): void;
}

/**
 * The service and its migrations compiled once with tsc into a temporary directory, without type
 * checks (the typecheck script does those): a suite that starts many processes then pays for the
 * TypeScript compiler once, not once per process as under ts-node.
 */
export async function compileService(): Promise<CompiledService> {
  const outDir = mkdtempSync(join(tmpdir(), 'omni-compiled-'));
  const remove = () => rmSync(outDir, { recursive: true, force: true });
  const tsc = require.resolve('typescript/bin/tsc');
  const args = [tsc, '-p', 'tsconfig.build.json', '--noCheck', '--incremental', 'false', '--outDir', outDir];
  try {
    const result = await runToExit(process.execPath, args, {
      cwd: PROJECT_ROOT,
      env: process.env,
      timeoutMs: COMPILE_TIMEOUT_MS,
    });
    if (result.code !== 0) throw new Error(`tsc exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  } catch (error) {
    remove();
    throw error;
  }
  return { file: (path) => join(outDir, path), env: { NODE_PATH: join(PROJECT_ROOT, 'node_modules') }, remove };
}
