export { formatBytes } from '../../../shared/format-bytes';

const numberFormat = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return numberFormat.format(n);
}

export function formatSeconds(s: number): string {
  if (s < 1) return `${Math.max(0.01, s).toFixed(2)} s`;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

/** "about 12 s left" from the fraction done so far; nothing until there is something to go on. */
export function formatEta(doneBytes: number, totalBytes: number, elapsedMs: number): string {
  if (doneBytes <= 0 || elapsedMs < 300 || doneBytes >= totalBytes) return '';
  const left = ((totalBytes - doneBytes) / doneBytes) * (elapsedMs / 1000);
  if (left < 1) return 'less than a second left';
  return `about ${formatSeconds(left).replace(/\.\d s$/, ' s')} left`;
}

export function formatTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
