import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import type { ProfileEntry, ProfileIssue, ResolvedProfile } from '../../../../shared/export-wizard';
import type { IpcResult } from '../../../../shared/ipc-contract';
import { DETECTOR_DESCRIPTIONS, DetectorName } from '../../../../shared/redaction-profile';
import { api } from '../../api';
import { InertText } from '../../ui/InertText';
import type { ExportDraft } from './export-draft';

export type ProfileCheck =
  | { state: 'idle' }
  | { state: 'checking' }
  | { state: 'valid'; profile: ResolvedProfile }
  | { state: 'invalid'; issues: ProfileIssue[] };

const MAX_PROFILE_BYTES = 1024 * 1024;
const CHECK_DELAY_MS = 250;

export const CUSTOM_TEMPLATE = `{
  "name": "my-profile",
  "description": "The external-auditor profile without message bodies",
  "extends": "external-auditor",
  "fields": [
    { "path": "content_input.body", "action": "remove" }
  ]
}
`;

const ACTIONS: Record<string, string> = {
  keep: 'kept',
  remove: 'removed',
  mask: 'masked',
  pseudonymize: 'pseudonymized',
  off: 'left alone',
};

/** The first sentence of a description, for the list; the whole of it shows beside. */
function firstSentence(text: string): string {
  const m = /^.*?[.!?](?=\s|$)/s.exec(text);
  return m ? m[0] : text;
}

function actionText(action: string, label: string | null | undefined): string {
  const verb = ACTIONS[action] ?? action;
  if (action === 'mask' && label) return `${verb} as [${label}]`;
  if (action === 'pseudonymize' && label) return `${verb} as ${label}_n`;
  return verb;
}

