/**
 * The Teams app icons: color.png (192×192, full colour) and outline.png (32×32, white on
 * transparent, as Teams requires). A speech bubble with a keyhole: a confidential conversation.
 * Run `tsx manifest/teams/icons.ts` to regenerate the files beside this script.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Rgba, encodePng } from "./png.ts";

const ACCENT: Rgba = [0x2b, 0x4c, 0x7e, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

/** Coverage of the bubble-with-keyhole shape at (u, v) in the unit square (0..1), anti-aliased by supersampling. */
function shape(u: number, v: number): boolean {
  // Rounded bubble body.
  const inBody = roundedRect(u, v, 0.12, 0.14, 0.88, 0.72, 0.14);
  // Tail at the lower left.
  const inTail = u > 0.24 && u < 0.44 && v >= 0.7 && v < 0.88 && u - 0.24 < (0.88 - v) * 1.1;
  // Keyhole: a circle and a trapezoid, cut out of the bubble.
  const dx = u - 0.5;
  const dy = v - 0.37;
  const inHoleCircle = dx * dx + dy * dy < 0.085 * 0.085;
  const inHoleStem = v > 0.4 && v < 0.6 && Math.abs(dx) < 0.035 + (v - 0.4) * 0.15;
  return (inBody || inTail) && !(inHoleCircle || inHoleStem);
}

function roundedRect(
  u: number,
  v: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  r: number,
): boolean {
  if (u < x0 || u > x1 || v < y0 || v > y1) return false;
  const cx = Math.min(Math.max(u, x0 + r), x1 - r);
  const cy = Math.min(Math.max(v, y0 + r), y1 - r);
  return (u - cx) ** 2 + (v - cy) ** 2 <= r * r;
}

function coverage(x: number, y: number, size: number): number {
  const n = 4;
  let hits = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) if (shape((x + (i + 0.5) / n) / size, (y + (j + 0.5) / n) / size)) hits++;
  return hits / (n * n);
}

export function colorIcon(): Buffer {
  const size = 192;
  return encodePng(size, size, (x, y) => {
    const c = coverage(x, y, size);
    return [0, 1, 2]
      .map((k) => Math.round((ACCENT[k] ?? 0) * (1 - c) + (WHITE[k] ?? 0) * c))
      .concat(255) as Rgba;
  });
}

export function outlineIcon(): Buffer {
  const size = 32;
  return encodePng(size, size, (x, y) => {
    const c = coverage(x, y, size);
    return c === 0 ? CLEAR : [255, 255, 255, Math.round(255 * c)];
  });
}

export const ACCENT_COLOR = `#${ACCENT.slice(0, 3)
  .map((c) => c.toString(16).padStart(2, "0"))
  .join("")}`;

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = path.dirname(fileURLToPath(import.meta.url));
  await writeFile(path.join(dir, "color.png"), colorIcon());
  await writeFile(path.join(dir, "outline.png"), outlineIcon());
  process.stdout.write(`wrote color.png and outline.png to ${dir}\n`);
}
