// First: configures zod before any schema is built (see the file).
import './zod-config';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ArchiveSwitch } from './features/open-archive/ArchiveSwitch';
import './styles.css';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <ArchiveSwitch>
      <App />
    </ArchiveSwitch>
  </StrictMode>,
);
