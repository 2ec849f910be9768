// The loaded NVIDIA driver's version, as the kernel module reports it, and the driver version a
// package version stands for. /proc/driver/nvidia/version's first line is
// "NVRM version: <module type>  <version>  <build info>", parts separated by two spaces (e.g.
// "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.15  Tue Mar  5 22:23:56 UTC 2024", or
// "NVIDIA UNIX Open Kernel Module for x86_64" for the open modules); NVIDIA does not document it.
// /sys/module/nvidia/version holds the module's MODULE_VERSION alone ("550.54.15").
import { ParseError } from './parse-error';

const DRIVER_VERSION = /^\d{2,4}\.\d{1,4}(\.\d{1,4})?$/;

/** The driver version in /proc/driver/nvidia/version. */
export function parseNvrmVersion(text: string): string {
  const line = text.split('\n').find((l) => l.startsWith('NVRM version: '));
  if (!line) throw new ParseError('no "NVRM version:" line');
  const version = line.slice('NVRM version: '.length).split(/ {2,}/)[1]?.trim();
  if (!version || !DRIVER_VERSION.test(version)) throw new ParseError(`no driver version after the module type in ${JSON.stringify(line.slice(0, 120))}`);
  return version;
}

/** The driver version in /sys/module/nvidia/version. */
export function parseModuleVersion(text: string): string {
  const version = text.trim();
  if (!DRIVER_VERSION.test(version)) throw new ParseError(`not a driver version: ${JSON.stringify(version.slice(0, 40))}`);
  return version;
}

/**
 * The upstream driver version of a package version: without the epoch and the packaging revision
 * ("1:550.54.15-1", "550.54.15-0ubuntu0.22.04.1" and "550.54.15-1.el9" are 550.54.15); null when
 * it does not start with one.
 */
export function upstreamDriverVersion(packageVersion: string): string | null {
  const m = /^(?:\d+:)?(\d{2,4}\.\d{1,4}(?:\.\d{1,4})?)(?:[-+~]|$)/.exec(packageVersion.trim());
  return m ? m[1]! : null;
}
