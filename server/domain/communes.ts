// A territory's communes: the list its administrator keeps (territory.communes) is the one
// spelling of each commune. A venue names one of them, whatever the case, accents, hyphens or
// apostrophes typed (« cayenne », « SAINT MARTIN D’HERES »), so the figures count each commune once.

/** What two spellings of one commune have in common: no accents, no case, hyphens as spaces, one apostrophe. */
export function communeKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’ʼ`´]/g, "'")
    .replace(/[\s-]+/g, ' ')
    .trim();
}

/** The list's spelling of `name`, or undefined when it is not one of the list's communes. */
export function listedCommune(list: readonly string[], name: string): string | undefined {
  const key = communeKey(name);
  return key === '' ? undefined : list.find((commune) => communeKey(commune) === key);
}

/** The list without a second spelling of a commune already listed (the first spelling stays). */
export function uniqueCommunes(list: readonly string[]): string[] {
  const seen = new Set<string>();
  return list.filter((commune) => {
    const key = communeKey(commune);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
