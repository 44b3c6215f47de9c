import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { OfficerPage } from '../shared/OfficerPage';
import { useT } from '../shared/i18n';
import '../shared/styles.css';
import { Campaigns, StreetTargets } from './Plans';
import { FraudReports, UnattributedQueue } from './Queues';
import { MerchantReview, ReviewQueue } from './Review';
import { text } from './text';

const views = ['review', 'unattributed', 'fraud', 'streets', 'campaigns'] as const;
type View = (typeof views)[number];

function Officer() {
  const { t } = useT();
  const [view, setView] = useState<View>(() => views.find((v) => `#${v}` === location.hash) ?? 'review');
  const [merchantId, setMerchantId] = useState<string | null>(null);
  const go = (next: View) => {
    history.replaceState(null, '', `#${next}`);
    setMerchantId(null);
    setView(next);
  };
  return (
    <>
      <nav className="tabs" aria-label={t(text.title)}>
        {views.map((v) => (
          <button key={v} type="button" aria-current={v === view ? 'page' : undefined} onClick={() => go(v)}>
            {t(text[v])}
          </button>
        ))}
        <a className="button secondary" href="/city">
          {t(text.dashboard)}
        </a>
      </nav>
      {view === 'review' &&
        (merchantId ? (
          <MerchantReview merchantId={merchantId} onBack={() => setMerchantId(null)} />
        ) : (
          <ReviewQueue onOpen={setMerchantId} />
        ))}
      {view === 'unattributed' && <UnattributedQueue />}
      {view === 'fraud' && <FraudReports />}
      {view === 'streets' && <StreetTargets />}
      {view === 'campaigns' && <Campaigns />}
    </>
  );
}

function OfficerApp() {
  return <OfficerPage title={text.title}>{() => <Officer />}</OfficerPage>;
}

createRoot(document.getElementById('root')!).render(<OfficerApp />);
