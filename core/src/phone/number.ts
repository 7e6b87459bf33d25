import { digitsOf, phoneVariants } from '../channels/whatsapp/phone.ts';

/**
 * A caller's number as a PBX presents it (`+55 11 98765-4321`, `011987654321`,
 * `1187654321`, `5511987654321`…) in its international digits, Brazil by
 * default: a national number (area code + 8 or 9 digits, optional trunk 0; `+` or `00` mark an international one)
 * gets the country code 55.
 */
export const internationalDigits = (number: string): string => {
  const raw = number.trim();
  const d = digitsOf(raw);
  if (raw.startsWith('+')) return d;
  if (d.startsWith('00')) return d.slice(2);
  const national = d.replace(/^0/, '');
  return national.length === 10 || national.length === 11 ? `55${national}` : national;
};

/**
 * The stored forms a contact's phone may have for this caller: with and
 * without the ninth digit (the same rule as WhatsApp ids), each as bare
 * digits, with "+", and national (without 55). At most 6 values, so one
 * Firestore `in` query finds the contact.
 */
export const callerPhoneForms = (number: string): string[] => {
  const intl = internationalDigits(number);
  if (intl === '') return [];
  const forms = new Set<string>();
  for (const v of phoneVariants(intl)) {
    forms.add(v);
    forms.add(`+${v}`);
    if (v.startsWith('55') && (v.length === 12 || v.length === 13)) forms.add(v.slice(2));
  }
  return [...forms];
};

/** Whether two numbers are the same line (ninth digit and country code aside). */
export const samePhone = (a: string, b: string): boolean => {
  const forms = new Set(callerPhoneForms(a));
  return callerPhoneForms(b).some((f) => forms.has(f));
};

/** A number as people read it: Brazilian numbers as +55 11 98765-4321, others as dialled. */
export const formatPhone = (number: string): string => {
  const d = number.replace(/\D/g, '');
  const br = /^55(\d{2})(\d{4,5})(\d{4})$/.exec(d);
  if (br) return `+55 ${br[1]} ${br[2]}-${br[3]}`;
  return number;
};
