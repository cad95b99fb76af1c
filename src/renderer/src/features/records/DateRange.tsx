import { windowBounds, type TimeWindow } from './time-window';

const HINT = 'YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS], UTC';

export function DateRange({ value, onChange, onRun }: { value: TimeWindow; onChange: (w: TimeWindow) => void; onRun: () => void }) {
  const bounds = windowBounds(value);
  const invalid = 'invalid' in bounds ? bounds.invalid : null;
  const box = (name: 'from' | 'through', label: string, placeholder: string) => (
    <label className="date-field">
      <span className="date-label">{label}</span>
      <input
        className="date-input mono"
        type="text"
        inputMode="numeric"
        spellCheck={false}
        autoComplete="off"
        placeholder={placeholder}
        title={HINT}
        aria-invalid={invalid === name}
        value={value[name]}
        onChange={(e) => onChange({ ...value, [name]: e.target.value })}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            onRun();
          }
        }}
      />
    </label>
  );
  return (
    <div className="date-range" role="group" aria-label="Time range (UTC)">
      {box('from', 'From', 'first record')}
      {box('through', 'Through', 'last record')}
    </div>
  );
}
