/** « CLSM Grenoble-Alpes » → « clsm-grenoble-alpes »: ASCII lowercase words joined by dashes, at most 60 characters. */
export function slugify(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}
