import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface AccessibleImage {
  /** Hidden from assistive technology (decorative). */
  readonly decorative: boolean;
  /** The name announced (the author's description, else the file's own name). */
  readonly name: string;
  /** It is operated by click (and Enter and Space): a toggle button rather than an image. */
  readonly pressable: boolean;
  /** With `pressable`: whether it plays now. */
  readonly pressed: boolean;
  /** It holds controls of its own: a named group (its picture is the image inside). */
  readonly grouped: boolean;
}

/**
 * How a player is announced: an image with a name, a toggle button when it
 * plays on click, or nothing when decorative. Roles and names the author set
 * on the element are left alone.
 */
export class AccessibleNameController implements ReactiveController {
  /** Attributes the author set: never overwritten. */
  private readonly authored = new Set<string>();
  /** Attributes this controller set. */
  private readonly mine = new Set<string>();

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly read: () => AccessibleImage,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    for (const name of ['role', 'aria-label', 'aria-hidden', 'tabindex', 'aria-pressed']) {
      if (this.host.hasAttribute(name) && !this.mine.has(name)) this.authored.add(name);
    }
    this.hostUpdated();
  }

  hostUpdated(): void {
    const { decorative, name, pressable, pressed, grouped } = this.read();
    this.set('aria-hidden', decorative && !grouped ? 'true' : null);
    this.set('role', grouped ? 'group' : decorative ? 'presentation' : pressable ? 'button' : 'img');
    this.set('aria-label', decorative && !grouped ? null : name);
    this.set('tabindex', pressable && !decorative && !grouped ? '0' : null);
    this.set('aria-pressed', pressable && !decorative && !grouped ? String(pressed) : null);
  }

  private set(name: string, value: string | null): void {
    if (this.authored.has(name)) return;
    if (value === null) {
      if (this.mine.delete(name)) this.host.removeAttribute(name);
      return;
    }
    this.mine.add(name);
    if (this.host.getAttribute(name) !== value) this.host.setAttribute(name, value);
  }
}
