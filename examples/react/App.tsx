// React 19 sets the elements' properties and listens to their events (`onlottie-sync-error`).
import { useRef, useState } from 'react';
import 'lottie-sync/define.js';
import type { LottieSyncErrorEvent, LottieSyncStage } from 'lottie-sync';

const FILES = ['dalek.json', 'lights.json', 'ripple.json'];

export function App({ base = '/anims' }: { base?: string }) {
  const stage = useRef<LottieSyncStage>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <lottie-sync-stage ref={stage} autoplay loop controls onlottie-sync-error={(event: LottieSyncErrorEvent) => setError(event.code)}>
        {FILES.map((file) => (
          <lottie-sync-player key={file} src={`${base}/${file}`} description={file} />
        ))}
        <lottie-sync-player src={`${base}/dalek.json`} play-on="hover" loop={3} />
      </lottie-sync-stage>
      <button type="button" onClick={() => stage.current?.pause()}>
        Pause all
      </button>
      {error && <p role="alert">A player could not play: {error}</p>}
    </>
  );
}
