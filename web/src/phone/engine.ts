/**
 * The softphone's SIP engine: SIP.js over the PBX's WebSocket, WebRTC audio.
 * Loaded on demand by the phone store (a dynamic import), so
 * neither this file nor SIP.js is in the console's first bundle. It knows
 * nothing of tickets: it reports what the line does through `events`.
 */
import type { IceServer } from '@atende/core';
import { Inviter, Registerer, RegistererState, SessionState, UserAgent, type Invitation, type Session } from 'sip.js';
import type { SessionDescriptionHandler } from 'sip.js/lib/platform/web/index.js';
import type { SessionDescriptionHandlerOptions } from 'sip.js/lib/platform/web/session-description-handler/session-description-handler-options.js';

export interface SipAccount {
  wsUrl: string;
  domain: string;
  extension: string;
  password: string;
  displayName: string;
  /** The workspace's STUN/TURN servers (Administração → Telefonia); none: host addresses only. */
  iceServers: IceServer[];
}

export type LineFailure = 'unreachable' | 'auth' | 'mic' | 'micMissing';
export type CallEnd = 'answered' | 'noAnswer' | 'busy' | 'failed';

export interface EngineEvents {
  registration(state: 'connecting' | 'registered' | 'unregistered', failure?: LineFailure): void;
  /** `callId` is the SIP Call-ID: the same on every phone a ring group rings. */
  incoming(number: string, displayName: string, callId: string): void;
  /** The other side picked up (or we did). */
  established(): void;
  /** The call ended: how, after how many seconds of talk, and the SIP reason when it failed. */
  ended(outcome: CallEnd, seconds: number, reason: string): void;
}

const AUDIO = { constraints: { audio: true, video: false } };

const micFailure = (e: unknown): LineFailure | null => {
  const name = e instanceof Error ? e.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'mic';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'micMissing';
  return null;
};

/**
 * The browser's ICE setup: without STUN/TURN it offers its own addresses
 * after half a second (a PBX on the same network, or one that follows the
 * media it receives); with them it waits longer for the reflexive and relay
 * addresses that NAT and firewalls need.
 */
export const iceOptions = (servers: IceServer[]) => ({
  iceGatheringTimeout: servers.length ? 3000 : 500,
  peerConnectionConfiguration: {
    iceServers: servers.map((s): RTCIceServer => (s.url.startsWith('turn') ? { urls: s.url, username: s.username, credential: s.credential } : { urls: s.url })),
  },
});

export class SipEngine {
  private ua: UserAgent | null = null;
  private registerer: Registerer | null = null;
  private session: Session | null = null;
  private answeredAt = 0;
  private endOutcome: CallEnd | null = null;
  private endReason = '';
  private held = false;

  constructor(
    private readonly account: SipAccount,
    private readonly events: EngineEvents,
    private readonly audio: HTMLAudioElement,
  ) {}

  /** Connects and registers; rejects with a LineFailure when the PBX cannot be reached or refuses the extension. */
  async start(): Promise<void> {
    this.events.registration('connecting');
    const uri = UserAgent.makeURI(`sip:${this.account.extension}@${this.account.domain}`);
    if (!uri) throw new Error('unreachable');
    const ua = new UserAgent({
      uri,
      displayName: this.account.displayName,
      authorizationUsername: this.account.extension,
      authorizationPassword: this.account.password,
      transportOptions: { server: this.account.wsUrl, connectionTimeout: 5 },
      logLevel: 'error',
      sessionDescriptionHandlerFactoryOptions: iceOptions(this.account.iceServers),
      delegate: {
        onInvite: (invitation) => this.onInvite(invitation),
        onDisconnect: (error) => {
          if (error) this.events.registration('unregistered', 'unreachable');
        },
      },
    });
    this.ua = ua;
    try {
      await ua.start();
    } catch {
      throw new Error('unreachable');
    }
    const registerer = new Registerer(ua, { expires: 300 });
    this.registerer = registerer;
    let refused = false;
    registerer.stateChange.addListener((s) => {
      if (s === RegistererState.Registered) this.events.registration('registered');
      else if (s === RegistererState.Unregistered && !refused) this.events.registration('unregistered');
    });
    await new Promise<void>((resolve, reject) => {
      const off = (s: RegistererState) => {
        if (s === RegistererState.Registered) {
          registerer.stateChange.removeListener(off);
          resolve();
        }
      };
      registerer.stateChange.addListener(off);
      registerer
        .register({
          requestDelegate: {
            onReject: (response) => {
              refused = true;
              registerer.stateChange.removeListener(off);
              const code = response.message.statusCode ?? 0;
              reject(new Error(code === 401 || code === 403 || code === 407 ? 'auth' : 'unreachable'));
            },
          },
        })
        .catch(() => reject(new Error('unreachable')));
    });
  }

