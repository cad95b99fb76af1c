import { useId, useState } from 'react';
import type { SigningKey, VerificationReport } from '../../../../shared/verification-report';
import { api } from '../../api';
import { InertText } from '../../ui/InertText';

/**
 * The one action that turns "authentic if the key is the publisher's" into verified: trust the
 * key the archive ships, after the user has compared its id with the one the publisher gave them
 * through another channel. A key the archive does not ship is imported under Trusted keys.
 */
export function TrustShippedKey({ keyInfo }: { keyInfo: SigningKey }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const noteId = useId();
  if (keyInfo.trusted) return null;
  if (keyInfo.shippedFile === null) {
    return (
      <p className="trust-key-note">
        Key <code className="mono">{keyInfo.keyId}</code> is not in the archive: get the publisher&apos;s public key and import it
        under <strong>Trusted keys</strong> (Integrity tab).
      </p>
    );
  }
  const trust = async () => {
    setBusy(true);
    const result = await api.trustShippedKey({ keyId: keyInfo.keyId });
    setBusy(false);
    if (!result.ok) setError(result.error.message);
    else setConfirming(false);
  };
  return (
    <div className="trust-key">
      {!confirming ? (
        <button type="button" className="button button-small button-warn" onClick={() => setConfirming(true)}>
          Trust key {keyInfo.keyId}…
        </button>
      ) : (
        <div className="trust-key-confirm" role="group" aria-label={`Trust key ${keyInfo.keyId}`}>
          <p id={noteId}>
            Trust key <code className="mono">{keyInfo.keyId}</code> (shipped as <InertText text={keyInfo.shippedFile} />) only if the
            publisher gave you this same key id through another channel: anyone who can change the archive can also put a key in it.
          </p>
          <div className="trust-key-actions">
            <button type="button" className="button button-small button-primary" onClick={() => void trust()} disabled={busy} aria-describedby={noteId}>
              {busy ? 'Trusting…' : 'Trust this key'}
            </button>
            <button type="button" className="button button-small" onClick={() => setConfirming(false)} disabled={busy}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {error !== null && (
        <p className="error-text" role="alert">
          <InertText text={error} />
        </p>
      )}
    </div>
  );
}

/** The action for every key of the report that is not trusted. */
export function TrustUntrustedKeys({ report }: { report: VerificationReport }) {
  return (
    <>
      {report.keys
        .filter((k) => !k.trusted)
        .map((k) => (
          <TrustShippedKey key={k.keyId} keyInfo={k} />
        ))}
    </>
  );
}
