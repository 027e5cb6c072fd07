/**
 * Types of `uap-ref-impl` 0.3.1 (ua-parser's reference JavaScript parser, CommonJS, no types of
 * its own), as its `lib/parser.js`, `lib/ua.js`, `lib/os.js` and `lib/device.js` define them:
 * the module is a function of the parsed `regexes.yaml` returning the three parsers.
 */
declare module 'uap-ref-impl' {
  /** One entry of a list of `regexes.yaml`: `regex` plus its replacement keys. */
  export type UapRegex = Readonly<Record<string, string>>;
  export interface UapRegexes {
    readonly user_agent_parsers: readonly UapRegex[];
    readonly os_parsers: readonly UapRegex[];
    readonly device_parsers: readonly UapRegex[];
  }
  /** `family` is `Other` when no regex matched; versions `null` when absent. */
  export interface UapAgent {
    family: string;
    major: string | null;
    minor: string | null;
    patch: string | null;
  }
  export interface UapOs extends UapAgent {
    patchMinor: string | null;
  }
  export interface UapDevice {
    family: string;
    brand: string | null;
    model: string | null;
  }
  export interface UapParser {
    parseUA(ua: string): UapAgent;
    parseOS(ua: string): UapOs;
    parseDevice(ua: string): UapDevice;
  }
  const makeParser: (regexes: UapRegexes) => UapParser;
  export default makeParser;
}
