/**
 * The answers offered as choices where a channel has them (a WhatsApp list, Instagram quick replies): the
 * digit first, so the reply's title is itself an answer. Other channels get the question as text, which
 * asks for a number.
 */
export const SURVEY_CHOICES = [
  { key: '5', label: '5 - Excelente' },
  { key: '4', label: '4 - Bom' },
  { key: '3', label: '3 - Regular' },
  { key: '2', label: '2 - Ruim' },
  { key: '1', label: '1 - Muito ruim' },
];
