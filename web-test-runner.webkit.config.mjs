// The browser suite in WebKit (Debian's WebKitGTK, the engine of Safari): its
// MiniBrowser driven by WebKitWebDriver through the WebDriver launcher. No
// downloaded browser. The MiniBrowser needs a display: `npm run test:webkit`
// runs the test runner under `xvfb-run`. Coverage is Chromium's (V8), so it is
// off here.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { webdriverLauncher } from '@web/test-runner-webdriver';
import base from './web-test-runner.config.mjs';

const MINIBROWSER = process.env.WEBKIT_MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const DRIVER = process.env.WEBKIT_WEBDRIVER ?? '/usr/bin/WebKitWebDriver';

/** A free loopback port for the driver. */
const port = await new Promise((resolve, reject) => {
  const server = createServer();
  server.once('error', reject);
  server.listen(0, '127.0.0.1', () => {
    const { port: free } = server.address();
    server.close(() => resolve(free));
  });
});

const driver = spawn(DRIVER, [`--port=${port}`, '--host=127.0.0.1'], { stdio: ['ignore', 'ignore', 'inherit'] });
driver.on('error', (error) => {
  console.error(`Cannot start ${DRIVER}: ${error.message} (apt-get install webkit2gtk-driver xvfb)`);
  process.exit(1);
});
process.on('exit', () => driver.kill());
// The driver listens within a second; the launcher's first session waits for it.
await new Promise((resolve) => setTimeout(resolve, 500));

export default {
  ...base,
  coverage: false,
  browsers: [
    webdriverLauncher({
      automationProtocol: 'webdriver',
      hostname: '127.0.0.1',
      port,
      path: '/',
      logLevel: 'error',
      capabilities: {
        browserName: 'MiniBrowser',
        // WebdriverIO asks for WebDriver BiDi by default, which WebKitWebDriver does not speak.
        'wdio:enforceWebDriverClassic': true,
        // Full screen on the virtual display (see test:webkit): a page as large as Chromium's headless one, so every player is on screen.
        'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation', '--full-screen'] },
      },
    }),
  ],
};
