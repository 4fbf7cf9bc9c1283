import type { ReactiveController, ReactiveControllerHost } from 'lit';

const QUERY = '(prefers-reduced-motion: reduce)';

/**
 * Whether the user asks for reduced motion (`prefers-reduced-motion: reduce`),
 * watched while the host is connected.
 */
export class ReducedMotionController implements ReactiveController {
  /**
   * Where the media query comes from: `matchMedia` by default. A page (or a
   * test in a browser without media emulation) may replace it before the
   * elements are created.
   */
  static query: (query: string) => MediaQueryList = (query) => matchMedia(query);

  private readonly list: MediaQueryList = ReducedMotionController.query(QUERY);
  private readonly listener = () => this.changed();

  constructor(
    host: ReactiveControllerHost,
    private readonly changed: () => void,
  ) {
    host.addController(this);
  }

  get reduced(): boolean {
    return this.list.matches;
  }

  hostConnected(): void {
    this.list.addEventListener('change', this.listener);
  }

  hostDisconnected(): void {
    this.list.removeEventListener('change', this.listener);
  }
}
