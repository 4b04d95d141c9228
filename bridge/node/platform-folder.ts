/**
 * The folder of this platform's native modules in the addon: Godot's feature tag of the
 * system ("linux.x86_64", "windows.x86_64", "macos.arm64"), as bridge/client/wc_platform.h
 * names it for the runtime. The addon keeps worker.mjs once, in worker/, and each platform's
 * shm.node and node_datachannel.node in worker/<folder>/, so Linux and Windows (and macOS) can
 * share one addon folder. An export (and build/worker/) holds them flat beside worker.mjs.
 */
const OS: Readonly<Record<string, string>> = { win32: 'windows', darwin: 'macos' };
const ARCH: Readonly<Record<string, string>> = { x64: 'x86_64', ia32: 'x86_32' };

export function platformFolder(platform: string = process.platform, arch: string = process.arch): string {
  return `${OS[platform] ?? platform}.${ARCH[arch] ?? arch}`;
}

/**
 * Where a native module shipped with the worker may be, first found wins: the platform's
 * folder beside `base` (a module URL), then beside it.
 */
export function nativeCandidates(base: string | URL, file: string): URL[] {
  return [new URL(`./${platformFolder()}/${file}`, base), new URL(`./${file}`, base)];
}
