import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { KeyLoadError, loadPublicKeyFile, type PublicKeyEntry } from '../main/services/keys/keys';
import { WorkerPool } from '../main/services/workers/worker-pool';

declare const __ALOG_VERSION__: string | undefined;
export const VERSION = typeof __ALOG_VERSION__ === 'string' ? __ALOG_VERSION__ : '0.0.0-dev';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** A command's flags and positionals; a malformed command line is a usage error (exit 2). */
export function parseCommandLine<const O extends OptionsConfig>(
  argv: string[],
  options: O,
): ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; strict: true; options: O }>> {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** The keys named by --trust-key; an unreadable or malformed key file is a usage error (exit 2). */
export async function loadTrustedKeys(files: readonly string[] = []): Promise<PublicKeyEntry[]> {
  try {
    return await Promise.all(files.map((file) => loadPublicKeyFile(file)));
  } catch (e) {
    if (e instanceof KeyLoadError) throw new UsageError(e.message);
    throw e;
  }
}

/** The same keys by key_id, as the export services look them up. */
export async function trustedKeyMap(files: readonly string[] = []): Promise<Map<string, PublicKeyEntry>> {
  return new Map((await loadTrustedKeys(files)).map((k) => [k.keyId, k]));
}

/** The bundled worker sits next to the bundled CLI (scripts/build-cli.mjs builds both). */
export function createPool(): WorkerPool {
  const fromEnv = Number(process.env.ALOG_WORKERS);
  const size = Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : undefined;
  return new WorkerPool(path.join(__dirname, 'archive-worker.cjs'), size);
}

/** Ctrl-C cancels the running operation instead of killing the process mid-write. */
export function abortOnInterrupt(): AbortController {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  return controller;
}

const MB = 1024 * 1024;

/** A one-line progress bar on stderr, only when stderr is a terminal. */
export function progressLine(label: string): { update: (done: number, total: number) => void; clear: () => void } {
  const tty = process.stderr.isTTY;
  const started = performance.now();
  let last = 0;
  return {
    update(done, total) {
      if (!tty) return;
      const now = performance.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const secs = (now - started) / 1000;
      const rate = secs > 0 ? done / secs : 0;
      const pct = total > 0 ? Math.min(100, (100 * done) / total) : 100;
      const eta = rate > 0 ? Math.max(0, (total - done) / rate) : 0;
      const width = 30;
      const filled = Math.round((pct / 100) * width);
      process.stderr.write(
        `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct.toFixed(0).padStart(3)}%  ${(rate / MB).toFixed(0)} MB/s  ETA ${eta.toFixed(0)}s  (Ctrl-C cancels) `,
      );
    },
    clear() {
      if (tty) process.stderr.write('\r\x1b[K');
    },
  };
}
