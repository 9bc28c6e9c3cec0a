import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { loadConfig } from './config';
import { en } from './i18n/en';

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');
const root = createRoot(container);

loadConfig().then(
  (config) =>
    root.render(
      <StrictMode>
        <App config={config} />
      </StrictMode>,
    ),
  (error: unknown) => {
    // Before the config is known there is no i18n provider yet: use the message table directly.
    const reason = error instanceof Error ? error.message : String(error);
    root.render(<p role="alert">{en.tranche.app.config_error.replace('%{error}', reason)}</p>);
  },
);
