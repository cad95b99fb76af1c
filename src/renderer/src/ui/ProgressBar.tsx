/**
 * The progress bar of long operations (verification, index build, export): a track with a fill,
 * announced as a progressbar with its percentage (or `valueText`) unless it only decorates a
 * status text that says the same (`decorative`).
 */
export function ProgressBar({ percent, label, valueText, decorative = false }: { percent: number; label?: string; valueText?: string; decorative?: boolean }) {
  const pct = Math.max(0, Math.min(100, percent));
  const fill = <div className="progress-fill" style={{ transform: `scaleX(${pct / 100})` }} />;
  if (decorative) {
    return (
      <div className="progress-track" aria-hidden="true">
        {fill}
      </div>
    );
  }
  return (
    <div
      className="progress-track"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(pct)}
      aria-valuetext={valueText ?? `${Math.round(pct)}%`}
    >
      {fill}
    </div>
  );
}
