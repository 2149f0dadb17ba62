/**
 * Leave-one-out selection of a model setting: for every sequence, the setting with the best mean
 * score on the other sequences is chosen and scored on the held-out one. The mean of the held-out
 * scores (and the worst of them) says how well choosing a setting on the dev set generalises, where
 * the best setting's own mean would flatter it.
 */
export interface SettingScores {
  setting: string;
  /** score per sequence name (J&F); every setting must cover the same sequences */
  scores: ReadonlyMap<string, number>;
}

export interface LooFold {
  heldOut: string;
  chosen: string;
  /** mean score of the chosen setting on the other sequences */
  trainScore: number;
  heldOutScore: number;
}

export interface LooReport {
  folds: LooFold[];
  mean: number;
  worst: LooFold;
}

function meanOver(scores: ReadonlyMap<string, number>, names: readonly string[]): number {
  return names.reduce((s, n) => s + scores.get(n)!, 0) / names.length;
}

export function leaveOneOut(settings: readonly SettingScores[]): LooReport {
  if (settings.length === 0) throw new Error('leave-one-out needs at least one setting');
  const names = [...settings[0]!.scores.keys()].sort();
  if (names.length < 2) throw new Error('leave-one-out needs at least two sequences');
  for (const s of settings) {
    const missing = names.filter((n) => !s.scores.has(n));
    if (missing.length > 0 || s.scores.size !== names.length)
      throw new Error(
        `setting ${s.setting} does not score the same sequences (missing: ${missing.join(', ') || 'none'})`,
      );
  }
  const folds = names.map((heldOut): LooFold => {
    const train = names.filter((n) => n !== heldOut);
    let best = settings[0]!;
    let bestScore = meanOver(best.scores, train);
    for (const s of settings.slice(1)) {
      const score = meanOver(s.scores, train);
      // Ties keep the earlier setting: the order given is the order of preference.
      if (score > bestScore) {
        best = s;
        bestScore = score;
      }
    }
    return { heldOut, chosen: best.setting, trainScore: bestScore, heldOutScore: best.scores.get(heldOut)! };
  });
  const worst = folds.reduce((w, f) => (f.heldOutScore < w.heldOutScore ? f : w));
  return { folds, mean: folds.reduce((s, f) => s + f.heldOutScore, 0) / folds.length, worst };
}
