// The synthetic count panel of the Poisson benchmark (issue 13): units x periods rows, two regressors and
// a Poisson outcome with unit and period effects, drawn with the project's own generator:
//   alpha_u ~ N(0, 0.5^2) per unit, gamma_t = 0.05 t per period, x1, x2 ~ N(0, 1),
//   y ~ Poisson(exp(0.2 + 0.3 x1 - 0.2 x2 + alpha_u + gamma_t))   (mean about 2; some units all zero).
// Poisson draws by multiplying uniforms (Knuth), fine for means of a few units. Drawn unit by unit: the
// unit effect, then per period x1, x2 and the uniforms of y.
import { csvRows, dec6 } from "./csv-rows.mjs";

export const COUNT_PANEL_DEFAULTS = { units: 50_000, periods: 20 };

function poissonDraw(rng, mean) {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.uniform();
  while (p > limit) {
    k++;
    p *= rng.uniform();
  }
  return k;
}

/** Writes the panel to `file`; `rng` has uniform() and normal(). */
export function writeCountPanel(file, rng, { units, periods } = COUNT_PANEL_DEFAULTS) {
  const out = csvRows(file, ["unit", "year", "x1", "x2", "y"]);
  let zeros = 0;
  for (let u = 1; u <= units; u++) {
    const alpha = 0.5 * rng.normal();
    for (let t = 1; t <= periods; t++) {
      const x1 = rng.normal();
      const x2 = rng.normal();
      const y = poissonDraw(rng, Math.exp(0.2 + 0.3 * x1 - 0.2 * x2 + alpha + 0.05 * t));
      if (y === 0) zeros++;
      out.row([u, 2000 + t, dec6(x1), dec6(x2), y]);
    }
  }
  out.close();
  return { rows: units * periods, zeros };
}
