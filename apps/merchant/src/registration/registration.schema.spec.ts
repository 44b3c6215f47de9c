import { describe, expect, it } from '@jest/globals';
import { ApiError, FieldError } from '@cashless/observability';
import { parseBody } from '../http/validation';
import { registrationSchema } from './registration.schema';

const valid = {
  shopName: 'Phở Hùng Vương',
  ownerName: 'Nguyễn Văn Đức',
  phone: '+84 912 345 678',
  taxId: '0100109106',
  category: 'food_drink',
  streetId: '0193c7a4-0000-7000-8000-000000000001',
  houseNumber: '12A',
  payoutAccounts: [{ bankBin: '970436', accountNumber: '0071001234567', accountName: 'Nguyễn Văn Đức' }],
};

function fieldErrors(body: unknown): FieldError[] {
  try {
    parseBody(registrationSchema, body);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return ((error as ApiError).details as { fields: FieldError[] }).fields;
  }
  throw new Error('expected a validation error');
}

describe('registration body (POST /api/v1/merchants)', () => {
  it('comes out normalised: national phone, tax id kind, folded holder name', () => {
    expect(parseBody(registrationSchema, valid)).toEqual({
      ...valid,
      phone: '0912345678',
      taxId: { kind: 'mst10', value: '0100109106' },
      payoutAccounts: [{ bankBin: '970436', accountNumber: '0071001234567', accountName: 'NGUYEN VAN DUC' }],
    });
  });

  it('reports every wrong field at once, with paths into the account list', () => {
    const errors = fieldErrors({
      ...valid,
      phone: '12345',
      taxId: '0100109107',
      category: 'casino',
      payoutAccounts: [valid.payoutAccounts[0], { bankBin: '999999', accountNumber: '12', accountName: '王' }],
    });
    expect(errors.map((e) => e.field)).toEqual([
      'phone',
      'taxId',
      'category',
      'payoutAccounts[1].bankBin',
      'payoutAccounts[1].accountNumber',
      'payoutAccounts[1].accountName',
    ]);
    for (const e of errors) {
      expect(e.message.vi.length).toBeGreaterThan(0);
      expect(e.message.en.length).toBeGreaterThan(0);
    }
  });

  it('names unknown fields, nested ones included', () => {
    const errors = fieldErrors({
      ...valid,
      isAdmin: true,
      payoutAccounts: [{ ...valid.payoutAccounts[0], swift: 'BFTVVNVX' }],
    });
    expect(errors).toEqual([
      { field: 'payoutAccounts[0].swift', message: { vi: 'Trường không được hỗ trợ', en: 'Unknown field' } },
      { field: 'isAdmin', message: { vi: 'Trường không được hỗ trợ', en: 'Unknown field' } },
    ]);
  });

  it('says "Required" for missing fields and names the expected type for wrong ones', () => {
    const errors = fieldErrors({ ...valid, shopName: undefined, phone: 912345678, payoutAccounts: 'none' });
    expect(errors).toEqual([
      { field: 'shopName', message: { vi: 'Bắt buộc', en: 'Required' } },
      { field: 'phone', message: { vi: 'Phải là chuỗi ký tự', en: 'Must be a string' } },
      { field: 'payoutAccounts', message: { vi: 'Phải là danh sách', en: 'Must be a list' } },
    ]);
  });

  it('refuses a body that is not an object', () => {
    for (const body of [null, [], 'shop', 42, undefined]) {
      expect(fieldErrors(body)).toEqual([
        { field: 'body', message: expect.objectContaining({ en: 'Must be a JSON object' }) },
      ]);
    }
  });

  it('needs one to five accounts, each listed once', () => {
    expect(fieldErrors({ ...valid, payoutAccounts: [] })).toEqual([
      { field: 'payoutAccounts', message: { vi: 'Tối thiểu 1 mục', en: 'At least 1 items' } },
    ]);
    expect(fieldErrors({ ...valid, payoutAccounts: Array(6).fill(valid.payoutAccounts[0]) })[0].field).toBe(
      'payoutAccounts',
    );
    expect(fieldErrors({ ...valid, payoutAccounts: [valid.payoutAccounts[0], valid.payoutAccounts[0]] })).toEqual([
      {
        field: 'payoutAccounts[1].accountNumber',
        message: expect.objectContaining({ en: 'This account is already listed' }),
      },
    ]);
  });

  it('refuses huge strings by length before doing any work on them', () => {
    expect(fieldErrors({ ...valid, shopName: 'x'.repeat(200_000) })).toEqual([
      { field: 'shopName', message: { vi: 'Tối đa 1000 ký tự', en: 'At most 1000 characters' } },
    ]);
  });
});
