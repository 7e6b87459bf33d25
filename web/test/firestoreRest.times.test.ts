// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { customerMessagesFromSpec, customerTicketsChangedSpec } from '@core/queries/customer.ts';
import { decodeFields, structuredQuery } from '../src/widget/firestoreRest.ts';

/** The widget's Firestore REST reads and the time codec (core/src/store/timeCodec.ts): times are timestamps on Firestore. */
describe('widget REST reads and Firestore timestamps', () => {
  const customer = { kind: 'customer', contactId: 'c1', channelId: 'site' } as const;
  const T = Date.UTC(2026, 11, 3, 7, 30, 0, 250);

  it('sends bounds on time fields as timestampValue, and other values as they are', () => {
    const q = structuredQuery(customerTicketsChangedSpec(customer, T), 'customerTickets') as { where: { compositeFilter: { filters: { fieldFilter: { field: { fieldPath: string }; value: unknown } }[] } } };
    const values = Object.fromEntries(q.where.compositeFilter.filters.map((f) => [f.fieldFilter.field.fieldPath, f.fieldFilter.value]));
    expect(values).toEqual({ contactId: { stringValue: 'c1' }, channelId: { stringValue: 'site' }, updatedAt: { timestampValue: '2026-12-03T07:30:00.250Z' } });
    const m = structuredQuery(customerMessagesFromSpec('T1', T), 'messages') as { where: { compositeFilter: { filters: { fieldFilter: { value: unknown } }[] } } };
    expect(m.where.compositeFilter.filters[1]!.fieldFilter.value).toEqual({ timestampValue: '2026-12-03T07:30:00.250Z' });
  });

  it('reads timestamps (as the functions store them, or as an admin typed them) as milliseconds, and old numbers as they are', () => {
    expect(
      decodeFields({
        updatedAt: { timestampValue: '2026-12-03T07:30:00.250123Z' },
        lastMessage: { mapValue: { fields: { at: { timestampValue: '2026-12-03T07:30:00Z' } } } },
        createdAt: { integerValue: String(T) },
      }),
    ).toEqual({ updatedAt: T, lastMessage: { at: T - 250 }, createdAt: T });
  });
});
