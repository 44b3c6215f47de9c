import { FieldResult, accept, refuse } from '../registration/field-result';
import { hasControlCharacters } from '../registration/vietnamese-text';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

/**
 * A shop owner's web password: 10 to 200 characters (any script, counted after NFC), no control
 * characters, not the login name itself and not one character repeated. Length is what makes a
 * password strong; composition rules only make people write them down.
 */
export function checkNewPassword(raw: string, context: { phone: string }): FieldResult<string> {
  const password = raw.normalize('NFC');
  if (hasControlCharacters(password)) {
    return refuse('Mật khẩu không được chứa ký tự điều khiển', 'The password must not contain control characters');
  }
  const length = [...password].length;
  if (length < PASSWORD_MIN) {
    return refuse(`Mật khẩu tối thiểu ${PASSWORD_MIN} ký tự`, `A password has at least ${PASSWORD_MIN} characters`);
  }
  if (length > PASSWORD_MAX) return refuse(`Tối đa ${PASSWORD_MAX} ký tự`, `At most ${PASSWORD_MAX} characters`);
  const digits = password.replace(/\D/g, '');
  if (digits.includes(context.phone.slice(1)) && digits.length <= context.phone.length + 2) {
    return refuse('Mật khẩu không được là số điện thoại', 'The password must not be the phone number');
  }
  if (new Set(password).size === 1) {
    return refuse('Mật khẩu quá dễ đoán', 'The password is too easy to guess');
  }
  return accept(password);
}
