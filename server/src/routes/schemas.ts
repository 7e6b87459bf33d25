/** JSON schemas shared by the routes. */
export const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        issues: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
        // The stable code and its parameters the SPA and the widget translate (core/src/errors/texts.ts).
        reason: { type: ['string', 'null'] },
        params: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
  },
} as const;

export const errorResponses = { '4xx': errorSchema, '5xx': errorSchema } as const;

export const userSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    email: { type: 'string' },
    role: { type: 'string' },
    sectorIds: { type: 'array', items: { type: 'string' } },
    presence: { type: 'string' },
    seesAllHistory: { type: 'boolean' },
    active: { type: 'boolean' },
    updatedAt: { type: 'number' },
  },
} as const;

export const attachmentSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    mime: { type: 'string' },
    size: { type: 'integer' },
    kind: { type: 'string' },
  },
} as const;

/** A stored file's address: `/…/:ticketId/:attachmentId`, both document ids. */
export const fileParams = {
  type: 'object',
  required: ['ticketId', 'attachmentId'],
  properties: { ticketId: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,128}$' }, attachmentId: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,128}$' } },
} as const;
