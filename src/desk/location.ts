/**
 * Where the register lives: `--register <dir>`, else VERTROUWD_REGISTER, else a fixed place in
 * the counsellor's own user profile, so every command finds it from any working directory:
 *
 *   Linux and others   $XDG_DATA_HOME/vertrouwd/register  (~/.local/share/vertrouwd/register)
 *   macOS              ~/Library/Application Support/Vertrouwd/register
 *   Windows            %LOCALAPPDATA%\Vertrouwd\register
 */
import { homedir } from "node:os";
import path from "node:path";

export const REGISTER_ENV = "VERTROUWD_REGISTER";
export const KEY_ENV = "VERTROUWD_DESK_KEY";

export function defaultRegisterDir(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): string {
  const home = env.HOME || env.USERPROFILE || homedir();
  if (platform === "win32") {
    const base = env.LOCALAPPDATA || path.win32.join(home, "AppData", "Local");
    return path.win32.join(base, "Vertrouwd", "register");
  }
  if (platform === "darwin")
    return path.posix.join(home, "Library", "Application Support", "Vertrouwd", "register");
  const data =
    env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME)
      ? env.XDG_DATA_HOME
      : path.join(home, ".local", "share");
  return path.join(data, "vertrouwd", "register");
}

export function registerDir(option: string | undefined, env: NodeJS.ProcessEnv): string {
  return path.resolve(option || env[REGISTER_ENV] || defaultRegisterDir(env));
}
