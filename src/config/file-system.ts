/** The file-system reads the loader needs; load.ts passes the real one, tests pass a fake. */
export interface FileSystem {
  isFile(path: string): boolean;
  isDirectory(path: string): boolean;
  readText(path: string): string;
}
