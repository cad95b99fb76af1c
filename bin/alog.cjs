#!/usr/bin/env node
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'out', 'cli', 'alog.cjs');
if (!fs.existsSync(entry)) {
  process.stderr.write('alog: not built yet. Run `npm run build:cli` (npm ci does it for you).\n');
  process.exit(2);
}
require(entry);
