import { useEffect, useState } from 'react';
import type { Api } from '../api';
import type { SuggestionsView } from '../types';
import { cssColour } from '../masks';

const SIGNAL_LABELS: Record<string, string> = {
  presenceFlip: 'appears / vanishes',
  lowIou: 'low predicted IoU',
  areaJump: 'area jump',
  centroidJump: 'position jump',
  promptDisagreement: 'near a large correction',
  promptDrift: 'tracking disagrees with the prompt',
};

/** Frames the engine's signals say are likely wrong; clicking one opens that frame with its object selected. */
export function SuggestionsPanel({
  api,
  jobId,
  epoch,
  onOpen,
}: {
  api: Api;
  jobId: string;
  epoch: number;
  onOpen: (frame: number, objectId: number) => void;
}) {
  const [view, setView] = useState<SuggestionsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api
      .suggestions(jobId, 10)
      .then((v) => live && (setView(v), setError(null)))
      .catch((err: unknown) => live && setError(String((err as Error).message ?? err)));
    return () => void (live = false);
  }, [api, jobId, epoch]);
  return (
    <section data-testid="suggestions">
      <h3>Suggested frames {view && <small>round {view.round}</small>}</h3>
      {error && <p className="error">{error}</p>}
      {view && view.items.length === 0 && <p className="hint">Nothing looks off.</p>}
      <ol className="suggestions">
        {view?.items.map((s) => (
          <li key={`${s.objectId}:${s.frame}`}>
            <button
              data-testid="suggestion"
              data-frame={s.frame}
              data-object={s.objectId}
              className="link-button"
              onClick={() => onOpen(s.frame, s.objectId)}
              title={s.reasons.map((r) => `${r.signal} ${r.value} (+${r.contribution})`).join(', ')}
            >
              <span className="swatch" style={{ background: cssColour(s.objectId) }} />
              frame {s.frame}, object {s.objectId}{' '}
              <small>
                {s.score.toFixed(2)}: {s.reasons.map((r) => SIGNAL_LABELS[r.signal] ?? r.signal).join(', ')}
              </small>
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
