// The compute-site registration form (POST /compute-sites, body ComputeSiteInput), checked in the
// browser as quan_domain::check_site checks it on the server: the hub only in the hub's own city,
// PFLOPS not below 0 with at most three decimals, the reported precision above 0 (FP16 for an
// intelligent site, FP64 for a general one), an intelligent site names its accelerators and their
// count. The server's answer stays the judge; its field errors go next to the field.
import type { components } from '../../api/schema';

export type ComputeSite = components['schemas']['ComputeSite'];
export type ComputeSiteInput = components['schemas']['ComputeSiteInput'];
export type Hub = components['schemas']['Hub'];
export type ComputeKind = components['schemas']['ComputeKind'];

export const HUBS: readonly Hub[] = ['jinan', 'qingdao', 'zaozhuang'];
/** The city each hub lies in (GB/T 2260; quan_domain::Hub::city_code). */
export const HUB_CITY: Record<Hub, string> = { jinan: '370100', qingdao: '370200', zaozhuang: '370400' };
export const KINDS: readonly ComputeKind[] = ['intelligent', 'general'];
/** quan_domain::MAX_ACCELERATORS. */
export const MAX_ACCELERATORS = 2_000_000;
/** The form's fields, as the API names them (server field errors are placed by these). */
export const SITE_FIELDS = ['supplier_id', 'name', 'city_code', 'hub', 'kind', 'commissioned_on', 'fp16_pflops', 'fp64_pflops', 'accelerator_model', 'accelerator_count'] as const;

/** The hubs a site in `cityCode` may belong to: the one whose city it is, or none. */
export function hubsForCity(cityCode: string | null | undefined): Hub[] {
  return HUBS.filter((h) => HUB_CITY[h] === cityCode);
}

/** Why a PFLOPS figure typed as text is refused, or null: a number not below 0, at most three decimals. */
export function pflopsProblem(text: string | number | null | undefined): 'number' | 'decimals' | null {
  if (text === null || text === undefined || String(text).trim() === '') return null;
  const s = String(text).trim();
  if (!/^\d+(\.\d+)?$/.test(s)) return 'number';
  if (/\.\d{4,}$/.test(s)) return 'decimals';
  return null;
}

export interface SiteFormValues {
  supplier_id?: string;
  name: string;
  city_code: string;
  hub?: Hub | '' | null;
  kind: ComputeKind;
  commissioned_on: string;
  fp16_pflops?: string | number | null;
  fp64_pflops?: string | number | null;
  accelerator_model?: string | null;
  accelerator_count?: string | number | null;
}

const num = (v: string | number | null | undefined) => (v === null || v === undefined || String(v).trim() === '' ? 0 : Number(String(v).trim()));

/** The request body: a supplier's own site (`asAdmin` false: no supplier_id), or one an administrator names. */
export function siteBody(v: SiteFormValues, asAdmin: boolean): ComputeSiteInput {
  const body: ComputeSiteInput = {
    name: v.name.trim(),
    city_code: v.city_code,
    kind: v.kind,
    commissioned_on: v.commissioned_on,
    hub: v.hub && hubsForCity(v.city_code).includes(v.hub) ? v.hub : null,
    fp16_pflops: num(v.fp16_pflops),
    fp64_pflops: num(v.fp64_pflops),
    accelerator_count: Math.trunc(num(v.accelerator_count)),
    accelerator_model: v.accelerator_model?.trim() ? v.accelerator_model.trim() : null,
  };
  if (asAdmin) body.supplier_id = v.supplier_id ?? null;
  return body;
}

/** The field that must report the capacity above 0 for a site of `kind`. */
export function reportedField(kind: ComputeKind | undefined): 'fp16_pflops' | 'fp64_pflops' {
  return kind === 'general' ? 'fp64_pflops' : 'fp16_pflops';
}
