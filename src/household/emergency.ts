// A country's emergency numbers, from libphonenumber's short-number metadata (Google's own, as
// shipped by google-libphonenumber: libphonenumber-js has no short-number data), plus 112 and 911,
// which are connected everywhere. Computed when the configuration is deployed, so the Functions
// get the list in their policy and never need the metadata. The configuration's
// household.emergencyNumbers only adds numbers to this list.
import { createRequire } from 'node:module';
import { getCountryCallingCode, isSupportedCountry } from 'libphonenumber-js';

/** Dialled directly in every country, whatever the metadata says. */
export const ALWAYS_EMERGENCY = ['112', '911'] as const;

/** Lengths tried when the metadata does not say (the longest emergency numbers it lists have 6 digits). */
export const ALL_LENGTHS: readonly number[] = [2, 3, 4, 5, 6];

interface ShortNumberInfo {
  isEmergencyNumber(number: string, regionCode: string): boolean;
  getSupportedRegions(): string[];
  /** Closure-private, but present in the shipped build; used only to skip impossible lengths. */
  getMetadataForRegion_?(region: string): {
    getEmergency(): { possibleLengthArray(): number[] } | null;
    getGeneralDesc(): { possibleLengthArray(): number[] } | null;
  } | null;
}

let shortInfo: ShortNumberInfo | undefined;
/** Loaded on first use: the metadata is large and only deploy, init and config need it. */
function shortNumbers(): ShortNumberInfo {
  if (!shortInfo) {
    const require = createRequire(import.meta.url);
    const lib = require('google-libphonenumber') as { ShortNumberInfo: { getInstance(): ShortNumberInfo } };
    shortInfo = lib.ShortNumberInfo.getInstance();
  }
  return shortInfo;
}

/** The lengths a region's emergency numbers may have: its emergency lengths, else its short numbers', else 2-6. */
export function emergencyLengths(region: string): number[] {
  try {
    const meta = shortNumbers().getMetadataForRegion_?.(region);
    const own = meta?.getEmergency()?.possibleLengthArray() ?? [];
    const general = meta?.getGeneralDesc()?.possibleLengthArray() ?? [];
    const lengths = (own.length ? own : general).filter((n) => n >= 1 && n <= 8);
    return lengths.length ? lengths : [...ALL_LENGTHS];
  } catch {
    return [...ALL_LENGTHS];
  }
}

const cache = new Map<string, string[]>();

/** The emergency numbers the metadata lists for a country (ISO alpha-2), sorted; [] for none or an unknown country. */
export function countryEmergencyNumbers(country: string): string[] {
  const region = country.toUpperCase();
  const known = cache.get(region);
  if (known) return [...known];
  const info = shortNumbers();
  const found: string[] = [];
  if (info.getSupportedRegions().includes(region)) {
    for (const length of emergencyLengths(region)) {
      const end = 10 ** length;
      for (let i = 0; i < end; i++) {
        const digits = String(i).padStart(length, '0');
        if (info.isEmergencyNumber(digits, region)) found.push(digits);
      }
    }
  }
  cache.set(region, found);
  return [...found];
}

/** The country calling code ("33" for FR), or null for a country libphonenumber does not know. */
export function countryCallingCode(country: string): string | null {
  const region = country.toUpperCase();
  return isSupportedCountry(region) ? getCountryCallingCode(region) : null;
}

/** Every number always dialled directly for a household: the country's, 112 and 911, and the extra ones configured. */
export function emergencyNumbersFor(country: string | null | undefined, extra: readonly string[] = []): string[] {
  const all = new Set<string>([...countryEmergencyNumbers(country || 'US'), ...ALWAYS_EMERGENCY, ...extra]);
  return [...all].sort((a, b) => a.length - b.length || a.localeCompare(b));
}

/**
 * The configured extra numbers to keep when the country changes: the old country's emergency
 * numbers were its own (they now come from the country), so they go; anything else stays.
 */
export function extrasAfterCountryChange(extra: readonly string[] | undefined, from: string | null | undefined, to: string | null | undefined): string[] {
  const list = [...(extra ?? [])];
  if (!from || !to || from.toUpperCase() === to.toUpperCase()) return list;
  const old = new Set([...countryEmergencyNumbers(from), ...ALWAYS_EMERGENCY]);
  return list.filter((n) => !old.has(n));
}
