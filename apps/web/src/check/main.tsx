import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiFailure, sendJson } from '../shared/api';
import { BoardResult, checkBoard } from '../shared/BoardResult';
import type { BoardVerification } from '../shared/BoardResult';
import { Page } from '../shared/Page';
import { useT } from '../shared/i18n';
import type { Localized } from '../shared/i18n';
import '../shared/styles.css';

const text = {
  title: { vi: 'Kiểm tra bảng QR', en: 'Check a QR board' },
  intro: {
    vi: 'Trước khi chuyển tiền: quét QR trên bảng (hoặc dán nội dung QR, hoặc gõ mã bảng in dưới QR) để xem tiền sẽ vào tài khoản của cửa hàng nào.',
    en: 'Before paying: scan the board’s QR (or paste its content, or type the board code printed under it) to see whose account the money goes to.',
  },
  input: { vi: 'Mã bảng hoặc nội dung QR', en: 'Board code or QR content' },
  check: { vi: 'Kiểm tra', en: 'Check' },
  scan: { vi: 'Quét bằng máy ảnh', en: 'Scan with the camera' },
  stopScan: { vi: 'Dừng quét', en: 'Stop scanning' },
  camera: { vi: 'Máy ảnh', en: 'Camera' },
  report: { vi: 'Báo cáo bảng này', en: 'Report this board' },
  reportCode: { vi: 'Mã bảng in trên bảng', en: 'Board code printed on the board' },
  reason: { vi: 'Lý do', en: 'Reason' },
  note: { vi: 'Mô tả (không bắt buộc)', en: 'What you saw (optional)' },
  contact: { vi: 'Liên hệ của bạn (không bắt buộc)', en: 'Your contact (optional)' },
  send: { vi: 'Gửi báo cáo', en: 'Send report' },
} satisfies Record<string, Localized>;

const reasons: Record<string, Localized> = {
  qr_swapped: { vi: 'QR bị dán đè / tráo', en: 'QR covered or swapped' },
  name_mismatch: { vi: 'Tên người nhận không khớp cửa hàng', en: 'Recipient name does not match the shop' },
  board_damaged: { vi: 'Bảng hư hỏng', en: 'Board damaged' },
  other: { vi: 'Khác', en: 'Other' },
};

interface Detected {
  rawValue: string;
}
type Detector = { detect(source: HTMLVideoElement): Promise<Detected[]> };
type DetectorClass = new (options: { formats: string[] }) => Detector;

/** Optional camera scan with the browser's BarcodeDetector (where it exists); typing is always enough. */
function CameraScan({ onScanned }: { onScanned: (value: string) => void }) {
  const { t } = useT();
  const [on, setOn] = useState(false);
  const video = useRef<HTMLVideoElement>(null);
  const Detector = (window as unknown as { BarcodeDetector?: DetectorClass }).BarcodeDetector;

  useEffect(() => {
    if (!on || !Detector || !navigator.mediaDevices) return;
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setInterval> | undefined;
    const detector = new Detector({ formats: ['qr_code'] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } }).then(
      (s) => {
        stream = s;
        if (!video.current) return;
        video.current.srcObject = s;
        void video.current.play();
        timer = setInterval(async () => {
          const found = video.current ? await detector.detect(video.current).catch(() => []) : [];
          if (found[0]) {
            setOn(false);
            onScanned(found[0].rawValue);
          }
        }, 400);
      },
      () => setOn(false),
    );
    return () => {
      clearInterval(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [on, Detector, onScanned]);

  if (!Detector) return null;
  return (
    <div className="stack">
      <button type="button" className="secondary" onClick={() => setOn(!on)}>
        {t(on ? text.stopScan : text.scan)}
      </button>
      {on && <video ref={video} muted playsInline aria-label={t(text.camera)} style={{ width: '100%' }} />}
    </div>
  );
}

function ReportForm({ boardCode }: { boardCode: string | null }) {
  const { t, lang } = useT();
  const [code, setCode] = useState(boardCode ?? '');
  const [reason, setReason] = useState(boardCode ? 'name_mismatch' : 'qr_swapped');
  const [note, setNote] = useState('');
  const [contact, setContact] = useState('');
  const [answer, setAnswer] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    try {
      const sent = await sendJson<{ message: Localized | string }>(
        'POST',
        `/boards/${encodeURIComponent(code.trim())}/report`,
        {
          reason,
          ...(note.trim() ? { note: note.trim() } : {}),
          ...(contact.trim() ? { reporterContact: contact.trim() } : {}),
        },
      );
      const message = sent!.message;
      setAnswer(typeof message === 'string' ? message : message[lang]);
    } catch (error) {
      setFailure(error instanceof ApiFailure ? error.text[lang] : String(error));
    }
  }

  if (answer)
    return (
      <p className="notice" role="status" data-testid="report-sent">
        {answer}
      </p>
    );
  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="report-title" data-testid="report-form">
      <h2 id="report-title">{t(text.report)}</h2>
      <label htmlFor="report-code">
        {t(text.reportCode)}
        <input
          id="report-code"
          required
          value={code}
          onChange={(e) => setCode(e.target.value)}
          autoCapitalize="characters"
        />
      </label>
      <label htmlFor="report-reason">
        {t(text.reason)}
        <select id="report-reason" value={reason} onChange={(e) => setReason(e.target.value)}>
          {Object.entries(reasons).map(([value, label]) => (
            <option key={value} value={value}>
              {t(label)}
            </option>
          ))}
        </select>
      </label>
      <label htmlFor="report-note">
        {t(text.note)}
        <textarea id="report-note" maxLength={1000} rows={3} value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      <label htmlFor="report-contact">
        {t(text.contact)}
        <input id="report-contact" maxLength={200} value={contact} onChange={(e) => setContact(e.target.value)} />
      </label>
      {failure && (
        <p className="error" role="alert">
          {failure}
        </p>
      )}
      <button type="submit">{t(text.send)}</button>
    </form>
  );
}

function BoardCheck() {
  const { t, lang } = useT();
  const [input, setInput] = useState(() => new URLSearchParams(location.search).get('code') ?? '');
  const [result, setResult] = useState<BoardVerification | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [reporting, setReporting] = useState(false);

  async function run(value: string) {
    setFailure(null);
    setResult(null);
    setReporting(false);
    try {
      setResult(await checkBoard(value));
    } catch (error) {
      setFailure(error instanceof ApiFailure ? error.text[lang] : String(error));
    }
  }
  const scanned = useRef((value: string) => {
    setInput(value);
    void run(value);
  });

  useEffect(() => {
    if (input) void run(input);
  }, []);

  return (
    <div className="narrow stack">
      <p>{t(text.intro)}</p>
      <form
        className="card stack"
        onSubmit={(e) => {
          e.preventDefault();
          void run(input);
        }}
      >
        <label htmlFor="check-input">
          {t(text.input)}
          <textarea id="check-input" rows={2} required value={input} onChange={(e) => setInput(e.target.value)} />
        </label>
        <button type="submit">{t(text.check)}</button>
        <CameraScan onScanned={scanned.current} />
      </form>
      {failure && (
        <p className="error" role="alert">
          {failure}
        </p>
      )}
      {result && <BoardResult result={result} />}
      {result && result.verdict !== 'invalid' && !reporting && (
        <button type="button" className="secondary" onClick={() => setReporting(true)}>
          {t(text.report)}
        </button>
      )}
      {reporting && <ReportForm boardCode={result?.boardCode ?? null} />}
    </div>
  );
}

createRoot(document.getElementById('root')!).render(<Page title={text.title}>{() => <BoardCheck />}</Page>);
