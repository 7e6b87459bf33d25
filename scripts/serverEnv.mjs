// The environment the server process starts with, under the user's own (which wins): `npm start` (scripts/start.mjs)
// and the bench (bench/support/server.ts) start it the same way; README's systemd unit sets the same.
//
// MALLOC_MMAP_THRESHOLD_: glibc serves a large allocation with mmap and returns it on free, but after the first such
// free it raises that threshold to the freed block's size, so later blocks of that size come from the calling thread's
// arena and stay resident once freed. Each password check (scrypt, N = 2^14, r = 8) allocates 16 MB on a libuv pool
// thread: after a few sign-ins every pool thread kept 16 MB, 64 MB in all, for good (bench/notes.md, "Memory").
// A fixed threshold (glibc's default, 128 KiB) turns that adjustment off. C libraries other than glibc ignore it.
//
// NODE_OPTIONS=--max-semi-space-size=32: V8's young generation may grow to 32 MB a half (Node 20's ceiling is 16 MB).
// Every request leaves objects alive for the few milliseconds it is in flight (its parsed body, the command's documents,
// the commit group's writes); with the smaller young generation, the scavenges that come several times as often find
// them still alive and copy them, or promote them to the old generation, which a full mark-sweep must collect later. At
// the bench's web-chat load this cut the server's CPU per message by about a sixth (bench/notes.md, "Ingestion",
// session 8); it costs at most 32 MB of RSS more, and only while the server is busy enough to grow into it.
export const SERVER_PROCESS_ENV = Object.freeze({ MALLOC_MMAP_THRESHOLD_: '131072', NODE_OPTIONS: '--max-semi-space-size=32' });
