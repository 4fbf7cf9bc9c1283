// The browser suite in WebKit (see web-test-runner.webkit.config.mjs), under a
// virtual display. WebKitGTK's page process sometimes crashes while a page with
// workers is torn down (a trap in one of its worker threads, in `dmesg`; see
// docs/architecture.md): the test runner then reports the next test file as
// interrupted, though no test failed. Only then is the suite run once more; a
// failing test fails the run either way.
import { spawn } from 'node:child_process';

const CRASH = 'WebProcess CRASHED';

function run() {
  return new Promise((resolve) => {
    const child = spawn(
      'xvfb-run',
      ['-a', '-s', '-screen 0 1280x1024x24', 'wtr', '--config', 'web-test-runner.webkit.config.mjs', ...process.argv.slice(2)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let crashed = false;
    let failed = false;
    const watch = (chunk, out) => {
      const text = chunk.toString();
      out.write(text);
      if (text.includes(CRASH)) crashed = true;
      if (/\| [0-9]+ passed, [1-9][0-9]* failed/.test(text)) failed = true;
    };
    child.stdout.on('data', (chunk) => watch(chunk, process.stdout));
    child.stderr.on('data', (chunk) => watch(chunk, process.stderr));
    child.on('close', (code) => resolve({ code: code ?? 1, crashed, failed }));
  });
}

let result = await run();
if (result.code !== 0 && result.crashed && !result.failed) {
  console.log(
    "\nWebKitGTK's page process crashed while a page was torn down (docs/architecture.md); no test failed: the WebKit suite runs once more.\n",
  );
  result = await run();
}
process.exit(result.code);
