// The constants exp.ts and exp-fast.ts share: the reduction's 1/ln 2, the ends of the range and the Taylor
// coefficients 1/n!.

/** 1 / ln 2: only chooses k = round(x / ln 2), so its rounding does not matter. */
export const INV_LN2 = 1.4426950408889634;

/** Beyond these, e^x overflows / underflows to 0 whatever the rounding (ln of the largest double is
 *  709.78, of half the smallest subnormal -745.13). */
export const EXP_OVERFLOW = 709.8;
export const EXP_UNDERFLOW = -745.2;

// 1/n! for n = 2..13 (each division correctly rounded, the same on every engine).
export const F2 = 1 / 2;
export const F3 = 1 / 6;
export const F4 = 1 / 24;
export const F5 = 1 / 120;
export const F6 = 1 / 720;
export const F7 = 1 / 5040;
export const F8 = 1 / 40320;
export const F9 = 1 / 362880;
export const F10 = 1 / 3628800;
export const F11 = 1 / 39916800;
export const F12 = 1 / 479001600;
export const F13 = 1 / 6227020800;
