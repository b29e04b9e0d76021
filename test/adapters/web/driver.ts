/**
 * Driving the secure web page in Chromium as a melder does: press a button, pick an option, fill
 * in fields — each time waiting for the next screen — and scanning every screen with axe-core.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { ROOT } from "../../support/spawn.ts";

const AXE = readFileSync(path.join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");

export interface AxeFinding {
  screen: string;
  id: string;
  impact: string;
  nodes: number;
}

export class PageDriver {
  /** Every serious or critical axe violation seen, by screen. */
  readonly findings: AxeFinding[] = [];
  /** Every axe violation of any impact (moderate and minor ones are reported, not failed on). */
  readonly allFindings: AxeFinding[] = [];
  /** How many screens axe scanned. */
  scanned = 0;

  constructor(
    readonly page: Page,
    private readonly options: { axe?: boolean } = {},
  ) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.waitForSelector("section.step");
    await this.scan();
  }

  /** The number of the screen on show. */
  step(): Promise<number> {
    return this.page.$eval("section.step", (el) => Number((el as HTMLElement).dataset.step));
  }

  /** Presses a button by the flow's choice id and waits for the next screen. */
  async choose(id: string): Promise<void> {
    await this.next(() => this.page.click(`section.step button[data-choice="${id}"]`));
  }

  /**
   * Presses send on the review. An anonymous report is first offered the follow-up mailbox
   * (docs/follow-up.md): declined here unless `mailbox` is true (then the caller goes on).
   */
  async send(options: { mailbox?: boolean } = {}): Promise<void> {
    await this.choose("send");
    if (options.mailbox) return;
    if (await this.page.locator('button[data-mailbox="mailbox.offerNo"]').count()) {
      await this.next(() => this.page.click('button[data-mailbox="mailbox.offerNo"]'));
    }
  }

  /** Presses a mailbox button (page/mailbox.ts, by its label's message id) and waits for the next screen. */
  async mailbox(label: string): Promise<void> {
    await this.next(() => this.page.click(`section.step [data-mailbox="${label}"]`));
  }

  /** Picks an option and presses the step's main button. */
  async pick(id: string): Promise<void> {
    await this.page.check(`input[name="option"][value="${id}"]`);
    await this.next(() => this.page.click('form.answer button[type="submit"]'));
  }

  /** Fills in fields (by name), presses the step's main button. */
  async fill(values: Record<string, string>, options: { expectNewScreen?: boolean } = {}): Promise<void> {
    for (const [name, value] of Object.entries(values)) {
      const control = this.page.locator(`form.answer [name="${name}"]`);
      if ((await control.evaluate((el) => el.localName)) === "select") await control.selectOption(value);
      else await control.fill(value);
    }
    const submit = () => this.page.click('form.answer button[type="submit"]');
    if (options.expectNewScreen === false) {
      await submit();
      await this.page.waitForSelector("#error-summary, #pick-error");
      await this.scan();
    } else {
      await this.next(submit);
    }
  }

  /** The visible text of the screen. */
  text(): Promise<string> {
    return this.page.locator("main").innerText();
  }

  async next(act: () => Promise<void>): Promise<void> {
    const before = await this.step();
    await act();
    await this.page.waitForFunction(
      (b) => {
        const el = document.querySelector<HTMLElement>("section.step");
        return el !== null && Number(el.dataset.step) > b && el.getAttribute("aria-busy") !== "true";
      },
      before,
      { timeout: 15_000 },
    );
    await this.scan();
  }

  /** axe-core on the screen as it is (WCAG 2.1 A and AA rules and best practices). */
  async scan(): Promise<void> {
    if (!this.options.axe) return;
    const screen = await this.page.$eval("#step-title", (el) => el.textContent ?? "");
    // Evaluated through the DevTools protocol, which the page's CSP does not govern (a <script>
    // tag would rightly be refused by it).
    if (!(await this.page.evaluate(() => "axe" in window))) await this.page.evaluate(AXE);
    const results = await this.page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: {
            run(
              ctx: Document,
              o: object,
            ): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }>;
          };
        }
      ).axe;
      const r = await axe.run(document, { resultTypes: ["violations"] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
    });
    this.scanned++;
    for (const v of results) {
      this.allFindings.push({ screen, ...v });
      if (v.impact === "serious" || v.impact === "critical") this.findings.push({ screen, ...v });
    }
  }
}
