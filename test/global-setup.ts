import { execFileSync } from 'node:child_process';

// Worker threads run the bundled worker, so tests exercise the same code the CLI and app ship.
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-cli.mjs'], { stdio: 'inherit' });
}
