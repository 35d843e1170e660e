/**
 * Runs on the audio thread: hands the microphone's samples to the page unchanged, in blocks of
 * about 20 ms (the audio thread calls process() every 128 samples; one message each would be
 * 375 a second). Loaded by recorder.ts through Vite's `?worker&url`, so it is a same-origin file
 * the page's Content-Security-Policy (script-src 'self') allows.
 */

// The AudioWorkletGlobalScope is not in TypeScript's DOM library.
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(name: string, ctor: new () => AudioWorkletProcessor): void;
declare const sampleRate: number;

const BLOCK = 1024;

class CaptureProcessor extends AudioWorkletProcessor {
  private block = new Float32Array(BLOCK);
  private filled = 0;

  process(inputs: Float32Array[][]): boolean {
    const input = inputs[0]?.[0];
    if (!input) return true;
    let at = 0;
    while (at < input.length) {
      const n = Math.min(input.length - at, BLOCK - this.filled);
      this.block.set(input.subarray(at, at + n), this.filled);
      this.filled += n;
      at += n;
      if (this.filled === BLOCK) {
        this.port.postMessage({ samples: this.block, rate: sampleRate }, [this.block.buffer]);
        this.block = new Float32Array(BLOCK);
        this.filled = 0;
      }
    }
    return true;
  }
}

registerProcessor('luot-capture', CaptureProcessor);
