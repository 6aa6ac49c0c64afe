// tar-stream 2 ships no types; build-context.ts describes the little it uses.
declare module 'tar-stream';
