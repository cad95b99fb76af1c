import { useId, type ReactNode } from 'react';
import type { SealExplanation } from '../../../../shared/record-detail';
import { formatCount } from '../../ui/format';
import { InertText } from '../../ui/InertText';
import { Notes } from './Notes';

type Verdict = 'good' | 'bad' | 'warn' | 'neutral';

function Check({ verdict, children }: { verdict: Verdict; children: ReactNode }) {
  const symbol = verdict === 'good' ? '✓' : verdict === 'bad' ? '✗' : verdict === 'warn' ? '!' : '–';
  const word = verdict === 'good' ? 'holds' : verdict === 'bad' ? 'fails' : verdict === 'warn' ? 'warning' : 'not checked';
  return (
    <p className={`seal-check seal-${verdict}`}>
      <span className="seal-symbol" aria-hidden="true">
        {symbol}
      </span>
      <span className="visually-hidden">{word}: </span>
      {children}
    </p>
  );
}

/** A hash in full, in monospace, broken into groups of eight so it can be read and compared. */
export function Hash({ value, label }: { value: string; label?: string }) {
  const groups = value.match(/.{1,8}/g) ?? [value];
  return (
    <code className="hash" aria-label={label ? `${label} ${value}` : value} title={value}>
      {groups.map((g, i) => (
        <span key={i} className="hash-group">
          {g}
        </span>
      ))}
    </code>
  );
}

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="seal-row">
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

const SOURCE: Record<string, string> = {
  previous_record: 'the record before it',
  previous_file: 'the last record of the previous day',
  previous_digest: "the previous day's signed chain head",
  genesis: 'the chain start (32 zero bytes)',
};

/**
 * How the record's seal holds, step by step: its hash recomputed from its content, its link in
 * the hash chain, its Merkle inclusion proof against the day's signed root, and that digest's
 * signature and key. `seal` is null while it is being computed; `error` says why it could not be.
 */
export function SealSection({ seal, file, error = null }: { seal: SealExplanation | null; file: string; error?: string | null }) {
  const headingId = useId();
  return (
    <section className="record-section seal-section" aria-labelledby={headingId}>
      <h3 id={headingId}>Seal</h3>
      {error !== null ? (
        <p className="error-text">
          <InertText text={error} />
        </p>
      ) : seal === null ? (
        <p className="loading-inline">Checking the seal against the day&apos;s signed digest…</p>
      ) : (
        <SealBody seal={seal} file={file} />
      )}
    </section>
  );
}

