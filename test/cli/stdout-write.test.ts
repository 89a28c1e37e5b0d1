// The CLI writes its output straight to file descriptor 1 (cli/stdout-write.ts): every byte, in order,
// across partial writes; what the descriptor refuses goes through process.stdout, never lost or doubled.
import { afterEach, describe, expect, it, vi } from "vitest";

const writes: { fd: number; bytes: Buffer }[] = [];
/** What the mocked writeSync does on each call: accept at most n bytes, or throw. */
let plan: (number | Error)[] = [];

vi.mock("node:fs", async (original) => {
  const fs = await original<typeof import("node:fs")>();
  return {
    ...fs,
    writeSync: (fd: number, buffer: Uint8Array, offset: number, length: number) => {
      const step = plan.shift() ?? Infinity;
      if (step instanceof Error) throw step;
      const n = Math.min(step, length);
      writes.push({ fd, bytes: Buffer.from(buffer.subarray(offset, offset + n)) });
      return n;
    },
  };
});

const { writeStdout } = await import("../../cli/stdout-write.js");

afterEach(() => {
  writes.length = 0;
  plan = [];
  vi.restoreAllMocks();
});

describe("writeStdout", () => {
  it("writes the whole text to descriptor 1, resuming after partial writes", () => {
    plan = [3, 1, 100];
    const text = '{"a": "\u00e9", "b": [1, 2]}\n';
    writeStdout(text);
    expect(writes.map((w) => w.fd)).toEqual([1, 1, 1]);
    expect(writes.map((w) => w.bytes.length)).toEqual([3, 1, Buffer.byteLength(text) - 4]);
    expect(Buffer.concat(writes.map((w) => w.bytes)).toString("utf8")).toBe(text);
  });

  it("hands the rest to process.stdout when the descriptor refuses (a full non-blocking pipe)", () => {
    const rest: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      rest.push(Buffer.from(chunk as Uint8Array).toString("utf8"));
      return true;
    });
    plan = [5, Object.assign(new Error("EAGAIN: resource temporarily unavailable, write"), { code: "EAGAIN" })];
    writeStdout("0123456789\n");
    expect(writes.map((w) => w.bytes.toString("utf8"))).toEqual(["01234"]);
    expect(rest).toEqual(["56789\n"]);
  });
});
