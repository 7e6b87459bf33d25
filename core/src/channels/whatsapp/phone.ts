/**
 * Brazilian mobile numbers gained a ninth digit (a leading 9 after the area
 * code); WhatsApp ids may come with or without it (`55 11 9xxxx-xxxx` vs
 * `55 11 xxxx-xxxx`). Both forms are one person: contacts are matched by
 * every form of the number.
 */
export const digitsOf = (phone: string): string => phone.replace(/\D/g, '');

/** The forms a number may take on WhatsApp: itself plus, for Brazilian mobiles, with and without the ninth digit. */
export const phoneVariants = (phone: string): string[] => {
  const d = digitsOf(phone);
  const forms = new Set([d]);
  const br = /^55(\d{2})(\d{8,9})$/.exec(d);
  if (br) {
    const [, area, rest] = br as unknown as [string, string, string];
    if (rest.length === 9 && rest.startsWith('9') && /^[6-9]/.test(rest.slice(1))) forms.add(`55${area}${rest.slice(1)}`);
    if (rest.length === 8 && /^[6-9]/.test(rest)) forms.add(`55${area}9${rest}`);
  }
  return [...forms];
};
