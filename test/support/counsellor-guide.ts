/**
 * The counsellor's guide (docs/counsellor.md) as tests run it: the "GnuPG and curl only" shell
 * block taken from the guide as a counsellor would copy it, and a bash to run it in.
 */
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** The guide's shell block, as a counsellor would copy it, with their key's fingerprint filled in. */
export async function guideBlock(fingerprint: string): Promise<string> {
  const guide = await readFile(path.join(ROOT, "docs/counsellor.md"), "utf8");
  const at = guide.indexOf("<!-- tested: test/desk/reply-gpg-curl.test.ts");
  if (at < 0) throw new Error("docs/counsellor.md lost its tested GnuPG and curl block");
  const start = guide.indexOf("```sh\n", at) + "```sh\n".length;
  return guide.slice(start, guide.indexOf("```", start)).replace("<your-key-fingerprint>", fingerprint);
}

/** Runs `script` under `bash -eu -o pipefail` in `cwd` with the counsellor's GnuPG home. */
export function sh(
  script: string,
  cwd: string,
  gnupgHome: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-eu", "-o", "pipefail", "-c", script], {
      cwd,
      env: { ...process.env, GNUPGHOME: gnupgHome, LC_ALL: "C", LANG: "C" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => err.push(c));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({
        code: code ?? -1,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      }),
    );
  });
}
