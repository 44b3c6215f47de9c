import { describe, expect, it } from '@jest/globals';
import { hashPassword, verifyPassword } from './password';

describe('officer passwords', () => {
  it('a stored hash verifies the right password only, and salts differ', async () => {
    const a = await hashPassword('admin-dev-password');
    const b = await hashPassword('admin-dev-password');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('admin-dev-password', a)).toBe(true);
    expect(await verifyPassword('admin-dev-passworD', a)).toBe(false);
  });

  it('a corrupt stored hash verifies nothing', async () => {
    expect(await verifyPassword('x', 'plain-text')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$16384$8$1$$')).toBe(false);
  });
});
