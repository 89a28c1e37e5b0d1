// The split constants of the elementary functions: each is the exact value rounded as stated (to fewer
// bits where a product with it must be exact). test/stats/libm-reference.py computes them with mpmath and
// test/stats/libm.test.ts checks these literals against its output.

/** ln 2 rounded to 42 bits (k LN2_HI is exact for |k| < 2^11), and ln 2 - LN2_HI rounded. */
export const LN2_HI = 0.6931471805598903;
export const LN2_LO = 5.497923018708371e-14;
/** pi/2 rounded to 33 bits, the rest rounded to 33 bits, the rest rounded (n PIO2_1, n PIO2_2 exact for n < 2^20). */
export const PIO2_1 = 1.5707963267341256;
export const PIO2_2 = 6.077100506303966e-11;
export const PIO2_3 = 2.0222662487959506e-21;
/** pi/2 as a double-double. */
export const PIO2_HI = 1.5707963267948966;
export const PIO2_LO = 6.123233995736766e-17;
/** 1/ln 10 as a double-double. */
export const INV_LN10_HI = 0.4342944819032518;
export const INV_LN10_LO = 1.098319650216765e-17;
/** 2/3 as a double-double. */
export const TWO_THIRDS_HI = 0.6666666666666666;
export const TWO_THIRDS_LO = 3.700743415417188e-17;
/** -1/6 as a double-double (sin's cubic term). */
export const MINUS_SIXTH_HI = -0.16666666666666666;
export const MINUS_SIXTH_LO = -9.25185853854297e-18;
/** floor(2/pi 2^1200), for the exact reduction of huge trigonometric arguments. */
export const TWO_OVER_PI_1200 = BigInt(
  "0xa2f9836e4e441529fc2757d1f534ddc0db6295993c439041fe5163abdebbc561b7246e3a424dd2e006492eea09d1921cfe1deb1cb129a73ee88235f52ebb4484e99c7026b45f7e413991d639835339f49c845f8bbdf9283b1ff897ffde05980fef2f118b5a0a6d1f6d367ecf27cb09b74f463f669e5fea2d7527bac7ebe5f17b3d0739f78a5292ea6bfb5fb11f8d5d0856033046fc7b",
);
