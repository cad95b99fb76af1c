import { useState } from 'react';
import { EXPORT_FORMATS, MANIFEST_SUFFIX } from '../../../../shared/export-manifest';
import { FORMAT_INFO, type ExportSetup } from '../../../../shared/export-wizard';
import type { IpcResult } from '../../../../shared/ipc-contract';
import { api } from '../../api';
import { InertText } from '../../ui/InertText';
import { withExtension, type ExportDraft } from './export-draft';

/** The file format and where the file goes (a save dialog on the desktop, a path typed in the browser). */
export function FormatStep({
  draft,
  setup,
  onChange,
}: {
  draft: ExportDraft;
  setup: IpcResult<ExportSetup> | undefined;
  onChange: (change: Partial<ExportDraft>) => void;
}) {
  const [dialogError, setDialogError] = useState<string | null>(null);
  const native = setup?.ok === true && setup.value.nativeDialog;

  const choose = async () => {
    setDialogError(null);
    const result = await api.chooseExportDestination({ format: draft.format, defaultPath: draft.out.trim() || 'export' });
    if (!result.ok) return setDialogError(result.error.message);
    if (result.value.path !== null) onChange({ out: result.value.path, overwrite: false });
  };

  return (
    <div className="export-step-body export-format">
      <div role="radiogroup" aria-label="Format" className="export-formats">
        {EXPORT_FORMATS.map((f) => (
          <label key={f} className={`export-choice export-format-choice${draft.format === f ? ' is-selected' : ''}`}>
            <input type="radio" name="export-format" value={f} checked={draft.format === f} onChange={() => onChange({ format: f, out: withExtension(draft.out, f) })} />
            <span className="export-choice-text">
              <span className="export-choice-label">{FORMAT_INFO[f].label}</span>
              <span className="export-choice-detail">{FORMAT_INFO[f].description}</span>
            </span>
          </label>
        ))}
      </div>
      {draft.format === 'csv' && (
        <label className="export-check">
          <input type="checkbox" checked={draft.bom} onChange={(e) => onChange({ bom: e.target.checked })} />
          Start the file with a byte order mark (Excel needs it to read UTF-8)
        </label>
      )}
      <div className="export-destination">
        <label className="export-field-label" htmlFor="export-destination">
          Save to
        </label>
        <div className="export-destination-row">
          <input
            id="export-destination"
            className="export-path mono"
            type="text"
            spellCheck={false}
            autoComplete="off"
            value={draft.out}
            aria-describedby="export-destination-help"
            onChange={(e) => onChange({ out: e.target.value })}
          />
          {native && (
            <button type="button" className="button" onClick={() => void choose()}>
              Choose…
            </button>
          )}
        </div>
        <p id="export-destination-help" className="export-help">
          The full path of the file. Its manifest is written beside it as{' '}
          <code>
            <InertText text={`${draft.out.split(/[\\/]/).pop() || 'FILE'}${MANIFEST_SUFFIX}`} />
          </code>
          . Never inside the archive: archives are read-only.
        </p>
        {dialogError && (
          <p className="export-bad" role="alert">
            <InertText text={dialogError} />
          </p>
        )}
        <label className="export-check">
          <input type="checkbox" checked={draft.overwrite} onChange={(e) => onChange({ overwrite: e.target.checked })} />
          Replace existing files
        </label>
      </div>
    </div>
  );
}