/** What a profile does, spelled out: field rules, text detectors, known values, own patterns. */
export function ProfileDetails({ profile }: { profile: ResolvedProfile }) {
  const fields = profile.fields.filter((f) => f.action !== 'keep');
  const detectors = Object.entries(profile.text.detectors).filter(([, d]) => d.action !== 'off');
  return (
    <div className="export-profile-details">
      {profile.description && (
        <p className="export-profile-description">
          <InertText text={profile.description} />
        </p>
      )}
      <table className="export-table">
        <caption>Structured fields</caption>
        <tbody>
          {fields.length === 0 && (
            <tr>
              <td colSpan={2} className="muted">
                No field rules.
              </td>
            </tr>
          )}
          {fields.map((f) => (
            <tr key={f.path}>
              <th scope="row" className="mono">
                <InertText text={f.path} />
              </th>
              <td>{actionText(f.action, f.label)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="export-table">
        <caption>Found in text {profile.text.scan === 'all' ? '(every string of the record)' : `(under ${profile.text.scan.length} paths)`}</caption>
        <tbody>
          {detectors.length === 0 && (
            <tr>
              <td colSpan={2} className="muted">
                No detector is on: text is left as it is.
              </td>
            </tr>
          )}
          {detectors.map(([name, d]) => {
            const known = DetectorName.safeParse(name);
            return (
              <tr key={name}>
                <th scope="row" title={known.success ? DETECTOR_DESCRIPTIONS[known.data] : undefined}>
                  {known.success ? DETECTOR_DESCRIPTIONS[known.data].split(/[(:]/)[0]!.trim() : name}
                </th>
                <td>{actionText(d.action, name === 'known_value' ? null : d.label)}</td>
              </tr>
            );
          })}
          {profile.patterns.map((p) => (
            <tr key={p.id}>
              <th scope="row">
                pattern <code>{p.id}</code>
              </th>
              <td>{actionText(p.action, p.label)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {profile.known_values.length > 0 && (
        <p className="export-profile-note">
          Values of {profile.known_values.map((k) => k.path).join(', ')} are collected over the whole selection first and replaced wherever they recur in text.
        </p>
      )}
    </div>
  );
}

export function ProfileStep({
  draft,
  profiles,
  onChange,
  check,
  onCheck,
  onSaved,
}: {
  draft: ExportDraft;
  profiles: IpcResult<{ profiles: ProfileEntry[]; problems: { file: string; message: string }[] }> | undefined;
  onChange: (change: Partial<ExportDraft>) => void;
  check: ProfileCheck;
  onCheck: (check: ProfileCheck) => void;
  onSaved: () => Promise<void>;
}) {
  const [customText, setCustomText] = useState(draft.profile.kind === 'custom' ? draft.profile.text : CUSTOM_TEMPLATE);
  const [fileMessage, setFileMessage] = useState<{ good: boolean; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const custom = draft.profile.kind === 'custom';
  const customTextValue = draft.profile.kind === 'custom' ? draft.profile.text : null;

  // The custom profile is checked by the backend against the profile schema as the user types.
  useEffect(() => {
    if (customTextValue === null) return;
    onCheck({ state: 'checking' });
    let current = true;
    const timer = window.setTimeout(() => {
      void api
        .validateRedactionProfile({ text: customTextValue.trim() === '' ? ' ' : customTextValue })
        .then((result) => {
          if (!current) return;
          if (!result.ok) onCheck({ state: 'invalid', issues: [{ path: '', message: result.error.message }] });
          else onCheck(result.value.valid ? { state: 'valid', profile: result.value.profile } : { state: 'invalid', issues: result.value.issues });
        })
        .catch((error: unknown) => {
          // The transport failed (the host went away): say so rather than "Checking…" forever.
          if (current) onCheck({ state: 'invalid', issues: [{ path: '', message: `cannot check the profile: ${error instanceof Error ? error.message : String(error)}` }] });
        });
    }, CHECK_DELAY_MS);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [customTextValue, onCheck]);

  const setCustom = (text: string) => {
    setCustomText(text);
    onChange({ profile: { kind: 'custom', text } });
  };

  const loadFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    if (file.size > MAX_PROFILE_BYTES) return setFileMessage({ good: false, text: `${file.name} is too large for a profile (over 1 MB).` });
    setCustom(await file.text());
    setFileMessage({ good: true, text: `Loaded ${file.name}.` });
  };

  const save = async () => {
    if (customTextValue === null) return;
    setSaving(true);
    const result = await api.saveRedactionProfile({ text: customTextValue });
    setSaving(false);
    if (!result.ok) return setFileMessage({ good: false, text: result.error.message });
    await onSaved();
    setFileMessage({ good: true, text: `Saved as "${result.value.name}"; it is now in the list.` });
    onChange({ profile: { kind: 'named', name: result.value.name } });
  };

  const list = profiles?.ok ? profiles.value.profiles : [];
  const selected = draft.profile.kind === 'named' ? list.find((p) => p.name === (draft.profile as { name: string }).name) : undefined;

  return (
    <div className="export-step-body export-profile">
      <div role="radiogroup" aria-label="Redaction profile" className="export-choices export-profile-list">
        {profiles && !profiles.ok && (
          <p className="export-bad">
            <InertText text={profiles.error.message} />
          </p>
        )}
        {list.map((p) => (
          <label key={`${p.source}:${p.name}`} className={`export-choice${!custom && selected?.name === p.name ? ' is-selected' : ''}`}>
            <input type="radio" name="export-profile" value={p.name} checked={!custom && selected?.name === p.name} onChange={() => onChange({ profile: { kind: 'named', name: p.name } })} />
            <span className="export-choice-text">
              <span className="export-choice-label">
                <InertText text={p.name} />
                {p.name === 'external-auditor' && <span className="export-tag">default</span>}
                {p.source === 'saved' && <span className="export-tag">saved</span>}
              </span>
              {p.profile.description && (
                <span className="export-choice-detail">
                  <InertText text={firstSentence(p.profile.description)} />
                </span>
              )}
            </span>
          </label>
        ))}
        <label className={`export-choice${custom ? ' is-selected' : ''}`}>
          <input type="radio" name="export-profile" value="(custom)" checked={custom} onChange={() => setCustom(customText)} />
          <span className="export-choice-text">
            <span className="export-choice-label">Custom profile (JSON)…</span>
            <span className="export-choice-detail">Paste or load a profile file; it is checked as you type.</span>
          </span>
        </label>
        {!custom && fileMessage?.good && (
          <p className="export-good export-small" role="status">
            <InertText text={fileMessage.text} />
          </p>
        )}
        {profiles?.ok &&
          profiles.value.problems.map((p) => (
            <p key={p.file} className="export-bad export-small">
              Saved profile <InertText text={p.file} /> is unusable: <InertText text={p.message} />
            </p>
          ))}
      </div>
      <div className="export-profile-side">
        {custom ? (
          <div className="export-custom">
            <label className="export-field-label" htmlFor="export-profile-json">
              Profile JSON
            </label>
            <textarea
              id="export-profile-json"
              className="export-json mono"
              spellCheck={false}
              value={customTextValue ?? ''}
              aria-invalid={check.state === 'invalid'}
              aria-describedby="export-profile-issues"
              onChange={(e) => setCustom(e.target.value)}
            />
            <div id="export-profile-issues" className="export-issues" aria-live="polite">
              {check.state === 'checking' && <p className="muted">Checking…</p>}
              {check.state === 'valid' && <p className="export-good">Valid profile “{check.profile.name}”.</p>}
              {check.state === 'invalid' && (
                <ul className="export-issue-list" aria-label="Problems in the profile">
                  {check.issues.map((issue, i) => (
                    <li key={i}>
                      <code>{issue.path === '' ? '(profile)' : issue.path}</code> <InertText text={issue.message} />
                    </li>
                  ))}
                </ul>
              )}
            </div>
            <div className="export-custom-actions">
              <input ref={fileInput} type="file" accept=".json,application/json" className="visually-hidden" aria-label="Profile file" tabIndex={-1} onChange={(e) => void loadFile(e)} />
              <button type="button" className="button button-small" onClick={() => fileInput.current?.click()}>
                Load file…
              </button>
              <button type="button" className="button button-small" disabled={check.state !== 'valid' || saving} onClick={() => void save()}>
                {saving ? 'Saving…' : 'Save profile'}
              </button>
              {fileMessage && (
                <span className={fileMessage.good ? 'export-good export-small' : 'export-bad export-small'} role="status">
                  <InertText text={fileMessage.text} />
                </span>
              )}
            </div>
            {check.state === 'valid' && <ProfileDetails profile={check.profile} />}
          </div>
        ) : selected ? (
          <ProfileDetails profile={selected.profile} />
        ) : (
          <p className="muted">Loading the profiles…</p>
        )}
      </div>
    </div>
  );
}
