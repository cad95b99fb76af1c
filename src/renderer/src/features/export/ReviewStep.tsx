import { useEffect, useState } from 'react';
import { MANIFEST_SUFFIX } from '../../../../shared/export-manifest';
import { EXPORT_FIELDS, FIELD_PRESETS, FORMAT_INFO, type ExportPlanOutput, type ExportPreviewOutput } from '../../../../shared/export-wizard';
import type { IpcResult } from '../../../../shared/ipc-contract';
import type { ExporterKeyInfo } from '../../../../shared/export-wizard';
import { copyText } from '../../ui/clipboard';
import { api, asFailure } from '../../api';
import { plural } from '../../ui/format';
import { InertText } from '../../ui/InertText';
import { fieldsOf, profileChoice, scopeOf, type ExportContext, type ExportDraft } from './export-draft';
import { ChangedText, PathText } from './ExportText';
import { RuleCounts } from './RuleCounts';
import { PlanSummary } from './ScopeStep';
import { IntegrityStatement } from './IntegrityStatement';


function scopeText(draft: ExportDraft, context: ExportContext): string {
  if (draft.scope === 'all') return 'All records';
  if (draft.scope === 'rows') return `${plural(context.selectedIds.length, 'selected row')}`;
  return context.query === '' ? 'The current time range' : 'The current query';
}

