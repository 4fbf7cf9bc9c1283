import type { LottiePlayer } from 'lottie-web';
import { RendererSet, type FrameMemory } from './frame-renderer.js';
import type { RendererAnswer, RendererCommand } from './renderer-messages.js';

/**
 * The renderers a realm holds for the page (a render worker, the sandbox):
 * the file texts it was sent, and a renderer per key built from them, whose
 * builds it answers for. DOM-free.
 */
export class RendererHost {
  readonly renderers: RendererSet;
  private readonly files = new Map<string, string>();

  constructor(
    private readonly post: (answer: RendererAnswer) => void,
    player: LottiePlayer,
    memory?: FrameMemory,
  ) {
    this.renderers = new RendererSet(player, memory);
  }

  /** Carries out a renderer command. */
  handle(command: RendererCommand): void {
    switch (command.t) {
      case 'file':
        this.files.set(command.url, command.text);
        return;
      case 'forget':
        this.files.delete(command.url);
        return;
      case 'renderer':
        return this.build(command);
      case 'release':
        this.renderers.release(command.key);
        return;
      case 'memory':
        this.renderers.memory.limitBytes = command.bytes;
        return;
    }
  }

  /** Drops every renderer and file (the page's link to this realm ended). */
  dispose(): void {
    this.renderers.clear();
    this.files.clear();
  }

  private build({ key, gen, url, width, height, assets }: Extract<RendererCommand, { t: 'renderer' }>): void {
    try {
      const renderer = this.renderers.acquire(key, width, height, () => {
        const text = this.files.get(url);
        if (text === undefined) throw new Error(`no data for ${url}`);
        return { url, data: JSON.parse(text) as object, assets };
      });
      renderer.ready.then(
        () => this.post({ t: 'ready', key, gen }),
        (error: Error) => this.post({ t: 'failed', key, gen, message: error.message }),
      );
    } catch (error) {
      this.post({ t: 'failed', key, gen, message: (error as Error).message });
    }
  }
}
