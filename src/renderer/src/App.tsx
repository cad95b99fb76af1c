import { useCallback, useEffect, useRef, useState } from 'react';
import { AppHeader, APP_TITLE } from './features/frame/AppHeader';
import { TabList, TabPanel, type TabSpec } from './features/frame/Tabs';
import type { OpenedFinding } from './features/integrity/FindingsList';
import { IntegrityView } from './features/integrity/IntegrityView';
import { OverviewView } from './features/overview/OverviewView';
import { RecordPanel } from './features/record/RecordPanel';
import { RecordsView } from './features/records/RecordsView';
import { api } from './api';
import { useArchiveSession } from './state/session';
import { formatCount } from './ui/format';

type TabId = 'overview' | 'integrity' | 'records';

export function App() {
  const session = useArchiveSession();
  const [tab, setTab] = useState<TabId>('overview');
  // A new object per request, so asking twice for the same file scrolls to it again.
  const [focusFile, setFocusFile] = useState<{ file: string } | null>(null);
  const [opened, setOpened] = useState<OpenedFinding | null>(null);
  const opener = useRef<HTMLElement | null>(null);
  // File > Export… (desktop menu): the Records screen opens the export wizard, once its index is open.
  const [exportRequest, setExportRequest] = useState(0);

  useEffect(
    () =>
      api.onEvent((event) => {
        if (event.type !== 'exportRequested') return;
        setTab('records');
        setExportRequest((n) => n + 1);
      }),
    [],
  );

  useEffect(() => {
    const info = session.info;
    document.title = info?.ok ? `${info.value.name} — ${APP_TITLE}` : APP_TITLE;
  }, [session.info]);

  const openFinding = useCallback((target: OpenedFinding, from: HTMLElement) => {
    opener.current = from;
    setOpened(target);
  }, []);

  const closeRecord = useCallback(() => {
    setOpened(null);
    // Back to the finding that opened the panel, so keyboard users keep their place.
    opener.current?.focus();
  }, []);

  const report = session.verification?.report;
  const findings = report?.summary.findings;
  const tabs: TabSpec<TabId>[] = [
    { id: 'overview', label: 'Overview' },
    {
      id: 'integrity',
      label: 'Integrity',
      hint:
        session.verification?.status === 'running' ? (
          <span className="tab-count is-running">running</span>
        ) : findings !== undefined && findings > 0 ? (
          // An untrusted key is a finding of the spec, but not tampering: amber, not red.
          <span className={`tab-count ${report?.summary.verdict === 'untrusted_key' ? 'is-warn' : 'is-bad'}`}>{formatCount(findings)}</span>
        ) : undefined,
    },
    { id: 'records', label: 'Records' },
  ];

  return (
    <div className="app">
      <AppHeader archive={session.info} verification={session.verification} />
      <nav className="tab-bar">
        <TabList tabs={tabs} selected={tab} onSelect={(id) => setTab(id)} label="Views" />
      </nav>
      <main className="app-body">
        <TabPanel id="overview" selected={tab === 'overview'}>
          <OverviewView
            overview={session.overview}
            verification={session.verification}
            onShowFindings={(file) => {
              setFocusFile({ file });
              setTab('integrity');
            }}
          />
        </TabPanel>
        <TabPanel id="integrity" selected={tab === 'integrity'}>
          <IntegrityView
            verification={session.verification}
            progress={session.progress}
            keys={session.keys}
            actionError={session.actionError}
            focusFile={focusFile}
            selectedFinding={opened?.finding ?? null}
            completeness={session.completeness}
            onSetPeriod={session.setExpectedPeriod}
            onForgetHistory={session.forgetCheckpoint}
            onStart={() => void session.startVerification()}
            onCancel={() => void session.cancelVerification()}
            onOpenFinding={openFinding}
          />
        </TabPanel>
        <TabPanel id="records" selected={tab === 'records'} keepMounted>
          <RecordsView exportRequest={exportRequest} verification={session.verification} />
        </TabPanel>
        {opened && tab === 'integrity' && <RecordPanel place={opened} finding={opened.finding} onClose={closeRecord} verification={session.verification} />}
      </main>
    </div>
  );
}
