// What `npm start` runs once the build is done: the Electron app on the bundled sample archive
// when the Electron runtime is installed, otherwise the same renderer in a browser, served by the
// browser host (`alog serve`) on 127.0.0.1.
//
// The runtime is looked up the way the `electron` package does it, without loading that package:
// requiring `electron` tries to download the runtime, which cannot work on machines without
// internet access.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const SAMPLE = path.join('resources', 'sample-archive');

function electronBinary() {
  const packageDir = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = path.join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

function sampleKeys() {
  const dir = path.join(root, SAMPLE, 'keys');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.pem'))
    .sort()
    .map((name) => path.join(SAMPLE, 'keys', name));
}

/** Runs a command with the terminal attached and exits with its exit code. */
function run(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  // Ctrl-C reaches the child through the terminal; let it decide how to stop.
  process.on('SIGINT', () => {});
  child.on('error', (e) => {
    console.error(`start: cannot run ${command}: ${e.message}`);
    process.exit(2);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 2 : 1)));
}

if (!existsSync(path.join(root, SAMPLE))) {
  console.error(`start: the bundled sample archive ${SAMPLE} is missing`);
  process.exit(2);
}

if (electronBinary()) {
  // `npm start` has just built everything, so preview skips its own build. Chromium refuses its
  // sandbox when run as root (containers), hence --noSandbox there only.
  const noSandbox = process.getuid?.() === 0 ? ['--noSandbox'] : [];
  run('npx', ['electron-vite', 'preview', '--skipBuild', ...noSandbox, '--', SAMPLE]);
} else {
  const keys = sampleKeys();
  console.log(
    [
      'The Electron runtime is not installed. The `electron` package fetches it from the internet on',
      'first use, and it cannot be downloaded on this machine. (Where the internet is reachable,',
      '`npx install-electron` installs it, and `npm start` then opens the app.)',
      '',
      'Opening the same app in your browser instead: the browser host serves the same renderer over',
      `the same contract on 127.0.0.1, on ${SAMPLE}` +
        (keys.length > 0 ? `, trusting the sample's public key for this session (${keys.join(', ')}).` : '.'),
      ...(keys.length === 0 ? [`(no public key in ${SAMPLE}/keys, so the digests will be reported as untrusted_key)`] : []),
      'Open the printed `ready:` address if no browser window appears; Ctrl-C stops the server.',
      '',
    ].join('\n'),
  );
  run(process.execPath, [path.join('bin', 'alog.cjs'), 'serve', SAMPLE, '--open', ...keys.flatMap((k) => ['--trust-key', k])]);
}
