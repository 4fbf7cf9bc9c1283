// The relay's command line: bad numbers and unknown flags are refused with a
// clear message and exit code 2; --help describes every flag.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';

const CLI = new URL('../../relay/dist/relay/cli.js', import.meta.url).pathname;
const run = (args, env = {}) =>
  promisify(execFile)(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, ...env }, timeout: 20_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );

test('--help describes the flags and exits 0', async () => {
  for (const flag of ['--help', '-h']) {
    const { code, stdout } = await run([flag]);
    assert.equal(code, 0);
    for (const word of [
      '--port',
      '--host',
      '--token',
      '--max-room-size',
      '--max-rate',
      '--max-ping-rate',
      '--max-send-buffer',
      '--redis',
      '/health',
    ])
      assert.ok(stdout.includes(word), `${flag} mentions ${word}`);
  }
});

test('bad numbers, bad URLs and unknown flags exit 2 with a message naming the flag', async () => {
  for (const [args, says, env] of [
    [['--port', 'eighty'], '--port'],
    [['--port', '70000'], '--port'],
    [['--port', '-1'], '--port'],
    [[], '--port', { PORT: '0x50' }],
    [['--max-room-size', '0'], '--max-room-size'],
    [['--max-room-size', '2.5'], '--max-room-size'],
    [['--max-rate', 'NaN'], '--max-rate'],
    [['--max-rate', '0'], '--max-rate'],
    [['--max-rate', ''], '--max-rate'],
    [['--max-ping-rate', 'Infinity'], '--max-ping-rate'],
    [['--max-send-buffer', '10'], '--max-send-buffer'],
    [['--redis', 'localhost:6379'], '--redis'],
    [['--frobnicate'], 'frobnicate'],
    [['extra'], 'extra'],
    [['--port'], '--port'],
  ]) {
    const { code, stderr } = await run(args, env);
    assert.equal(code, 2, `${args.join(' ')} exits 2`);
    assert.match(stderr, /^lottie-sync-relay: /, `${args.join(' ')}: ${stderr}`);
    assert.ok(stderr.includes(says), `${args.join(' ')}: ${stderr}`);
  }
});
