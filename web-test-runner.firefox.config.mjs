// The browser suite in Firefox (Debian's firefox-esr), driven over WebDriver BiDi by
// puppeteer-core through the Chromium launcher's custom-puppeteer option: no downloaded
// browser, no extra packages. Coverage is Chromium's (V8), so it is off here.
import { chromeLauncher, puppeteerCore } from '@web/test-runner-chrome';
import base from './web-test-runner.config.mjs';

export default {
  ...base,
  coverage: false,
  browsers: [
    chromeLauncher({
      puppeteer: puppeteerCore,
      launchOptions: { browser: 'firefox', executablePath: '/usr/bin/firefox-esr', headless: true },
    }),
  ],
};
