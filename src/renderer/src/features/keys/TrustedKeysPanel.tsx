import { useId, useRef, useState, type ChangeEvent } from 'react';
import type { IpcResult } from '../../../../shared/ipc-contract';
import type { TrustedKey } from '../../../../shared/trusted-key';
import { MAX_PEM_LENGTH } from '../../../../shared/trusted-key';
import { api } from '../../api';
import { formatTime } from '../../ui/format';
import { InertText } from '../../ui/InertText';

type Message = { tone: 'good' | 'bad'; text: string } | null;

/** The keys whose signatures make a digest valid: import by paste or file, list, remove. */
export function TrustedKeysPanel({ keys }: { keys: IpcResult<{ keys: TrustedKey[] }> | undefined }) {
  const [pem, setPem] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const pemId = useId();
  const helpId = useId();

  const importKey = async (text: string, source?: string) => {
    setBusy(true);
    const result = await api.importTrustedKey({ pem: text, source });
    setBusy(false);
    if (!result.ok) {
      setMessage({ tone: 'bad', text: result.error.message });
      return;
    }
    setPem('');
    const { key, alreadyTrusted } = result.value;
    setMessage({ tone: 'good', text: alreadyTrusted ? `Key ${key.keyId} was already trusted.` : `Key ${key.keyId} is now trusted.` });
  };

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    if (file.size > MAX_PEM_LENGTH) {
      setMessage({ tone: 'bad', text: `${file.name} is too large to be a PEM public key.` });
      return;
    }
    await importKey(await file.text(), file.name);
  };

  const remove = async (key: TrustedKey) => {
    const result = await api.removeTrustedKey({ keyId: key.keyId });
    setMessage(result.ok ? { tone: 'good', text: `Key ${key.keyId} is no longer trusted.` } : { tone: 'bad', text: result.error.message });
  };

  return (
    <section className="card keys-panel" aria-labelledby="keys-heading">
      <div className="card-header">
        <h2 id="keys-heading">Trusted keys</h2>
      </div>
      <p className="panel-help" id={helpId}>
        A digest is valid only when signed by a key you trust. Keys shipped in the archive&apos;s <code>keys/</code> folder
        are never trusted on their own.
      </p>
      <KeyList keys={keys} onRemove={remove} />
      <form
        className="key-import"
        onSubmit={(event) => {
          event.preventDefault();
          if (pem.trim()) void importKey(pem);
        }}
      >
        <label htmlFor={pemId} className="field-label">
          Public key (PEM)
        </label>
        <textarea
          id={pemId}
          className="pem-input mono"
          value={pem}
          onChange={(event) => setPem(event.target.value)}
          placeholder={'-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----'}
          spellCheck={false}
          rows={4}
          maxLength={MAX_PEM_LENGTH}
          aria-describedby={helpId}
        />
        <div className="key-import-actions">
          <button type="submit" className="button button-primary" disabled={busy || pem.trim() === ''}>
            Import key
          </button>
          <button type="button" className="button" disabled={busy} onClick={() => fileInput.current?.click()}>
            Choose file…
          </button>
          <input
            ref={fileInput}
            type="file"
            accept=".pem,.pub,.txt,application/x-pem-file"
            className="visually-hidden"
            tabIndex={-1}
            aria-label="Key file"
            onChange={(event) => void onFile(event)}
          />
        </div>
        <p className={`form-message ${message ? `is-${message.tone}` : ''}`} role={message?.tone === 'bad' ? 'alert' : 'status'}>
          {message && <InertText text={message.text} />}
        </p>
      </form>
    </section>
  );
}

function KeyList({ keys, onRemove }: { keys: IpcResult<{ keys: TrustedKey[] }> | undefined; onRemove: (key: TrustedKey) => void }) {
  if (keys === undefined) return <p className="muted">Loading…</p>;
  if (!keys.ok) {
    return (
      <p className="error-text" role="alert">
        <InertText text={keys.error.message} />
      </p>
    );
  }
  if (keys.value.keys.length === 0) return <p className="empty-note compact">No trusted keys yet: every digest will report untrusted_key.</p>;
  return (
    <ul className="key-list" aria-label="Trusted keys">
      {keys.value.keys.map((k) => (
        <li key={k.keyId} className="key-item">
          <div className="key-text">
            <span className="mono key-id">{k.keyId}</span>
            <span className="key-source" title={k.source}>
              {k.origin === 'command_line' ? 'this session only (--trust-key)' : k.addedAt ? `added ${formatTime(k.addedAt)}` : 'imported'}
              {' · '}
              <InertText text={k.source} />
            </span>
          </div>
          <button type="button" className="button button-small" aria-label={`Remove key ${k.keyId}`} onClick={() => onRemove(k)}>
            Remove
          </button>
        </li>
      ))}
    </ul>
  );
}