function SealBody({ seal, file }: { seal: SealExplanation; file: string }) {
  const { recordHash, chain, merkle, digest } = seal;
  return (
    <>
      <Notes notes={seal.notes} className="seal-notes" />
      <dl className="seal-list">
        <Row term="Record hash">
          {recordHash.claimed !== null && <Hash value={recordHash.claimed} label="record_hash" />}
          {recordHash.matches === true && <Check verdict="good">The content hashes to it (SHA-256 of its RFC 8785 form, without the seal).</Check>}
          {recordHash.matches === false && (
            <>
              <Check verdict="bad">The content hashes to something else: the record was changed after it was sealed.</Check>
              {recordHash.computed && (
                <p className="seal-sub">
                  Recomputed from the content: <Hash value={recordHash.computed} label="recomputed hash" />
                </p>
              )}
            </>
          )}
          {recordHash.claimed === null && recordHash.computed !== null && (
            <>
              <Check verdict="neutral">No seal claims a hash. The content hashes to:</Check>
              <Hash value={recordHash.computed} label="recomputed hash" />
            </>
          )}
        </Row>
        {seal.seq !== null && (
          <Row term="Sequence">
            <span className="num">seq {formatCount(seal.seq)}</span>
            {merkle && (
              <span className="muted">
                {' '}
                · record {formatCount(merkle.leafIndex + 1)} of {formatCount(merkle.treeSize)} in <InertText text={file} />
              </span>
            )}
          </Row>
        )}
        {chain && (
          <Row term="Chain link">
            <Hash value={chain.claimed} label="chain_hash" />
            {chain.matches === true && <Check verdict="good">SHA-256(previous chain hash ‖ record hash) gives it.</Check>}
            {chain.matches === false && <Check verdict="bad">It does not follow from the previous chain hash: a record before it was removed, inserted or changed.</Check>}
            {chain.matches === null && <Check verdict="neutral">The previous chain hash is not known here.</Check>}
            {chain.previous !== null && chain.previousSource !== null && (
              <p className="seal-sub">
                Links to {SOURCE[chain.previousSource]}
                {chain.previousLine !== null && (
                  <>
                    {' '}
                    (line {formatCount(chain.previousLine)}
                    {chain.previousSeq !== null && chain.previousSeq >= 0 ? `, seq ${formatCount(chain.previousSeq)}` : ''}
                    {chain.previousSource === 'previous_file' && chain.previousFile ? ' of ' : ''}
                    {chain.previousSource === 'previous_file' && chain.previousFile ? <InertText text={chain.previousFile} /> : null})
                  </>
                )}
                : <Hash value={chain.previous} label="previous chain hash" />
              </p>
            )}
          </Row>
        )}
        <Row term="Merkle proof">
          {merkle === null ? (
            <Check verdict="neutral">This line is not a leaf of the day&apos;s Merkle tree.</Check>
          ) : (
            <>
              {merkle.verified ? (
                <Check verdict="good">
                  Leaf {formatCount(merkle.leafIndex + 1)} of {formatCount(merkle.treeSize)}: {merkle.proof.length} sibling hash{merkle.proof.length === 1 ? '' : 'es'}{' '}
                  lead to the signed merkle_root.
                </Check>
              ) : merkle.digestRoot === null ? (
                <Check verdict="warn">The day has no readable signed digest to check the proof against.</Check>
              ) : (
                <Check verdict="bad">The audit path leads to another root than the signed merkle_root: this content is not what was signed.</Check>
              )}
              <p className="seal-sub">
                Root: <Hash value={merkle.computedRoot} label="root from the proof" />
              </p>
              {merkle.digestRoot !== null && merkle.digestRoot !== merkle.computedRoot && (
                <p className="seal-sub">
                  Signed: <Hash value={merkle.digestRoot} label="signed merkle_root" />
                </p>
              )}
              <details className="seal-proof">
                <summary>Audit path ({merkle.proof.length} hashes, leaf upwards)</summary>
                <ol start={0}>
                  <li>
                    <span className="muted">leaf </span>
                    <Hash value={merkle.leafHash} label="leaf hash" />
                  </li>
                  {merkle.proof.map((h, i) => (
                    <li key={i}>
                      <Hash value={h} label={`sibling ${i + 1}`} />
                    </li>
                  ))}
                </ol>
              </details>
            </>
          )}
        </Row>
        {digest && (
          <Row term="Signed digest">
            <DigestCheck digest={digest} />
          </Row>
        )}
      </dl>
    </>
  );
}

function DigestCheck({ digest }: { digest: NonNullable<SealExplanation['digest']> }) {
  const verdict: Verdict = digest.signature === 'valid' ? 'good' : digest.signature === 'untrusted_key' || digest.signature === 'unknown_key' ? 'warn' : 'bad';
  const headline: Record<typeof digest.signature, string> = {
    valid: 'Signature valid, by a trusted key.',
    untrusted_key: 'Signature valid, but its key is only shipped inside the archive: not trusted.',
    unknown_key: 'Signed by a key that is neither trusted nor shipped.',
    invalid: 'The signature does not verify: the digest was altered after signing.',
    malformed: 'The digest file is not a valid digest.',
    missing: 'This day file has no signed digest.',
  };
  return (
    <>
      <Check verdict={verdict}>{headline[digest.signature]}</Check>
      <p className="seal-sub">
        <InertText text={digest.name} />
        {digest.keyId !== null && (
          <>
            {' '}
            · key <code className="mono">{digest.keyId}</code> · {digest.keyTrusted ? 'trusted' : 'not trusted'}
          </>
        )}
      </p>
      {digest.signature !== 'valid' && (
        <p className="seal-sub muted">
          <InertText text={digest.message} />
        </p>
      )}
    </>
  );
}
