/**
 * The customer's locale, for reading and showing amounts: the browser's first preferred language it
 * has number data for (`navigator.languages`), else the default of Intl.
 */
export function userLocale(): string {
  const preferred = navigator.languages.length > 0 ? [...navigator.languages] : [navigator.language];
  const [supported] = Intl.NumberFormat.supportedLocalesOf(preferred.filter((l) => l !== ''));
  return supported ?? new Intl.NumberFormat().resolvedOptions().locale;
}
