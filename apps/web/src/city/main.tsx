import { createRoot } from 'react-dom/client';
import { OfficerPage } from '../shared/OfficerPage';
import '../shared/styles.css';
import { Dashboard } from './Dashboard';
import { text } from './text';

function CityPage() {
  return (
    <OfficerPage title={text.title}>{(lang, logout) => <Dashboard lang={lang} onLoggedOut={logout} />}</OfficerPage>
  );
}

createRoot(document.getElementById('root')!).render(<CityPage />);
