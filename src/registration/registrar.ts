import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { LottieSyncRegisterEvent, RELINK, type RegistrationKind, type RegistrationKinds, type Relinkable } from './protocol.js';

/** How a registrar answers each kind it takes (kinds it leaves out pass on to a registrar further up). */
export type Answers = {
  [K in RegistrationKind]?: (ask: RegistrationKinds[K]['ask']) => RegistrationKinds[K]['grant'] | null;
};

/** Registering elements below `root`, looking through open shadow roots, in document order. */
function* registeringBelow(root: ParentNode): Generator<Relinkable> {
  for (const element of root.querySelectorAll<Relinkable>('*')) {
    if (element[RELINK]) yield element;
    if (element.shadowRoot) yield* registeringBelow(element.shadowRoot);
  }
}

/**
 * The registrar half of registration (the stage, and a group for its players):
 * it stops the request events of the kinds it answers and answers them; when
 * its host connects, every registering element below asks again, so elements
 * upgraded before it, or registered further up, come to it.
 */
export class RegistrarController implements ReactiveController {
  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly answers: Answers,
  ) {
    host.addController(this);
    host.addEventListener(LottieSyncRegisterEvent.type, (event) => this.answer(event));
  }

  private answer(event: LottieSyncRegisterEvent): void {
    if (event.target === this.host) return; // its own request goes further up
    const grant = event.is('player') ? this.answers.player?.(event.ask) : event.is('group') ? this.answers.group?.(event.ask) : undefined;
    if (grant === undefined) return;
    event.stopPropagation();
    if (grant !== null) (event.accept as (grant: object) => void)(grant);
  }

  hostConnected(): void {
    this.relinkBelow();
  }

  /** Every registering element below asks its registrar again. */
  relinkBelow(): void {
    for (const element of registeringBelow(this.host)) element[RELINK]?.();
  }
}
