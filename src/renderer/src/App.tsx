import { useEffect, useState } from 'react';
import type { ArchiveInfo, IpcResult } from '../../shared/ipc-contract';
import { api } from './api';

const APP_TITLE = 'ActivationLog Inspector';

export function App() {
  const archive = useArchiveInfo();

  useEffect(() => {
    document.title = archive?.ok ? `${archive.value.name} — ${APP_TITLE}` : APP_TITLE;
  }, [archive]);

  return (
    <div className="app">
      <header className="app-header">
        <h1 className="app-title">{APP_TITLE}</h1>
        <ArchiveSummary archive={archive} />
      </header>
      <main className="app-body" />
    </div>
  );
}

function ArchiveSummary({ archive }: { archive: IpcResult<ArchiveInfo> | undefined }) {
  if (archive === undefined) return <p className="archive archive-pending">Opening archive…</p>;
  if (!archive.ok) {
    return (
      <p className="archive archive-error" role="alert">
        Could not open the archive: {archive.error.message}
      </p>
    );
  }
  return (
    <p className="archive">
      <span className="archive-name">{archive.value.name}</span>
      <span className="archive-path" title={archive.value.path}>
        {archive.value.path}
      </span>
    </p>
  );
}

function useArchiveInfo(): IpcResult<ArchiveInfo> | undefined {
  const [archive, setArchive] = useState<IpcResult<ArchiveInfo>>();
  useEffect(() => {
    let current = true;
    void api
      .getArchiveInfo({})
      .catch((error: unknown): IpcResult<ArchiveInfo> => ({ ok: false, error: { message: String(error) } }))
      .then((result) => {
        if (current) setArchive(result);
      });
    return () => {
      current = false;
    };
  }, []);
  return archive;
}
