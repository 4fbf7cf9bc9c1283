#!/usr/bin/env node
// What `npm test` needs from the machine, found or set up before anything runs:
// Debian's Chromium, Firefox ESR and WebKitGTK (its WebDriver and MiniBrowser,
// under Xvfb), and redis-server for the relay tests. Never a downloaded
// browser. Missing ones are installed when this runs as root with apt-get;
// otherwise it stops at once with the exact command to run.
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

/** What each Debian package provides, by the path the tests use. */
const NEEDS = [
  { bin: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', debian: 'chromium', for: 'the browser tests in Chromium' },
  { bin: '/usr/bin/firefox-esr', debian: 'firefox-esr', for: 'the browser tests in Firefox' },
  { bin: process.env.WEBKIT_WEBDRIVER ?? '/usr/bin/WebKitWebDriver', debian: 'webkit2gtk-driver', for: 'the browser tests in WebKit' },
  {
    bin: process.env.WEBKIT_MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
    debian: 'webkit2gtk-driver',
    for: 'the browser tests in WebKit',
  },
  { bin: '/usr/bin/xvfb-run', debian: 'xvfb', for: "WebKit's display" },
  { bin: 'redis-server', debian: 'redis-server', for: 'the relay tests' },
];

function found(bin) {
  if (!bin.startsWith('/')) return spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
  try {
    accessSync(bin, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const missing = NEEDS.filter((need) => !found(need.bin));
if (missing.length > 0) {
  const packages = [...new Set(missing.map((need) => need.debian))];
  const command = `apt-get update && apt-get install -y ${packages.join(' ')}`;
  const canInstall = process.getuid?.() === 0 && found('apt-get');
  for (const need of missing) console.error(`missing: ${need.bin} (${need.for}; Debian package ${need.debian})`);
  if (!canInstall) {
    console.error(`\nInstall them first (as root):\n\n  ${command}\n`);
    process.exit(1);
  }
  console.error(`installing: ${packages.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: ['ignore', 'ignore', 'inherit'], env });
  const still = NEEDS.filter((need) => !found(need.bin));
  if (still.length > 0) {
    console.error(`still missing after installing: ${still.map((need) => need.bin).join(', ')}`);
    process.exit(1);
  }
}
