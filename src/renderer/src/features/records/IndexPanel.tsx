import { formatBytes, formatCount, formatSeconds } from '../../ui/format';
import { InertText } from '../../ui/InertText';
import type { RecordIndex } from './useRecordIndex';
import { ProgressBar } from '../../ui/ProgressBar';

/** Opening the index: progress with the time left and Cancel, or why it stopped and a retry. */
export function IndexPanel({ index }: { index: RecordIndex }) {
  const { state, progress, error } = index;
  const status = state?.status;
  const stopped = status === 'cancelled' || status === 'failed';
  const fraction = progress && progress.totalBytes > 0 ? Math.min(1, progress.doneBytes / progress.totalBytes) : 0;
  return (
    <section className="index-panel card" aria-labelledby="index-panel-title">
      <h2 id="index-panel-title">{stopped ? 'The archive is not indexed' : 'Indexing and verifying the archive'}</h2>
      <p className="muted">
        Searching and sorting use an index of every record, kept in a cache outside the archive; the same pass verifies every day
        file it reads. Only day files that are new or changed since the last time are read.
      </p>
      {error !== null && (
        <p className="error-text" role="alert">
          <InertText text={error} />
        </p>
      )}
      <div className="index-state">
        {!stopped && (
          <div className="index-progress">
            <ProgressBar percent={100 * fraction} decorative />
            <p className="progress-text" role="status">
              {progress
                ? `${formatCount(progress.filesDone)} of ${formatCount(progress.filesTotal)} day files · ${formatBytes(progress.doneBytes)} of ${formatBytes(progress.totalBytes)}${
                    progress.etaMs !== null ? ` · about ${formatSeconds(progress.etaMs / 1000)} left` : ''
                  }`
                : 'Opening the index…'}
            </p>
          </div>
        )}
        {stopped && state?.error && (
          <p className={status === 'failed' ? 'error-text' : 'muted'} role="status">
            <InertText text={status === 'cancelled' ? 'Indexing was cancelled.' : state.error} />
          </p>
        )}
      </div>
      <div className="index-actions">
        {stopped ? (
          <button type="button" className="button button-primary" onClick={index.open}>
            Index again
          </button>
        ) : (
          <button type="button" className="button" onClick={index.cancel} disabled={status !== 'indexing'}>
            Cancel
          </button>
        )}
      </div>
    </section>
  );
}
