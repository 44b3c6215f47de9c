import { z } from 'zod';
import { ADMIN_UNITS_FILE } from './data/admin-units';

/**
 * The administrative units and pilot streets bundled with the service (a copy of
 * ../shared/data/admin-units.json), checked on load so a bad edit fails the migration loudly.
 */
const day = z.iso.date();

const unitSchema = z.object({
  key: z.string().min(1),
  level: z.enum(['province', 'district', 'ward']),
  kind: z.string().optional(),
  name: z.string().min(1),
  code: z.string().nullable(),
  parent: z.string().optional(),
  validFrom: day.nullable(),
  validTo: day.nullable(),
  successors: z.array(z.string()),
});

const streetSchema = z.object({
  key: z.string().min(1),
  name: z.string().min(1),
  wards: z.array(z.object({ ward: z.string(), validFrom: day.optional(), validTo: day.optional() })).min(1),
  pilot: z.string().optional(),
  targetBusinesses: z.number().int().min(0).nullable(),
  targetDate: day.nullable(),
});

export const adminUnitsFileSchema = z.object({
  units: z.array(unitSchema),
  streets: z.array(streetSchema),
});

export type AdminUnitsFile = z.infer<typeof adminUnitsFileSchema>;

export function bundledAdminUnits(): AdminUnitsFile {
  const data = adminUnitsFileSchema.parse(ADMIN_UNITS_FILE);
  const keys = new Set(data.units.map((u) => u.key));
  for (const unit of data.units) {
    for (const ref of [unit.parent, ...unit.successors]) {
      if (ref !== undefined && !keys.has(ref))
        throw new Error(`admin-units.json: ${unit.key} refers to unknown ${ref}`);
    }
  }
  for (const street of data.streets) {
    for (const link of street.wards) {
      if (!keys.has(link.ward)) throw new Error(`admin-units.json: ${street.key} refers to unknown ${link.ward}`);
    }
  }
  return data;
}
