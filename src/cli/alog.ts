// `alog`: the headless face of ActivationLog Inspector, running the same services as the app.
import { runGen } from './commands/gen';
import { runServe } from './commands/serve';
import { runVerify } from './commands/verify';
import { runIndex } from './commands/index';
import { runQuery } from './commands/query';
import { runStats } from './commands/stats';
import { runExportCommand } from './commands/export';
import { runVerifyExport } from './commands/verify-export';
import { runKeygen } from './commands/keygen';
import { UsageError, VERSION } from './cli-support';

const COMMANDS: Record<string, { run: (argv: string[]) => Promise<number>; summary: string }> = {
  verify: {
    run: runVerify,
    summary:
      'verify ARCHIVE [--trust-key FILE.pem]... [--json] [--schema all|changed] [--line-cap BYTES] [--expect-from DAY] [--expect-through DAY] [--checkpoint FILE] [--write-checkpoint FILE] [--skew SECONDS] [--report FILE.pdf [--overwrite]]   check every seal, chain and signed digest, that no day is missing, and the history against a checkpoint; --report writes the integrity report',
  },
  serve: { run: runServe, summary: 'serve ARCHIVE [--port N] [--trust-key FILE.pem]... [--user-data DIR] [--cache-dir DIR] [--open]   open the inspector in a browser, on 127.0.0.1 only' },
  index: { run: runIndex, summary: 'index ARCHIVE [--cache-dir DIR] [--gzip-access] [--json] [--trust-key FILE.pem]... [--expect-from DAY] [--expect-through DAY] [--checkpoint FILE] [--skew SECONDS]   build or refresh the query index (verifies in the same pass)' },
  query: { run: runQuery, summary: 'query ARCHIVE [QUERY] [--from ISO] [--to ISO] [--sort FIELD[:asc|desc]] [--offset N] [--limit N] [--json] [--cache-dir DIR]   find records' },
  stats: { run: runStats, summary: 'stats ARCHIVE [QUERY] [--from ISO] [--to ISO] [--json] [--cache-dir DIR]   counts, percentiles and costs over the selection' },
  export: { run: runExportCommand, summary: 'export ARCHIVE [QUERY] --format csv|jsonl|xlsx|pdf|parquet --out FILE [--profile NAME|FILE] [--from ISO] [--to ISO] [--fields a,b,c] [--trust-key FILE.pem]... [--expect-from DAY] [--expect-through DAY] [--checkpoint FILE] [--skew SECONDS] [--key EXPORTER.pem [--operator NAME]] [--bom] [--overwrite] [--cache-dir DIR] [--json]   redacted export + FILE.manifest.json (signed with --key)' },
  'verify-export': { run: runVerifyExport, summary: 'verify-export MANIFEST [--trust-key FILE.pem]... [--file EXPORT] [--archive ARCHIVE] [--json]   check an export against its manifest (and, with --archive, every cell against the archive)' },
  keygen: { run: runKeygen, summary: 'keygen DIR [--name NAME] [--overwrite] [--json]   write a new Ed25519 key pair: DIR/NAME.pem (private, mode 0600) and DIR/NAME.pub.pem' },
  gen: { run: runGen, summary: 'gen OUT [--days N] [--per-day M] [--seed S] [--unsealed] [--gzip-older] [--key DIR] [--body-kb K] [--end-date D] [--empty-days D,D...] [--plant-warnings KIND,...|all] [--overwrite]   write a sample archive' },
};

function usage(): string {
  return [
    `alog ${VERSION}: offline inspector for ActivationLog audit archives`,
    '',
    'usage:',
    ...Object.values(COMMANDS).map((c) => `  alog ${c.summary}`),
    '',
    'exit codes: 0 all verified, 1 findings, 2 usage error or unreadable archive, 3 verify --write-checkpoint refused (the newest day did not verify)',
    'consistency warnings never change an exit code',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  if (name === '--version') {
    process.stdout.write(VERSION + '\n');
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command "${name}"`);
  return command.run(rest);
}

// A closed pipe (`alog verify | head`) is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof UsageError) {
      process.stderr.write(`alog: ${e.message}\n\n${usage()}\n`);
    } else {
      process.stderr.write(`alog: ${e instanceof Error ? e.message : String(e)}\n`);
    }
    process.exitCode = 2;
  },
);
