import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import App from './App';
import { initialLang, loadLang } from './i18n';
import './styles.css';

function render() {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

// A stored English choice: its dictionary (a chunk of its own) first, so the first paint is in
// English; Chinese, the default, is in the bundle. Should the chunk fail, the app starts in Chinese
// and I18nProvider tries again.
loadLang(initialLang()).then(render, render);
