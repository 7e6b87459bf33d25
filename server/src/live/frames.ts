/**
 * A whole WebSocket text frame as a server sends it (RFC 6455 §5.2: FIN set,
 * opcode 1, no mask, 7-bit, 16-bit or 64-bit length), built once so the
 * same bytes can be written to every socket that shares a subscription.
 */
export const textFrame = (text: string): Buffer => {
  const length = Buffer.byteLength(text);
  const head = length < 126 ? 2 : length < 0x10000 ? 4 : 10;
  const frame = Buffer.allocUnsafe(head + length);
  frame[0] = 0x81;
  if (head === 2) frame[1] = length;
  else if (head === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 0x1_0000_0000), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  frame.write(text, head, 'utf8');
  return frame;
};

/**
 * The `changes` frames of one commit for one evaluation: the serialised
 * changes are shared, the frame differs only by subscription id (consoles
 * number their subscriptions alike, so most sockets share one), and each
 * distinct id's frame is built once.
 */
export const changesFrames = (payload: string) => {
  const byId = new Map<string, { text: string; frame: Buffer }>();
  return (id: string) => {
    let built = byId.get(id);
    if (!built) {
      const text = `{"type":"changes","id":${JSON.stringify(id)},"changes":${payload}}`;
      built = { text, frame: textFrame(text) };
      byId.set(id, built);
    }
    return built;
  };
};
