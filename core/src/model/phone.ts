import { z } from 'zod';

/**
 * The softphone (issue 17): the company's SIP PBX, reached over WebSocket
 * with WebRTC audio. Everything here is optional: a workspace without a PBX
 * uses the rest of Atende unchanged.
 */

import { Millis } from './primitives.ts';
const RefId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.:-]+$/);

/** Admin, once: where the PBX listens for SIP over WebSocket, and its SIP domain. */
/**
 * A STUN or TURN server the agents' browsers use to get the call's audio
 * through NAT and firewalls (an RTCIceServer). A TURN server needs its
 * username and password, which every agent's browser receives with its
 * SIP account: use TURN credentials meant for this, not an admin's.
 */
export const IceServer = z
  .object({
    url: z
      .string()
      .trim()
      .max(300)
      .regex(/^(stun|turns?):[^\s/]+$/, 'must be a STUN or TURN address like stun:stun.example.com:3478 or turn:turn.example.com:3478'),
    username: z.string().trim().max(200).default(''),
    credential: z.string().max(200).default(''),
  })
  .superRefine((s, ctx) => {
    if (!s.url.startsWith('turn')) return;
    if (!s.username) ctx.addIssue({ code: 'custom', path: ['username'], message: 'a TURN server needs its username' });
    if (!s.credential) ctx.addIssue({ code: 'custom', path: ['credential'], message: 'a TURN server needs its password' });
  });
export type IceServer = z.infer<typeof IceServer>;

export const PhoneSettings = z.object({
  wsUrl: z
    .string()
    .trim()
    .max(300)
    .refine((v) => {
      try {
        const u = new URL(v);
        return (u.protocol === 'ws:' || u.protocol === 'wss:') && u.hostname !== '';
      } catch {
        return false;
      }
    }, 'must be a WebSocket address like wss://pbx.example.com:8089/ws'),
  domain: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, 'must not be empty')
    .max(253)
    .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/, 'must be a domain or address like pbx.example.com'),
  /** Absent on settings saved before it existed: none (the browsers offer their host addresses only). */
  iceServers: z.array(IceServer).max(5, 'at most 5 servers').optional(),
});
export type PhoneSettings = z.infer<typeof PhoneSettings>;

/** A SIP user part: what the PBX calls the agent's extension. */
export const SipExtension = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(40)
  .regex(/^[A-Za-z0-9_.+-]+$/, 'may only contain letters, digits, "_", ".", "+" and "-"');

/** On the user document: the extension and whether a password is stored (never the password). */
export const UserSip = z.object({ extension: SipExtension, passwordSet: z.boolean() });
export type UserSip = z.infer<typeof UserSip>;

/** `sipSecrets/{userId}`: read only by the agent's own `sip.credentials`; no client reads the collection. */
export const SipSecret = z.object({ id: RefId, password: z.string().max(128), updatedAt: Millis });
export type SipSecret = z.infer<typeof SipSecret>;

export const CallDirection = z.enum(['out', 'in']);
export type CallDirection = z.infer<typeof CallDirection>;
export const CallOutcome = z.enum(['answered', 'noAnswer', 'busy', 'failed']);
export type CallOutcome = z.infer<typeof CallOutcome>;

/** A call in the ticket's thread (a system line, kind `call`). */
export const CallRecord = z.object({
  direction: CallDirection,
  outcome: CallOutcome,
  /** The other party's number as dialled or as the PBX presented it. */
  number: z.string().max(40),
  /** The agent who placed or took it. */
  agentId: RefId,
  agentName: z.string(),
  startedAt: Millis,
  /** Talking time; 0 when nobody answered. */
  durationSeconds: z.number().int().nonnegative(),
});
export type CallRecord = z.infer<typeof CallRecord>;
