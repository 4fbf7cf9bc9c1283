import { expect, fixture, html } from '@open-wc/testing';
import type { LottieSyncStage } from '../../src/stage/lottie-sync-stage.js';
import { BAR, waitUntil, withWarnings } from '../helpers.js';

// This file runs in its own page: the player is defined first and upgrades
// with no stage, then the stage is defined and adopts it.
describe('definition order', () => {
  it('works when the player is defined before the stage', async () => {
    await import('../../src/player/define.js');
    const host = await fixture<HTMLElement>(
      html`<div>
        <lottie-sync-stage><lottie-sync-player src=${BAR} style="width:40px;height:40px"></lottie-sync-player></lottie-sync-stage>
      </div>`,
    );
    const player = host.querySelector('lottie-sync-player')!;
    expect(player.stage).to.equal(null);
    await import('../../src/stage/define.js');
    const stage = host.querySelector<LottieSyncStage>('lottie-sync-stage')!;
    expect(player.stage).to.equal(stage);
    stage.seek(12 / 30);
    await waitUntil(() => player.currentFrame === 12, 'driven by the stage');
  });

  it('warns, and keeps the first, when a second copy defines the same tags', async () => {
    const { LottieSyncStage: Stage } = await import('../../src/stage/lottie-sync-stage.js');
    const { defineElement } = await import('../../src/define-element.js');
    const warnings = await withWarnings((captured) => {
      class OtherCopy extends Stage {
        static override readonly version = '9.9.9';
      }
      defineElement('lottie-sync-stage', OtherCopy);
      defineElement('lottie-sync-stage', Stage);
      return captured;
    });
    expect(customElements.get('lottie-sync-stage')).to.equal(Stage);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.contain('9.9.9');
  });
});
