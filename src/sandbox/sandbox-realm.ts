import { SANDBOX_BOOT } from './sandbox-protocol.js';

/**
 * The sandbox frame's own policy (the page's policy applies too: a `srcdoc`
 * frame inherits it). No request of any kind; scripts only inline, from blobs
 * (the worker) and by eval (lottie-web evaluates expressions).
 */
const SANDBOX_CSP =
  "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval' blob:; worker-src blob:; connect-src data:; img-src data: blob:; style-src 'unsafe-inline'";

/**
 * The frame's one script: the first message from the parent carries the worker's
 * code; every message carries a port for one stage, handed on to the worker.
 * A page whose CSP forbids inline scripts must allow this one by its hash
 * (`npm run sandbox-hash` prints it; the README has it).
 */
export const SANDBOX_BOOTSTRAP = `addEventListener("message",function(e){if(e.source!==parent||!e.data||e.data.t!=="${SANDBOX_BOOT}")return;var w=self.w;if(!w&&typeof e.data.code==="string"){w=self.w=new Worker(URL.createObjectURL(new Blob([e.data.code],{type:"text/javascript"})),{name:"lottie-sync-sandbox"})}if(w&&e.ports[0])w.postMessage({t:"port"},[e.ports[0]])})`;

/** Where the sandbox worker's code is: the classic script built beside the CDN file. */
let codeUrl = new URL('../../dist/cdn/lottie-sync-sandbox.js', import.meta.url).href;

/** The page (or a CDN build) says where the sandbox worker's script is. */
export function setSandboxUrl(url: string): void {
  codeUrl = new URL(url, document.baseURI).href;
}

/**
 * The page's one sandbox realm: a hidden, sandboxed (`allow-scripts` only, so
 * its origin is opaque) frame whose worker draws the files that carry
 * expressions. Made when the first such file needs drawing.
 */
class SandboxRealm {
  private frame: Promise<Window> | null = null;
  private code: Promise<string> | null = null;
  private sentCode = false;

  /** A new port to the sandbox worker, for one stage. Messages posted on it wait until the worker listens. */
  connect(): MessagePort {
    const channel = new MessageChannel();
    void this.open()
      .then(async (frame) => {
        const code = this.sentCode ? undefined : await this.code!;
        this.sentCode = true;
        frame.postMessage({ t: SANDBOX_BOOT, code }, '*', [channel.port2]);
      })
      .catch(() => channel.port1.dispatchEvent(new MessageEvent('messageerror')));
    return channel.port1;
  }

  private open(): Promise<Window> {
    this.code ??= fetch(codeUrl).then((response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status} for ${codeUrl}`);
      return response.text();
    });
    this.frame ??= new Promise<Window>((resolve, reject) => {
      const frame = document.createElement('iframe');
      frame.setAttribute('sandbox', 'allow-scripts');
      frame.setAttribute('aria-hidden', 'true');
      frame.tabIndex = -1;
      frame.title = 'lottie-sync sandbox';
      frame.style.cssText = 'position:fixed;width:0;height:0;border:0;left:-10px;top:-10px;visibility:hidden';
      frame.srcdoc = `<!doctype html><meta http-equiv="Content-Security-Policy" content="${SANDBOX_CSP}"><script>${SANDBOX_BOOTSTRAP}</script>`;
      frame.addEventListener('load', () => (frame.contentWindow ? resolve(frame.contentWindow) : reject(new Error('no frame window'))), {
        once: true,
      });
      document.documentElement.append(frame);
    });
    return this.code.then(() => this.frame!);
  }
}

let realm: SandboxRealm | null = null;

/** A port to the page's sandbox worker (the frame is made on first use). */
export function connectSandbox(): MessagePort {
  realm ??= new SandboxRealm();
  return realm.connect();
}
