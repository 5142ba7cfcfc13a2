/**
 * A flatbuffers ByteBuffer that throws a RangeError on any read outside its bytes. The library's own reads fall
 * silently on undefined (as 0) past the end and clamp strings, so a truncated or corrupt file would read as
 * plausible zeros; every read of flatc's code goes through readUint8, readUint16, readInt32 or __string.
 */
import * as flatbuffers from 'flatbuffers';

export class CheckedByteBuffer extends flatbuffers.ByteBuffer {
  private check(offset: number, size: number): void {
    if (!Number.isInteger(offset) || offset < 0 || offset + size > this.capacity()) {
      throw new RangeError(`flatbuffer read of ${size} bytes at ${offset}, outside the ${this.capacity()} bytes`);
    }
  }

  override readUint8(offset: number): number {
    this.check(offset, 1);
    return super.readUint8(offset);
  }

  override readUint16(offset: number): number {
    this.check(offset, 2);
    return super.readUint16(offset);
  }

  override readInt32(offset: number): number {
    this.check(offset, 4);
    return super.readInt32(offset);
  }

  override __string(offset: number, optionalEncoding?: flatbuffers.Encoding): string | Uint8Array {
    const start = offset + this.readInt32(offset);
    this.check(start + 4, this.readInt32(start));
    return super.__string(offset, optionalEncoding);
  }
}
