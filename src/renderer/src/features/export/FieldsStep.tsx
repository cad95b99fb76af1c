import { EXPORT_FIELDS, FIELD_PRESETS, type ExportField } from '../../../../shared/export-wizard';
import { presetFields, presetOf, type ExportDraft } from './export-draft';

const GROUPS = [...new Set(EXPORT_FIELDS.map((f) => f.group))];

/** The columns: a preset, or any set of the offered fields. The seal columns always come first. */
export function FieldsStep({ draft, onChange }: { draft: ExportDraft; onChange: (change: Partial<ExportDraft>) => void }) {
  const chosen = new Set(draft.preset === 'full' ? EXPORT_FIELDS.map((f) => f.path) : draft.fields);
  const setFields = (fields: string[]) => {
    // In the offered order, so the file's columns follow the record's layout.
    const ordered = EXPORT_FIELDS.map((f) => f.path).filter((p) => fields.includes(p));
    onChange({ fields: ordered, preset: presetOf(ordered) });
  };
  const toggle = (f: ExportField, on: boolean) => setFields(on ? [...chosen, f.path] : [...chosen].filter((p) => p !== f.path));

  return (
    <div className="export-step-body export-fields">
      <div role="radiogroup" aria-label="Column presets" className="export-presets">
        {FIELD_PRESETS.map((p) => (
          <label key={p.id} className={`export-choice export-preset${draft.preset === p.id ? ' is-selected' : ''}`}>
            <input type="radio" name="export-preset" value={p.id} checked={draft.preset === p.id} onChange={() => onChange({ preset: p.id, fields: presetFields(p.id) })} />
            <span className="export-choice-text">
              <span className="export-choice-label">{p.label}</span>
              <span className="export-choice-detail">{p.description}</span>
            </span>
          </label>
        ))}
      </div>
      <fieldset className="export-columns">
        <legend>
          Columns <span className="muted">({chosen.size} chosen{draft.preset === 'custom' ? ', your own choice' : ''}; every row also carries integrity.seq and integrity.record_hash)</span>
        </legend>
        <div className="export-column-actions">
          <button type="button" className="button button-small" onClick={() => setFields(EXPORT_FIELDS.map((f) => f.path))}>
            All
          </button>
          <button type="button" className="button button-small" onClick={() => setFields([])}>
            None
          </button>
        </div>
        <div className="export-column-groups">
          {GROUPS.map((group) => (
            <div key={group} className="export-column-group" role="group" aria-label={group}>
              <p className="export-column-group-name">{group}</p>
              {EXPORT_FIELDS.filter((f) => f.group === group).map((f) => (
                <label key={f.path} className="export-column" title={f.path}>
                  <input type="checkbox" checked={chosen.has(f.path)} onChange={(e) => toggle(f, e.target.checked)} />
                  <span>{f.label}</span>
                  {f.personal && (
                    <span className="export-tag" title="Personal data: redacted by the profile">
                      personal
                    </span>
                  )}
                </label>
              ))}
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}
