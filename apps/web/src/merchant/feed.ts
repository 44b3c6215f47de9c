import { useEffect, useRef, useState } from 'react';
import { sessionToken } from '../shared/api';
import { spokenText } from './logic';
import type { PaymentNotice } from './types';

/** Says a sentence in Vietnamese with the browser's speech synthesis, the way payment speakers do. */
export function speak(sentence: string): void {
  const synth = window.speechSynthesis;
  if (!synth || typeof SpeechSynthesisUtterance === 'undefined') return;
  const utterance = new SpeechSynthesisUtterance(sentence);
  utterance.lang = 'vi-VN';
  const voice = synth.getVoices().find((v) => v.lang.replace('_', '-').toLowerCase().startsWith('vi'));
  if (voice) utterance.voice = voice;
  synth.speak(utterance);
}

/**
 * The shop's live payments (SSE, `?access_token=` since EventSource sends no headers). Each
 * payment is listed once (newest first) and, when `speakOn`, spoken. EventSource reconnects by
 * itself and resumes with Last-Event-ID.
 */
export function usePaymentFeed(merchantId: string | null, speakOn: boolean) {
  const [payments, setPayments] = useState<PaymentNotice[]>([]);
  const [connected, setConnected] = useState(false);
  const speakRef = useRef(speakOn);
  speakRef.current = speakOn;

  useEffect(() => {
    const token = sessionToken();
    if (!merchantId || !token) return;
    const source = new EventSource(`/api/v1/merchants/${merchantId}/feed?access_token=${encodeURIComponent(token)}`);
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    source.addEventListener('payment', (event) => {
      const notice = JSON.parse((event as MessageEvent<string>).data) as PaymentNotice;
      setPayments((list) => (list.some((p) => p.paymentId === notice.paymentId) ? list : [notice, ...list]));
      if (speakRef.current) speak(spokenText(notice));
    });
    return () => {
      source.close();
      setConnected(false);
    };
  }, [merchantId]);

  return { payments, connected };
}
