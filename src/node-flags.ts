// V8 flags every Duly process runs with: the shebang of bin/duly.js, the npm scripts and the benchmarks
// (test/node-flags.test.ts keeps them in step). A 32 MB young generation lets a dispatch batch's
// objects die young instead of being promoted: the 1,000,000-invoice tick peaked at about 470 MB
// instead of 575 MB, no slower.
export const NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];