/** Everything the export will do, and what redaction does to the first records of the selection. */
export function ReviewStep({
  draft,
  context,
  plan,
  exporterKey,
  onChange,
}: {
  draft: ExportDraft;
  context: ExportContext;
  plan: IpcResult<ExportPlanOutput> | undefined;
  exporterKey: IpcResult<ExporterKeyInfo> | undefined;
  onChange: (change: Partial<ExportDraft>) => void;
}) {
  const [copied, setCopied] = useState(false);
  const [preview, setPreview] = useState<IpcResult<ExportPreviewOutput>>();
  const fields = fieldsOf(draft);
  const profile = profileChoice(draft.profile);

  useEffect(() => {
    if (profile === undefined) return;
    let current = true;
    void api
      .previewExport({ scope: scopeOf(draft.scope, context), profile, fields })
      .catch(asFailure)
      .then((result) => current && setPreview(result));
    return () => {
      current = false;
    };
    // Built once per visit of the step: nothing the preview depends on can change here.
  }, []);

  const presetLabel = FIELD_PRESETS.find((p) => p.id === draft.preset)?.label ?? 'Your own choice';
  const profileName =
    draft.profile.kind === 'named' ? draft.profile.name : typeof profile === 'object' && typeof profile.name === 'string' ? profile.name : 'custom';
  return (
    <div className="export-step-body export-review">
      <dl className="export-summary">
        <dt>Scope</dt>
        <dd>
          {scopeText(draft, context)} · <PlanSummary plan={plan} />
        </dd>
        <dt>Columns</dt>
        <dd>
          {presetLabel} ·{' '}
          {fields === undefined
            ? draft.format === 'jsonl'
              ? 'whole records'
              : draft.format === 'pdf'
                ? 'the PDF table’s default columns'
                : `${EXPORT_FIELDS.length} columns`
            : plural(fields.length, 'column')}
        </dd>
        <dt>Profile</dt>
        <dd>
          <InertText text={profileName} />
          {draft.profile.kind === 'custom' && ' (custom)'}
        </dd>
        <dt>Format</dt>
        <dd>
          {FORMAT_INFO[draft.format].label}
          {draft.format === 'csv' && draft.bom && ' with a byte order mark'}
        </dd>
        <dt>File</dt>
        <dd className="mono export-path-text">
          <InertText text={draft.out.trim()} />
          {draft.overwrite && <span className="export-warn"> (replaces an existing file)</span>}
        </dd>
        <dt>Manifest</dt>
        <dd className="mono export-path-text">
          <InertText text={`${draft.out.trim()}${MANIFEST_SUFFIX}`} />
        </dd>
        <dt>
          <label htmlFor="export-operator">Signed by</label>
        </dt>
        <dd className="export-signer">
          <input id="export-operator" className="export-operator" type="text" value={draft.operator} maxLength={200} onChange={(e) => onChange({ operator: e.target.value })} />
          {!exporterKey ? (
            <span className="muted"> · reading your exporter key…</span>
          ) : !exporterKey.ok ? (
            <span className="export-bad">
              {' '}
              · <InertText text={exporterKey.error.message} />
            </span>
          ) : (
            <>
              {' '}
              with your exporter key <span className="mono">{exporterKey.value.keyId}</span>{' '}
              <button
                type="button"
                className="link-button"
                onClick={() => void copyText(exporterKey.value.publicKeyPem).then((ok) => setCopied(ok))}
                title={`Public key file: ${exporterKey.value.publicKeyFile}`}
              >
                {copied ? 'Public key copied' : 'Copy public key'}
              </button>
              <span className="muted export-small export-signer-help">
                Give this public key to whoever checks the export: <span className="mono">alog verify-export MANIFEST --trust-key EXPORTER.pem</span> then proves the file is the one you exported.
              </span>
            </>
          )}
        </dd>
      </dl>

      {plan?.ok && plan.value.total > 0 && (
        <section className="export-review-integrity" aria-label="Integrity of the records to export">
          <h4 className="export-section-title">What the archive's verification says of these records</h4>
          <IntegrityStatement integrity={plan.value.integrity} verification={plan.value.verification} />
        </section>
      )}

      <section className="export-preview" aria-label="Preview of the redaction">
        <h4 className="export-section-title">Before and after redaction</h4>
        {!preview ? (
          <p className="muted" role="status">
            Redacting the first records of the selection…
          </p>
        ) : !preview.ok ? (
          <p className="export-bad" role="alert">
            <InertText text={preview.error.message} />
          </p>
        ) : (
          <div className="export-preview-grid">
            <div className="export-samples">
              {preview.value.samples.map((s, i) => (
                <article key={i} className="export-sample" aria-label={`Sample record ${i + 1}`}>
                  <header className="export-sample-header">
                    <span className="mono">
                      <InertText text={s.activationId ?? '(no activation_id)'} />
                    </span>
                    {s.title !== null && (
                      <span className="export-sample-title">
                        <InertText text={s.title} />
                      </span>
                    )}
                  </header>
                  {s.changes.length === 0 ? (
                    <p className="muted export-small">Nothing in the exported columns changes in this record.</p>
                  ) : (
                    <table className="export-table export-changes">
                      <thead>
                        <tr>
                          <th scope="col">Field</th>
                          <th scope="col">Before</th>
                          <th scope="col">After</th>
                        </tr>
                      </thead>
                      <tbody>
                        {s.changes.map((c) => (
                          <tr key={c.path}>
                            <th scope="row" className="mono">
                              <PathText path={c.path} />
                            </th>
                            <td className="export-before">
                              <ChangedText before={c.before} after={c.after ?? ''} side="before" />
                            </td>
                            <td className="export-after">
                              {c.after === null ? <em className="export-removed">removed</em> : <ChangedText before={c.before} after={c.after} side="after" />}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  )}
                  {s.hiddenChanges > 0 && (
                    <p className="muted export-small">
                      {plural(s.hiddenChanges, 'more change')} in {s.hiddenChanges === 1 ? 'a member' : 'members'} the chosen columns leave out.
                    </p>
                  )}
                </article>
              ))}
            </div>
            <div>
              <RuleCounts rules={preview.value.rules} caption={`Values changed in the first ${plural(preview.value.counted, 'record')}`} />
              <p className="muted export-small export-rules-note">Counted over whole records, members the chosen columns leave out included.</p>
            </div>
          </div>
        )}
      </section>
    </div>
  );
}
