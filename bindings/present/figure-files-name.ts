// File names of a report's figures: report/figures/fig-<n>-<slug>.{svg,pdf,png}, n the figure's number in
// the report and the slug the first words of its caption (the page links the files by the same function).

/** Words of a slug at most; a caption's head names the figure, its tail describes it. */
const MAX_SLUG_WORDS = 5;

/** Words a slug does not end on ("event-study-of" when the outcome's label is Chinese). */
const TRAILING = new Set(["a", "an", "and", "by", "for", "in", "of", "on", "the", "to", "with"]);

/** "Figure 3: Event study of ire: estimates and 95% CIs" -> "event-study-of-ire": the caption without its
 *  "Figure N:" (or "图N ") prefix, up to its first colon, semicolon or comma, in lower-case ASCII words (accents
 *  dropped, Chinese left out, no trailing "of"). Captions with no ASCII words (all Chinese) give "". */
export function figureSlug(caption: string): string {
  const head = caption.replace(/^\s*(Figure|Fig\.?|图)\s*\d+\s*[:：.]?\s*/i, "").split(/[:;,：；，]/)[0];
  const words = head.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().match(/[a-z0-9]+/g) ?? [];
  const kept = words.slice(0, MAX_SLUG_WORDS);
  while (kept.length && TRAILING.has(kept[kept.length - 1])) kept.pop();
  return kept.join("-");
}

/** "fig-3-event-study-of-ire" (or "fig-3" when the caption gives no slug): the name without extension. */
export function figureFileStem(number: number, caption: string): string {
  const slug = figureSlug(caption);
  return slug ? `fig-${number}-${slug}` : `fig-${number}`;
}
