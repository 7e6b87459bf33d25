/**
 * Whole WebSocket text frames as a server sends them (RFC 6455 §5.2: FIN set,
 * opcode 1, no mask, 7-bit, 16-bit or 64-bit length), built once so the same
 * bytes can be written to every socket that shares them.
 */
export interface BuiltFrame {
  /** The frame: one buffer, or parts written one after the other (the socket is corked: one system call). */
  frame: Buffer | readonly Buffer[];
  /** The frame's text, for a socket ws must frame itself (one that negotiated an extension). */
  payload: string | (() => Buffer);
}

/** A buffer of `room` bytes after the header of a frame of `length` payload bytes (written): the payload goes at `start`. */
const allocFrame = (room: number, length = room): { frame: Buffer; start: number } => {
  const start = length < 126 ? 2 : length < 0x10000 ? 4 : 10;
  const frame = Buffer.allocUnsafe(start + room);
  frame[0] = 0x81;
  if (start === 2) frame[1] = length;
  else if (start === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 0x1_0000_0000), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  return { frame, start };
};

export const textFrame = (text: string): Buffer => {
  const { frame, start } = allocFrame(Buffer.byteLength(text));
  frame.write(text, start, 'utf8');
  return frame;
};

/**
 * The size of the parts a snapshot's documents are copied into: below glibc's mmap threshold (128 KiB, fixed by
 * scripts/serverEnv.mjs), so the parts come from and go back to the allocator's heap and are not fresh mappings
 * whose every page faults when first written.
 */
export const SNAPSHOT_PART_BYTES = 64 * 1024;

/**
 * A `snapshot` frame whose documents are their stored JSON bytes, as parts: the header and envelope, then the
 * documents, each as it came from SQLite, copied one after the other (with their commas) into parts of at most
 * SNAPSHOT_PART_BYTES. Nothing is decoded, parsed or serialised, and no single 10 MB buffer is made (a fresh one
 * costs ~50 ms of page faults on the bench's machine); the kernel gathers the parts in one `writev`. Copied rather
 * than written as they are: 150 parts instead of 20,000 (a document and a comma each), so 150 stream writes, and
 * the 10,000 row buffers are garbage at once instead of living, and being promoted by the collector, until the
 * socket has sent them.
 */
export const snapshotFrame = (id: string, docs: readonly Buffer[]): BuiltFrame => {
  const open = Buffer.from(`{"type":"snapshot","id":${JSON.stringify(id)},"docs":[`);
  const close = ']}';
  let length = open.length + Math.max(0, docs.length - 1) + close.length;
  for (const doc of docs) length += doc.length;
  const parts: Buffer[] = [];
  // The part being filled, from `start`; `at` is where the next byte goes.
  const first = allocFrame(Math.max(open.length, Math.min(SNAPSHOT_PART_BYTES, length)), length);
  const { start } = first;
  let part = first.frame;
  let at = start + open.copy(part, start);
  const room = (bytes: number) => {
    if (at + bytes <= part.length) return;
    parts.push(part.subarray(0, at));
    part = Buffer.allocUnsafe(Math.max(SNAPSHOT_PART_BYTES, bytes));
    at = 0;
  };
  for (let i = 0; i < docs.length; i++) {
    const doc = docs[i]!;
    room(doc.length + 1);
    if (i > 0) part[at++] = 0x2c;
    at += doc.copy(part, at);
  }
  room(close.length);
  at += part.write(close, at, 'latin1');
  parts.push(part.subarray(0, at));
  return { frame: parts, payload: () => Buffer.concat(parts).subarray(start) };
};

/**
 * The `changes` frames of one commit for one evaluation: the serialised
 * changes are shared, the frame differs only by subscription id (consoles
 * number their subscriptions alike, so most sockets share one), and each
 * distinct id's frame is built once.
 */
export const changesFrames = (changes: string) => {
  const byId = new Map<string, BuiltFrame>();
  return (id: string): BuiltFrame => {
    let built = byId.get(id);
    if (!built) {
      const payload = `{"type":"changes","id":${JSON.stringify(id)},"changes":${changes}}`;
      built = { payload, frame: textFrame(payload) };
      byId.set(id, built);
    }
    return built;
  };
};

/** A change whose own keys are `type` then `doc`, as JSON.stringify would write them. */
const isTypeThenDoc = (change: object): boolean => {
  const keys = Object.keys(change);
  return keys.length === 2 && keys[0] === 'type' && keys[1] === 'doc';
};

/**
 * `JSON.stringify(changes)`, with each document the store wrote taken as the text it was stored as (`known`) instead
 * of serialised again: a message's ticket is a kilobyte of JSON, written once for SQLite, once more here before.
 */
export const changesJson = (changes: readonly { type: string; doc: object }[], known: (doc: object) => string | undefined): string => {
  let out = '[';
  for (let i = 0; i < changes.length; i++) {
    const change = changes[i]!;
    const text = known(change.doc);
    if (i > 0) out += ',';
    out += text !== undefined && isTypeThenDoc(change) ? `{"type":${JSON.stringify(change.type)},"doc":${text}}` : JSON.stringify(change);
  }
  return out + ']';
};
