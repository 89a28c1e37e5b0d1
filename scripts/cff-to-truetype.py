"""Converts an OpenType font with CFF outlines to TrueType (glyf) outlines, in place of a tool Debian lacks.

Why: pdfkit's font subsetter (fontkit) takes ~0.4 s to subset a CJK CFF font for every PDF figure and ~3 ms
for a TrueType one. Cubic curves become quadratic ones within 1 font unit (1/1000 em: invisible at any print
size). Glyph names are dropped (post table format 3): nothing that reads these fonts uses them.

usage: python3 scripts/cff-to-truetype.py IN.otf OUT.ttf   (needs Debian's fonttools)
"""
import sys

from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

MAX_ERROR_UNITS = 1.0


def convert(src: str, dst: str) -> None:
    font = TTFont(src)
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        # PostScript contours run counter-clockwise, TrueType ones clockwise.
        glyphs[name].draw(Cu2QuPen(pen, MAX_ERROR_UNITS, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 3.0
    font.sfntVersion = "\x00\x01\x00\x00"
    font.save(dst)


if __name__ == "__main__":
    convert(sys.argv[1], sys.argv[2])