  /** Whether a microphone can be opened now (and closes it at once). */
  static async checkMicrophone(): Promise<LineFailure | null> {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      for (const track of stream.getTracks()) track.stop();
      return null;
    } catch (e) {
      return micFailure(e) ?? 'mic';
    }
  }

  get busy(): boolean {
    return this.session !== null;
  }

  async call(number: string): Promise<void> {
    if (!this.ua || this.session) throw new Error('busy');
    const target = UserAgent.makeURI(`sip:${number}@${this.account.domain}`);
    if (!target) throw new Error('number');
    const inviter = new Inviter(this.ua, target, { sessionDescriptionHandlerOptions: AUDIO });
    this.track(inviter);
    await inviter.invite({
      requestDelegate: {
        onReject: (response) => {
          const code = response.message.statusCode ?? 0;
          this.endOutcome = code === 486 || code === 600 ? 'busy' : code === 408 || code === 480 || code === 487 || code === 603 ? 'noAnswer' : 'failed';
          this.endReason = `${code} ${response.message.reasonPhrase ?? ''}`.trim();
        },
      },
    }).catch((e: unknown) => {
      this.endOutcome = 'failed';
      this.endReason = micFailure(e) ?? (e instanceof Error ? e.message : String(e));
      throw new Error(micFailure(e) ?? 'failed');
    });
  }

  async answer(): Promise<void> {
    const s = this.session as Invitation | null;
    if (!s || !('accept' in s)) return;
    await s.accept({ sessionDescriptionHandlerOptions: AUDIO }).catch((e: unknown) => {
      this.endOutcome = 'failed';
      throw new Error(micFailure(e) ?? 'failed');
    });
  }

  /** Ends the call in whatever state it is: cancel, reject or bye. */
  async hangup(): Promise<void> {
    const s = this.session;
    if (!s) return;
    if (s.state === SessionState.Established) await s.bye().catch(() => undefined);
    else if (s instanceof Inviter) {
      this.endOutcome ??= 'noAnswer';
      await s.cancel().catch(() => undefined);
    } else if (s.state === SessionState.Initial || s.state === SessionState.Establishing) {
      this.endOutcome ??= 'noAnswer';
      await (s as Invitation).reject({ statusCode: 486 }).catch(() => undefined);
    }
  }

  setMuted(muted: boolean): void {
    this.handler()?.enableSenderTracks(!muted && !this.held);
  }

  async setHeld(held: boolean): Promise<void> {
    const s = this.session;
    if (!s || s.state !== SessionState.Established) return;
    const options: SessionDescriptionHandlerOptions = { ...AUDIO, hold: held };
    s.sessionDescriptionHandlerOptionsReInvite = options;
    await s.invite();
    this.held = held;
  }

  dtmf(tone: string): boolean {
    return this.handler()?.sendDtmf(tone) ?? false;
  }

  async stop(): Promise<void> {
    await this.hangup();
    await this.registerer?.unregister().catch(() => undefined);
    await this.ua?.stop().catch(() => undefined);
    this.ua = null;
  }

  private handler(): SessionDescriptionHandler | null {
    return (this.session?.sessionDescriptionHandler as SessionDescriptionHandler | undefined) ?? null;
  }

  private onInvite(invitation: Invitation): void {
    if (this.session) {
      void invitation.reject({ statusCode: 486 });
      return;
    }
    this.track(invitation);
    // The caller (or the PBX) gave up before anyone answered; a ring group's other phone answering says so in its Reason.
    invitation.delegate = {
      onCancel: (cancel) => {
        const reason = cancel.request.getHeader('Reason') ?? '';
        this.endReason = /cause=200\b|elsewhere/i.test(reason) ? 'elsewhere' : 'cancelled';
      },
    };
    const from = invitation.remoteIdentity;
    this.events.incoming(from.uri.user ?? '', from.displayName ?? '', invitation.request.callId);
  }

  private track(session: Session): void {
    this.session = session;
    this.answeredAt = 0;
    this.endOutcome = null;
    this.endReason = '';
    this.held = false;
    session.stateChange.addListener((state) => {
      if (state === SessionState.Established) {
        this.answeredAt = Date.now();
        const remote = this.handler()?.remoteMediaStream;
        if (remote) {
          this.audio.srcObject = remote;
          void this.audio.play().catch(() => undefined);
        }
        this.events.established();
      } else if (state === SessionState.Terminated) {
        this.audio.srcObject = null;
        this.session = null;
        const seconds = this.answeredAt ? Math.round((Date.now() - this.answeredAt) / 1000) : 0;
        this.events.ended(this.answeredAt ? 'answered' : (this.endOutcome ?? 'noAnswer'), seconds, this.endReason);
      }
    });
  }
}
