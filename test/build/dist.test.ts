/**
 * The production build, as an operator runs it: tsconfig.build.json compiled into a scratch copy
 * of the package layout (package.json, bin/, manifest/teams/, node_modules linked), then the bin,
 * `serve` and the Teams packager run from dist/ on plain Node with type stripping switched off,
 * so a stray import of a .ts file fails here instead of in production.
 */
import { execFile, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");
const NODE = [process.execPath, "--no-experimental-strip-types"] as const;
const APP_ID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
/** Debian's own Node (20 on these machines), when there is one older than we support. */
const OLD_NODE = ["/usr/bin/node"].find(
  (n) =>
    existsSync(n) &&
    Number(execFileSync(n, ["-p", "process.versions.node.split('.')[0]"], { encoding: "utf8" })) < 22,
);

let dir: string;
let compiled: { stdout: string; stderr: string } | undefined;
const cleanEnv = (): NodeJS.ProcessEnv => {
  const { PATH, HOME, LANG, TMPDIR } = process.env;
  return { PATH, HOME, LANG, TMPDIR };
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "vt-dist-"));
  await copyFile(path.join(ROOT, "package.json"), path.join(dir, "package.json"));
  await mkdir(path.join(dir, "bin"));
  await copyFile(path.join(ROOT, "bin/vertrouwd.js"), path.join(dir, "bin/vertrouwd.js"));
  await mkdir(path.join(dir, "manifest/teams"), { recursive: true });
  for (const f of ["manifest.json", "color.png", "outline.png"])
    await copyFile(path.join(ROOT, "manifest/teams", f), path.join(dir, "manifest/teams", f));
  await symlink(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
}, 30_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("npm run build", () => {
  it("bin/vertrouwd.js without dist/ says to build first, in one line", async () => {
    const err = await run(NODE[0], [...NODE.slice(1), path.join(dir, "bin/vertrouwd.js"), "help"], {
      cwd: dir,
      env: cleanEnv(),
    }).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect("code" in err ? err.code : 0).toBe(1);
    expect(err.stdout).toBe("");
    expect(err.stderr).toBe("vertrouwd: the built JavaScript (dist/) is missing; run npm run build first\n");
  });

  it.skipIf(!OLD_NODE)(
    "bin/vertrouwd.js on a Node older than 22.12 says which Node is needed, in one line",
    async () => {
      const err = await run(OLD_NODE as string, [path.join(dir, "bin/vertrouwd.js"), "help"], {
        cwd: dir,
        env: cleanEnv(),
      }).catch((e: { code: number; stdout: string; stderr: string }) => e);
      expect("code" in err ? err.code : 0).toBe(1);
      expect(err.stderr).toMatch(
        /^vertrouwd: Node\.js 22\.12 or newer is needed \(24 LTS recommended\), this is v\d+\.\d+\.\d+; see README\.md, "Node\.js"\n$/,
      );
    },
  );

  it("compiles src, flows, adapters and the Teams packager to dist/, keeping the layout", async () => {
    compiled = await run(
      process.execPath,
      [
        path.join(ROOT, "node_modules/typescript/bin/tsc"),
        "-p",
        path.join(ROOT, "tsconfig.build.json"),
        "--outDir",
        path.join(dir, "dist"),
      ],
      { cwd: ROOT },
    );
    for (const f of [
      "src/cli/entry.js",
      "flows/intake/machine.js",
      "adapters/slack/index.js",
      "adapters/teams/index.js",
      "manifest/teams/package.js",
    ])
      await expect(readFile(path.join(dir, "dist", f), "utf8")).resolves.toBeTruthy();
    // Relative imports point at the compiled .js files, dynamic ones included.
    const serve = await readFile(path.join(dir, "dist/src/cli/serve.js"), "utf8");
    expect(serve).toContain('import("../../adapters/slack/index.js")');
    expect(serve).not.toMatch(/from "[^"]+\.ts"|import\("[^"]+\.ts"\)/);
  }, 180_000);

  it("the built bin runs the CLI", async () => {
    expect(compiled).toBeDefined();
    const { stdout } = await run(NODE[0], [...NODE.slice(1), path.join(dir, "bin/vertrouwd.js"), "help"], {
      cwd: dir,
      env: cleanEnv(),
    });
    expect(stdout).toContain("vertrouwd — confidential intake");
  });

  it("the built server answers /healthz and stops on SIGTERM", async () => {
    expect(compiled).toBeDefined();
    const child = spawn(
      NODE[0],
      [...NODE.slice(1), path.join(dir, "bin/vertrouwd.js"), "serve", "--port", "0", "--demo"],
      {
        cwd: dir,
        env: cleanEnv(),
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (c: string) => {
      stderr += c;
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let out = "";
        child.stdout.setEncoding("utf8").on("data", (c: string) => {
          out += c;
          const m = /"event":"server.listening","port":(\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        child.once("exit", () => reject(new Error(`serve exited: ${stderr}`)));
      });
      const status = await new Promise<number>((resolve, reject) => {
        request({ host: "127.0.0.1", port, path: "/healthz" }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .once("error", reject)
          .end();
      });
      expect(status).toBe(200);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    expect(stderr).toBe("");
  }, 60_000);

  it("the built Teams packager writes a zip that unzip -t accepts", async () => {
    expect(compiled).toBeDefined();
    const { stdout } = await run(
      NODE[0],
      [...NODE.slice(1), path.join(dir, "dist/manifest/teams/package.js")],
      {
        cwd: dir,
        env: { ...cleanEnv(), MicrosoftAppId: APP_ID, VERTROUWD_PUBLIC_HOST: "vertrouwd.example.org" },
      },
    );
    expect(stdout).toBe("Teams app package written to manifest/teams/build/vertrouwd-teams.zip\n");
    const zip = path.join(dir, "manifest/teams/build/vertrouwd-teams.zip");
    const tested = await run("unzip", ["-t", zip]);
    expect(tested.stdout).toContain("No errors detected");
    for (const name of ["manifest.json", "color.png", "outline.png"]) expect(tested.stdout).toContain(name);
  });
});
