// Figures draw their words from templates (English by default, a report's language when it passes its
// own): "{level}% confidence set" with {level} replaced. A name without a value stays as written, so a
// template with a misspelt name shows it rather than losing text.
export function fillText(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (all, k: string) => (k in values ? String(values[k]) : all));
}
