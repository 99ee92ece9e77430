// semver ships no types and @types/semver is not installed; these are the three calls the engines test makes.
declare module 'semver' {
  interface SemVer {
    version: string;
  }
  const semver: {
    validRange(range: string): string | null;
    minVersion(range: string): SemVer | null;
    satisfies(version: string, range: string, options?: { includePrerelease?: boolean }): boolean;
  };
  export default semver;
}
