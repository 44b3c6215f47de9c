import { encodeVietQr } from '@cashless/vietqr';

/** The QRs the specs pay: a checkout QR (dynamic, payment code first) and a shop board (static). */
export const PAYMENT_CODE = 'CS7K2M9QAB';

export const CHECKOUT_QR = encodeVietQr({
  bankBin: '970436',
  account: '0011001932418',
  amount: 50_000,
  paymentCode: PAYMENT_CODE,
  purpose: 'Phở bò',
});

/** What a bank app pre-fills from the checkout QR (folded to ASCII by the encoder). */
export const CHECKOUT_CONTENT = `${PAYMENT_CODE} Pho bo`;

export const BOARD_QR = encodeVietQr({ bankBin: '970422', account: '0023457923442' });
